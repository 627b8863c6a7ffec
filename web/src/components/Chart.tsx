import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { columns, hasData, type Sample } from '../lib/dashboard';

const COLOURS = ['#1f5fbf', '#c2410c', '#7e22ce', '#047857'];

// One live line chart of some fields of the samples; resizes with its container.
export function Chart({ title, series, fields, labels, unit }: {
  title: string;
  series: Sample[];
  fields: (keyof Sample)[];
  labels: string[];
  unit: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const empty = !fields.some((f) => hasData(series, f));

  useEffect(() => {
    if (!box.current) return;
    const width = () => Math.max(200, box.current!.clientWidth);
    plot.current = new uPlot(
      {
        width: width(),
        height: 160,
        legend: { show: false },
        scales: {
          // The last minutes, however few samples there are yet; values from zero up.
          x: { time: true, auto: false },
          y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.15 : 1] },
        },
        axes: [{}, { values: (_u, vals) => vals.map((v) => `${v}${unit}`), size: 60 }],
        series: [{}, ...labels.map((label, i) => ({ label, stroke: COLOURS[i % COLOURS.length], width: 2 }))],
      },
      columns([], fields) as uPlot.AlignedData,
      box.current,
    );
    const observer = new ResizeObserver(() => plot.current?.setSize({ width: width(), height: 160 }));
    observer.observe(box.current);
    return () => {
      observer.disconnect();
      plot.current?.destroy();
    };
  }, []);

  useEffect(() => {
    const u = plot.current;
    if (!u || !series.length) return;
    u.setData(columns(series, fields) as uPlot.AlignedData, false);
    const last = series[series.length - 1].t;
    u.setScale('x', { min: Math.min(series[0].t, last - 60), max: last });
  }, [series]);

  const last = series.length ? series[series.length - 1] : null;
  return (
    <figure class="chart" data-chart={title} data-points={series.filter((s) => typeof s[fields[0]] === 'number').length}>
      <figcaption>
        <strong>{title}</strong>
        <span class="muted">
          {empty ? ' no data' : ' ' + fields.map((f, i) => `${labels[i]} ${format(last?.[f] as number | null)}${unit}`).join(' · ')}
        </span>
      </figcaption>
      <div ref={box} class="chart-box" role="img" aria-label={`${title} over time`} />
    </figure>
  );
}

function format(v: number | null | undefined): string {
  if (typeof v !== 'number') return '—';
  return Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(2);
}
