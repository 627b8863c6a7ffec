// Batches of descriptions: read from pasted text or an uploaded CSV / JSONL file, sent in
// groups of ten, and written back as CSV.

export const BATCH_SIZE = 10;

// One CSV record per row, RFC 4180 quoting ("a ""b""", embedded commas and newlines).
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        cell += c;
      }
    } else if (c === '"') {
      quoted = true;
    } else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else {
      cell += c;
    }
  }
  if (cell !== '' || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows.filter((r) => r.some((c) => c.trim() !== ''));
}

function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function toCsv(rows: (string | number)[][]): string {
  return rows.map((r) => r.map((c) => csvCell(String(c))).join(',')).join('\r\n') + '\r\n';
}

// Descriptions from JSON lines ({"content_description": …} or a plain string per line), a CSV
// with a content_description (or description) header, or plain lines of text (commas and all).
export function parseDescriptions(text: string): string[] {
  const trimmed = text.trim();
  if (!trimmed) return [];
  const lines = trimmed.split(/\r?\n/).filter((l) => l.trim());
  if (lines.every((l) => l.trim().startsWith('{') || l.trim().startsWith('"'))) {
    try {
      return lines
        .map((l) => JSON.parse(l))
        .map((v) => (typeof v === 'string' ? v : String(v.content_description ?? v.description ?? '')))
        .map((s) => s.trim())
        .filter(Boolean);
    } catch {
      // not JSON lines after all: read as CSV
    }
  }
  const rows = parseCsv(trimmed);
  const header = rows[0].map((h) => h.trim().toLowerCase());
  const column = header.findIndex((h) => h === 'content_description' || h === 'description');
  if (column < 0) return lines.map((l) => l.trim());
  return rows.slice(1).map((r) => (r[column] ?? '').trim()).filter(Boolean);
}

export function chunks<T>(items: T[], size = BATCH_SIZE): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
