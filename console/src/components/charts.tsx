/**
 * Small hand-written SVG bar charts: each has a title, a text summary for screen readers and a
 * table alternative ("Show as a table"), so the figures never live in the picture only.
 */
import { useId, type ReactNode } from 'react';
import { count } from '../format';

export interface ChartSeries {
  name: string;
  /** A CSS class giving the bars their colour (see styles.css, `.chart-*`). */
  tone: 'records' | 'errors' | 'duration' | 'read';
  values: number[];
  /** How a value reads in the table and tooltips (default: a count). */
  format?: (value: number) => string;
}

const WIDTH = 1000;
const HEIGHT = 220;
const PAD = { top: 12, right: 12, bottom: 34, left: 56 };

/** Round numbers for the axis: 1, 2, 5 × 10^n. */
function niceMax(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (value <= step * power) return step * power;
  return 10 * power;
}

/** Grouped bars, one group per label, one bar per series; `labels` read along the x axis. */
export function BarChart(props: {
  title: string;
  summary: string;
  labels: string[];
  /** Labels as the table shows them (default: `labels`). */
  longLabels?: string[];
  series: ChartSeries[];
  /** Show every nth label along the axis (all by default). */
  labelEvery?: number;
}): ReactNode {
  const id = useId();
  const { labels, series } = props;
  const max = niceMax(Math.max(0, ...series.flatMap((s) => s.values)));
  const plotWidth = WIDTH - PAD.left - PAD.right;
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  const group = labels.length === 0 ? plotWidth : plotWidth / labels.length;
  const barWidth = Math.max(1, (group * 0.8) / Math.max(1, series.length));
  const every = props.labelEvery ?? 1;
  const y = (value: number): number => PAD.top + plotHeight - (value / max) * plotHeight;
  const format = (s: ChartSeries, value: number): string => (s.format ?? count)(value);

  return (
    <figure className="chart" aria-labelledby={`${id}-title`}>
      <figcaption id={`${id}-title`} className="chart-title">
        {props.title}
      </figcaption>
      <p className="chart-summary">{props.summary}</p>
      <ul className="chart-legend" aria-hidden="true">
        {series.map((s) => (
          <li key={s.name}>
            <span className={`chart-swatch chart-${s.tone}`} /> {s.name}
          </li>
        ))}
      </ul>
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-labelledby={`${id}-title ${id}-desc`}
        className="chart-svg"
      >
        <desc id={`${id}-desc`}>{props.summary}</desc>
        {[0, 0.5, 1].map((share) => (
          <g key={share}>
            <line
              x1={PAD.left}
              x2={WIDTH - PAD.right}
              y1={y(max * share)}
              y2={y(max * share)}
              className="chart-grid"
            />
            <text x={PAD.left - 8} y={y(max * share) + 4} textAnchor="end" className="chart-axis">
              {format(series[0] ?? { name: '', tone: 'records', values: [] }, max * share)}
            </text>
          </g>
        ))}
        {labels.map((label, i) => (
          <g key={`${label}:${String(i)}`}>
            {series.map((s, j) => {
              const value = s.values[i] ?? 0;
              const x = PAD.left + i * group + group * 0.1 + j * barWidth;
              return (
                <rect
                  key={s.name}
                  x={x}
                  y={y(value)}
                  width={barWidth}
                  height={Math.max(0, PAD.top + plotHeight - y(value))}
                  className={`chart-${s.tone}`}
                >
                  <title>{`${props.longLabels?.[i] ?? label}: ${format(s, value)} ${s.name}`}</title>
                </rect>
              );
            })}
            {i % every === 0 && (
              <text
                x={PAD.left + i * group + group / 2}
                y={HEIGHT - PAD.bottom + 18}
                textAnchor="middle"
                className="chart-axis"
              >
                {label}
              </text>
            )}
          </g>
        ))}
      </svg>
      <ChartTable
        title={props.title}
        labels={labels}
        longLabels={props.longLabels}
        series={series}
      />
    </figure>
  );
}

/** The chart's figures as a table, behind "Show as a table". */
function ChartTable(props: {
  title: string;
  labels: string[];
  longLabels: string[] | undefined;
  series: ChartSeries[];
}): ReactNode {
  const { labels, series } = props;
  return (
    <details className="chart-table">
      <summary>Show as a table</summary>
      <table className="data-table">
        <caption className="visually-hidden">{props.title}</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            {series.map((s) => (
              <th scope="col" key={s.name} className="numeric">
                {s.name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {labels.map((label, i) => (
            <tr key={`${label}:${String(i)}`}>
              <th scope="row">{props.longLabels?.[i] ?? label}</th>
              {series.map((s) => (
                <td key={s.name} className="numeric">
                  {(s.format ?? count)(s.values[i] ?? 0)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
