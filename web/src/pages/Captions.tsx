import { useState } from 'preact/hooks';
import { call, ApiError, type Problem } from '../lib/api';
import { useAction } from '../components/useAction';
import { chunks, parseDescriptions, toCsv } from '../lib/batch';
import { CaptionCard, type CaptionResult } from '../components/CaptionCard';
import { Field, ProblemBox, Select, download } from '../components/common';
import {
  CONTENT_TYPES, DEFAULT_FORM, EMOJI, LANGUAGES, LENGTHS, LEVELS, PROVIDERS, STYLES, captionRequest, type CaptionForm,
} from '../lib/captions';

// The choices of the form, in the order shown.
const SELECTS: [keyof CaptionForm & ('style' | 'language' | 'length' | 'emoji' | 'content_type' | 'optimization_level'),
  string, readonly string[]][] = [
  ['style', 'Style', STYLES],
  ['language', 'Language', LANGUAGES],
  ['length', 'Length', LENGTHS],
  ['emoji', 'Emoji level', EMOJI],
  ['content_type', 'Content type', CONTENT_TYPES],
  ['optimization_level', 'Optimization', LEVELS],
];

interface BatchRow {
  description: string;
  result?: CaptionResult;
  problem?: Problem;
}

export function CaptionFields({ form, set, error }: {
  form: CaptionForm;
  set: (patch: Partial<CaptionForm>) => void;
  error: ApiError | null;
}) {
  const err = (name: string) => error?.fieldMessage(name);
  return (
    <div class="grid">
      {SELECTS.map(([name, label, options]) => (
        <Field key={name} id={name} label={label} error={err(name)}>
          <Select id={name} value={form[name]} options={options} onChange={(v) => set({ [name]: v })} />
        </Field>
      ))}
      <Field id="hashtag_count" label="Hashtags (0–30)" error={err('hashtag_count')}>
        <input id="hashtag_count" type="number" min={0} max={30} value={form.hashtag_count}
          onInput={(e) => set({ hashtag_count: Number(e.currentTarget.value) })} />
      </Field>
      <Field id="variants" label="Variants (1–5)" error={err('variants')}>
        <input id="variants" type="number" min={1} max={5} value={form.variants}
          onInput={(e) => set({ variants: Number(e.currentTarget.value) })} />
      </Field>
      <Field id="provider" label="Provider" error={err('provider')}>
        <Select id="provider" value={form.provider} options={PROVIDERS} empty="server default"
          onChange={(v) => set({ provider: v })} />
      </Field>
      <Field id="seed" label="Seed" hint="same seed, same caption" error={err('seed')}>
        <input id="seed" type="number" min={0} value={form.seed} onInput={(e) => set({ seed: e.currentTarget.value })} />
      </Field>
      <Field id="keywords" label="Keywords" hint="comma-separated, up to 20" error={err('keywords')}>
        <input id="keywords" value={form.keywords} onInput={(e) => set({ keywords: e.currentTarget.value })} />
      </Field>
      <Field id="brand_voice" label="Brand voice" hint="e.g. warm, witty" error={err('brand_voice')}>
        <input id="brand_voice" value={form.brand_voice} maxLength={200}
          onInput={(e) => set({ brand_voice: e.currentTarget.value })} />
      </Field>
      <Field id="audience" label="Audience" error={err('audience')}>
        <input id="audience" value={form.audience} maxLength={200}
          onInput={(e) => set({ audience: e.currentTarget.value })} />
      </Field>
      <div class="checks">
        <label><input type="checkbox" checked={form.cta} onChange={(e) => set({ cta: e.currentTarget.checked })} /> Call to action</label>
        <label><input type="checkbox" checked={form.generic_hashtags}
          onChange={(e) => set({ generic_hashtags: e.currentTarget.checked })} /> Generic reach hashtags</label>
      </div>
    </div>
  );
}

