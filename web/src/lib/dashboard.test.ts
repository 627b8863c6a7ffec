import { describe, expect, it } from 'vitest';
import { columns, hasData, pushSample, sampleFromStats, sampleFromStatus } from './dashboard';

const window1m = {
  seconds: 60,
  response_times: { avg: 2, p50: 1.5, p95: 4, p99: 9 },
  throughput: { rps: 12.5, concurrent: 1, requests: 750 },
  errors: { count: 3, rate: 0.004 },
  cache: { hit_rate: 0.8, hits: 8, misses: 2 },
  jobs: { queue_depth: 2, processing: 1, queue_wait_p95: 0.5 },
  render: { realtime_factor: 6.2 },
  resource_usage: { cpu_percent: 20, rss_bytes: 1, open_fds: 1, threads: 1 },
};

describe('samples', () => {
  it('reads the contract of /performance/stats', () => {
    const s = sampleFromStats({ generated_at: 'x', windows: { '1m': window1m } }, 100);
    expect(s).toEqual({ t: 100, rps: 12.5, p50: 1.5, p95: 4, p99: 9, hitPercent: 80, queueDepth: 2, realtime: 6.2, errorPercent: 0.4 });
  });
  it('keeps null for figures without data', () => {
    const s = sampleFromStats({ windows: { '1m': { ...window1m, render: { realtime_factor: null } } } }, 1);
    expect(s.realtime).toBeNull();
    expect(sampleFromStats({}, 1).rps).toBeNull();
  });
  it('reads /performance/status on a server without the operations routes', () => {
    const s = sampleFromStatus({ requests: 200, rps_last_minute: 3, latency_ms: { mean: 1, p50: 1, p95: 2, p99: 5 },
      server_errors: 2, cache_hit_rate: 0.5 }, 7);
    expect(s).toMatchObject({ t: 7, rps: 3, p99: 5, hitPercent: 50, errorPercent: 1, queueDepth: null });
  });
  it('keeps a bounded series and makes chart columns', () => {
    let series = [sampleFromStatus({ rps_last_minute: 1 }, 1)];
    for (let t = 2; t <= 5; t++) series = pushSample(series, sampleFromStatus({ rps_last_minute: t }, t), 3);
    expect(series.map((s) => s.t)).toEqual([3, 4, 5]);
    expect(columns(series, ['rps'])).toEqual([[3, 4, 5], [3, 4, 5]]);
    expect(hasData(series, 'rps')).toBe(true);
    expect(hasData(series, 'realtime')).toBe(false);
  });
});
