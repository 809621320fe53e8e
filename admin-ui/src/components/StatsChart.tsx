import type { JSX } from 'react';
import { formatTime } from '../format';

interface StatsChartProps {
  title: string;
  /** One point per sample, oldest first. */
  values: number[];
  /** ISO time of each sample, same order. */
  times: string[];
  /** CSS modifier for the line colour: `chart-line-<variant>`. */
  variant: 'messages' | 'connections';
}

const WIDTH = 520;
const HEIGHT = 180;
const PAD = { top: 12, right: 12, bottom: 28, left: 44 };
const PLOT_WIDTH = WIDTH - PAD.left - PAD.right;
const PLOT_HEIGHT = HEIGHT - PAD.top - PAD.bottom;

/** Rounds up to 1, 2 or 5 × 10^n so the axis reads well. */
function niceCeiling(value: number): number {
  if (value <= 1) {
    return 1;
  }
  const magnitude = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 5, 10].find((candidate) => candidate * magnitude >= value) ?? 10;
  return step * magnitude;
}

function pointsOf(values: number[], max: number): string {
  const x = (index: number): number =>
    values.length === 1 ? PAD.left + PLOT_WIDTH / 2 : PAD.left + (index / (values.length - 1)) * PLOT_WIDTH;
  const y = (value: number): number => PAD.top + PLOT_HEIGHT * (1 - value / max);
  return values.map((value, index) => `${x(index).toFixed(1)},${y(value).toFixed(1)}`).join(' ');
}

/** A small line chart drawn as plain SVG (no chart library, nothing inline the CSP would refuse). */
export function StatsChart({ title, values, times, variant }: StatsChartProps): JSX.Element {
  const max = niceCeiling(Math.max(0, ...values));
  const latest = values.length > 0 ? values[values.length - 1] : null;
  const ticks = [0, max / 2, max];
  const summary =
    latest === null ? `${title}: no samples yet` : `${title}: ${latest} now, ${values.length} samples, max ${max}`;
  return (
    <figure className="chart">
      <figcaption>
        <span className={`chart-key chart-key-${variant}`} aria-hidden="true" />
        {title}
        {latest !== null && <span className="chart-latest">{latest}</span>}
      </figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={summary}>
        <title>{summary}</title>
        {ticks.map((tick) => {
          const y = PAD.top + PLOT_HEIGHT * (1 - tick / max);
          return (
            <g key={tick}>
              <line className="chart-grid" x1={PAD.left} x2={WIDTH - PAD.right} y1={y} y2={y} />
              <text className="chart-label" x={PAD.left - 6} y={y + 4} textAnchor="end">
                {Number.isInteger(tick) ? tick : tick.toFixed(1)}
              </text>
            </g>
          );
        })}
        {times.length > 0 && (
          <>
            <text className="chart-label" x={PAD.left} y={HEIGHT - 8} textAnchor="start">
              {formatTime(times[0])}
            </text>
            <text className="chart-label" x={WIDTH - PAD.right} y={HEIGHT - 8} textAnchor="end">
              {formatTime(times[times.length - 1])}
            </text>
          </>
        )}
        {values.length > 0 && (
          <polyline className={`chart-line chart-line-${variant}`} points={pointsOf(values, max)} />
        )}
      </svg>
    </figure>
  );
}