export function Captions() {
  const [form, setForm] = useState<CaptionForm>(DEFAULT_FORM);
  const set = (patch: Partial<CaptionForm>) => setForm((f) => ({ ...f, ...patch }));
  const [result, setResult] = useState<CaptionResult | null>(null);
  const { busy, error, problem, run } = useAction();

  function generate(e: Event) {
    e.preventDefault();
    void run(async () => setResult(await call<CaptionResult>('POST', '/api/v14/generate', captionRequest(form))));
  }

  return (
    <section aria-labelledby="captions-title">
      <h2 id="captions-title">Captions</h2>
      <form onSubmit={generate} class="panel">
        <Field id="content_description" label="What is the post about?" error={error?.fieldMessage('content_description')}
          hint="5–2,000 characters">
          <textarea id="content_description" rows={3} required value={form.content_description}
            onInput={(e) => set({ content_description: e.currentTarget.value })} />
        </Field>
        <CaptionFields form={form} set={set} error={error} />
        <button type="submit" disabled={busy}>{busy ? 'Writing…' : 'Generate caption'}</button>
      </form>
      <ProblemBox problem={problem} />
      {result ? (
        <div class="cards" aria-live="polite">
          <CaptionCard result={result} title="Caption" />
          {result.variants?.map((v, i) => (
            <CaptionCard key={i} result={{ ...v, performance_metrics: result.performance_metrics }} title={`Variant ${i + 2}`} />
          ))}
        </div>
      ) : null}
      <BatchPanel form={form} />
    </section>
  );
}

function BatchPanel({ form }: { form: CaptionForm }) {
  const [text, setText] = useState('');
  const [rows, setRows] = useState<BatchRow[]>([]);
  const [done, setDone] = useState(0);
  const [total, setTotal] = useState(0);
  const { busy, problem, run: send, setProblem } = useAction();

  async function readFile(e: Event) {
    const file = (e.currentTarget as HTMLInputElement).files?.[0];
    if (file) setText(await file.text());
  }

  function start() {
    const descriptions = parseDescriptions(text);
    if (!descriptions.length) {
      setProblem({ status: 0, title: 'Nothing to send', detail: 'paste or upload at least one description' });
      return;
    }
    setTotal(descriptions.length);
    setDone(0);
    const out: BatchRow[] = [];
    void send(async () => {
      for (const group of chunks(descriptions)) {
        const answer = await call<{ results: { index: number; status: number; result?: CaptionResult; problem?: Problem }[] }>(
          'POST', '/api/v14/batch', { requests: group.map((d) => captionRequest(form, d)) });
        for (const item of answer.results) {
          out.push({ description: group[item.index], result: item.result, problem: item.problem });
        }
        setRows([...out]);
        setDone(out.length);
      }
    });
  }

  function saveCsv() {
    const table: (string | number)[][] = [['description', 'caption', 'hashtags', 'emojis', 'quality_score', 'error']];
    for (const r of rows) {
      table.push([r.description, r.result?.caption ?? '', r.result?.hashtags.join(' ') ?? '',
        r.result?.emojis.join('') ?? '', r.result?.quality_score ?? '', r.problem?.detail ?? '']);
    }
    download('captions.csv', toCsv(table), 'text/csv');
  }

  return (
    <section class="panel" aria-labelledby="batch-title">
      <h3 id="batch-title">Batch</h3>
      <p class="muted">One description per line, a CSV with a <code>content_description</code> column, or JSON lines.
        Sent ten at a time with the settings above.</p>
      <Field id="batch-text" label="Descriptions">
        <textarea id="batch-text" rows={4} value={text} onInput={(e) => setText(e.currentTarget.value)} />
      </Field>
      <Field id="batch-file" label="…or upload a CSV / JSONL file">
        <input id="batch-file" type="file" accept=".csv,.jsonl,.json,.txt,text/csv" onChange={readFile} />
      </Field>
      <div class="actions">
        <button type="button" onClick={start} disabled={busy}>{busy ? 'Sending…' : 'Run batch'}</button>
        <button type="button" onClick={saveCsv} disabled={!rows.length || busy}>Download CSV</button>
      </div>
      {total ? (
        <div class="progress-line">
          <progress id="batch-progress" max={total} value={done} aria-label="batch progress" />
          <span class="batch-count">{done} / {total}</span>
        </div>
      ) : null}
      <ProblemBox problem={problem} />
      <ol class="batch-results">
        {rows.map((r, i) => (
          <li key={i} class={r.problem ? 'failed' : 'ok'}>
            <span class="muted">{r.description}</span>
            {r.result ? <p>{r.result.caption} <span class="hashtags">{r.result.hashtags.join(' ')}</span></p> : null}
            {r.problem ? <ProblemBox problem={r.problem} /> : null}
          </li>
        ))}
      </ol>
    </section>
  );
}
