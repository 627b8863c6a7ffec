// Counting what Instagram counts, and estimating how long a script takes to say.

export const CAPTION_LIMIT = 2200; // characters in a caption, hashtags included
export const MORE_CUTOFF = 125; // characters shown before "… more"

const segmenter =
  typeof Intl !== 'undefined' && 'Segmenter' in Intl
    ? new Intl.Segmenter(undefined, { granularity: 'grapheme' })
    : null;

// User-perceived characters (an emoji with modifiers is one).
export function graphemes(text: string): string[] {
  if (segmenter) return Array.from(segmenter.segment(text), (s) => s.segment);
  return Array.from(text);
}

// The post as pasted into Instagram: the caption, a blank line, the hashtags.
export function postText(caption: string, hashtags: string[]): string {
  return hashtags.length ? `${caption}\n\n${hashtags.join(' ')}` : caption;
}

export interface PostCount {
  characters: number;
  remaining: number; // negative when over the limit
  overLimit: boolean;
  preview: string; // what shows before "… more"
  truncated: boolean; // whether the feed cuts the caption
}

export function countPost(text: string): PostCount {
  const g = graphemes(text);
  return {
    characters: g.length,
    remaining: CAPTION_LIMIT - g.length,
    overLimit: g.length > CAPTION_LIMIT,
    preview: g.slice(0, MORE_CUTOFF).join(''),
    truncated: g.length > MORE_CUTOFF,
  };
}

export interface ScriptEstimate {
  words: number;
  pauseSeconds: number;
  seconds: number;
  badMarks: string[]; // "[pause …]" marks the server will refuse
}

const MARK = /\[pause(?=[\s\]])([^\]]*)\]/gi;
export const WORDS_PER_MINUTE = 150;

// Seconds of a mark's inside (" 0.5s", " 500ms"); null when malformed or out of 0.05..10 s.
export function pauseSeconds(inside: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(s|ms)\s*$/i.exec(inside);
  if (!m) return null;
  const value = Number(m[1]) / (m[2].toLowerCase() === 'ms' ? 1000 : 1);
  return value >= 0.05 - 1e-9 && value <= 10 + 1e-9 ? value : null;
}

export function estimateScript(script: string, wordsPerMinute = WORDS_PER_MINUTE): ScriptEstimate {
  let pause = 0;
  const badMarks: string[] = [];
  const spoken = script.replace(MARK, (whole, inside: string) => {
    const s = pauseSeconds(inside);
    if (s === null) badMarks.push(whole);
    else pause += s;
    return ' ';
  });
  const words = spoken.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
  const seconds = (words / wordsPerMinute) * 60 + pause;
  return { words, pauseSeconds: Math.round(pause * 100) / 100, seconds: Math.round(seconds * 10) / 10, badMarks };
}

// Inserts a pause mark at the cursor, with spaces around it as needed.
export function insertPause(script: string, at: number, seconds = 0.5): { text: string; cursor: number } {
  const before = script.slice(0, at);
  const after = script.slice(at);
  const mark = `[pause ${seconds}s]`;
  const left = before && !/\s$/.test(before) ? ' ' : '';
  const right = /^\s/.test(after) ? '' : ' ';
  const text = before + left + mark + right + after;
  return { text, cursor: (before + left + mark + right).length };
}

export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return '—';
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds - m * 60);
  return `${m} min ${s.toString().padStart(2, '0')} s`;
}
