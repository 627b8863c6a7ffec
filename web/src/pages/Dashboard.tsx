import { useEffect, useState } from 'preact/hooks';
import { call, errorProblem, ApiError, type Problem } from '../lib/api';
import { pushSample, sampleFromStats, sampleFromStatus, type Sample } from '../lib/dashboard';
import { Chart } from '../components/Chart';
import { ProblemBox } from '../components/common';

export const REFRESH_MS = 3000;

interface Alert { rule: string; severity: string; since: string; resolved_at: string | null; value: number; threshold: number; message: string }
interface Recommendation { component: string; config: string; value: string; action: string; expected_effect: string }
interface Bottleneck { component: string; severity: number; suggestions: { config: string; value: string; reason: string }[] }

// Absent: the server has no such route (404), as before the operations routes existed.
type Maybe<T> = T | 'absent' | null;

async function optional<T>(path: string): Promise<Maybe<T>> {
  try {
    return await call<T>('GET', path);
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return 'absent';
    throw e;
  }
}

export function Dashboard() {
  const [series, setSeries] = useState<Sample[]>([]);
  const [statsAbsent, setStatsAbsent] = useState(false);
  const [alerts, setAlerts] = useState<Maybe<{ active: Alert[]; resolved: Alert[] }>>(null);
  const [advice, setAdvice] = useState<Maybe<{ recommendations: Recommendation[] }>>(null);
  const [bottlenecks, setBottlenecks] = useState<Maybe<{ optimization_score: number; bottlenecks: Bottleneck[] }>>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [updated, setUpdated] = useState('');

  useEffect(() => {
    let live = true;
    async function tick() {
      try {
        const t = Date.now() / 1000;
        const stats = await optional<Record<string, unknown>>('/performance/stats');
        const sample = stats === 'absent' || stats === null
          ? sampleFromStatus(await call('GET', '/performance/status'), t)
          : sampleFromStats(stats, t);
        const [a, r, b] = await Promise.all([
          optional<{ active: Alert[]; resolved: Alert[] }>('/performance/alerts'),
          optional<{ recommendations: Recommendation[] }>('/performance/recommendations'),
          optional<{ optimization_score: number; bottlenecks: Bottleneck[] }>('/performance/bottlenecks'),
        ]);
        if (!live) return;
        setStatsAbsent(stats === 'absent');
        setSeries((s) => pushSample(s, sample));
        setAlerts(a);
        setAdvice(r);
        setBottlenecks(b);
        setProblem(null);
        setUpdated(new Date().toLocaleTimeString());
      } catch (e) {
        if (live) setProblem(errorProblem(e));
      }
    }
    void tick();
    const timer = setInterval(tick, REFRESH_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, []);

  return (
    <section aria-labelledby="dash-title">
      <div class="card-head">
        <h2 id="dash-title">Dashboard</h2>
        <span class="muted" aria-live="off">{updated ? `updated ${updated}, every ${REFRESH_MS / 1000} s` : 'loading…'}</span>
      </div>
      <ProblemBox problem={problem} />
      {statsAbsent ? (
        <p class="notice" role="status">
          Operations data not available on this server (no <code>/performance/stats</code>): the charts show
          <code> /performance/status</code>; queue depth and render speed need the operations routes.
        </p>
      ) : null}
      <div class="charts">
        <Chart title="Requests/s" series={series} fields={['rps']} labels={['rps']} unit="" />
        <Chart title="Latency" series={series} fields={['p50', 'p95', 'p99']} labels={['p50', 'p95', 'p99']} unit=" ms" />
        <Chart title="Cache hit rate" series={series} fields={['hitPercent']} labels={['hits']} unit=" %" />
        <Chart title="Queue depth" series={series} fields={['queueDepth']} labels={['queued']} unit="" />
        <Chart title="Render speed" series={series} fields={['realtime']} labels={['× realtime']} unit="×" />
        <Chart title="Server errors" series={series} fields={['errorPercent']} labels={['errors']} unit=" %" />
      </div>
      <div class="side-by-side">
        <section class="panel" aria-labelledby="alerts-title">
          <h3 id="alerts-title">Alerts</h3>
          {alerts === 'absent' ? <p class="muted">Operations data not available on this server.</p> : null}
          {alerts && alerts !== 'absent' ? (
            <>
              {alerts.active.length === 0 ? <p class="muted">No active alerts.</p> : null}
              <ul class="alerts">
                {alerts.active.map((a) => (
                  <li key={a.rule + a.since} class={`alert ${a.severity}`}>
                    <strong>{a.severity}</strong> {a.rule}: {a.message} <span class="muted">({a.value} vs {a.threshold}, since {a.since})</span>
                  </li>
                ))}
              </ul>
              {alerts.resolved.length ? (
                <details>
                  <summary>{alerts.resolved.length} resolved</summary>
                  <ul class="alerts">
                    {alerts.resolved.map((a) => (
                      <li key={a.rule + a.since}>{a.rule}: {a.message} <span class="muted">resolved {a.resolved_at}</span></li>
                    ))}
                  </ul>
                </details>
              ) : null}
            </>
          ) : null}
        </section>
        <section class="panel" aria-labelledby="advice-title">
          <h3 id="advice-title">Recommendations</h3>
          {advice === 'absent' ? <p class="muted">Operations data not available on this server.</p> : null}
          {advice && advice !== 'absent' ? (
            advice.recommendations.length === 0 ? <p class="muted">Nothing to change.</p> : (
              <ul class="advice">
                {advice.recommendations.map((r) => (
                  <li key={r.component + r.config}>
                    <strong>{r.component}</strong>: {r.action} <code>{r.config}={r.value}</code>
                    <span class="muted"> {r.expected_effect}</span>
                  </li>
                ))}
              </ul>
            )
          ) : null}
          {bottlenecks && bottlenecks !== 'absent' ? (
            <p>Optimization score <strong>{bottlenecks.optimization_score}</strong>/100
              {bottlenecks.bottlenecks.length ? ` · bottlenecks: ${bottlenecks.bottlenecks.map((b) => b.component).join(', ')}` : ''}</p>
          ) : null}
        </section>
      </div>
    </section>
  );
}
