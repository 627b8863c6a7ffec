// The dashboard's figures, one sample per refresh, from /performance/stats (the operations
// contract) or, on a server without it, from /performance/status.

export interface Sample {
  t: number; // unix seconds
  rps: number | null;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  hitPercent: number | null; // 0..100
  queueDepth: number | null;
  realtime: number | null; // render speed, × realtime
  errorPercent: number | null; // 0..100 of answers that were server errors
}

type Json = Record<string, any>;

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const percent = (v: unknown): number | null => {
  const n = num(v);
  return n === null ? null : Math.round(n * 10000) / 100;
};

// One window of /performance/stats ("1m" by default).
export function sampleFromStats(doc: Json, t: number, window = '1m'): Sample {
  const w: Json = doc?.windows?.[window] ?? {};
  return {
    t,
    rps: num(w.throughput?.rps),
    p50: num(w.response_times?.p50),
    p95: num(w.response_times?.p95),
    p99: num(w.response_times?.p99),
    hitPercent: percent(w.cache?.hit_rate),
    queueDepth: num(w.jobs?.queue_depth),
    realtime: num(w.render?.realtime_factor),
    errorPercent: percent(w.errors?.rate),
  };
}

export function sampleFromStatus(doc: Json, t: number): Sample {
  const requests = num(doc?.requests) ?? 0;
  const errors = num(doc?.server_errors) ?? 0;
  return {
    t,
    rps: num(doc?.rps_last_minute),
    p50: num(doc?.latency_ms?.p50),
    p95: num(doc?.latency_ms?.p95),
    p99: num(doc?.latency_ms?.p99),
    hitPercent: percent(doc?.cache_hit_rate),
    queueDepth: null,
    realtime: null,
    errorPercent: percent(requests > 0 ? errors / requests : 0),
  };
}

// Appends a sample, keeping the last `max`.
export function pushSample(series: Sample[], sample: Sample, max = 120): Sample[] {
  const next = series.concat(sample);
  return next.length > max ? next.slice(next.length - max) : next;
}

// Columns for a uPlot chart: time, then one series per field.
export function columns(series: Sample[], fields: (keyof Sample)[]): (number | null)[][] {
  return [series.map((s) => s.t), ...fields.map((f) => series.map((s) => s[f] as number | null))];
}

export function hasData(series: Sample[], field: keyof Sample): boolean {
  return series.some((s) => typeof s[field] === 'number');
}
