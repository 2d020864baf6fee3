/**
 * A bar chart as inline SVG: one bar per bucket, the largest value labelled, each bar's value in
 * its tooltip and in a visually hidden table for screen readers. No chart library.
 */
export interface Bar {
  label: string;
  value: number;
}

const WIDTH = 720;
const HEIGHT = 200;
const AXIS = 22;
const TOP = 18;

export function BarChart({
  bars,
  format,
  title,
  testId,
  labelEvery = 1,
}: {
  bars: readonly Bar[];
  format: (value: number) => string;
  title: string;
  testId: string;
  labelEvery?: number;
}) {
  const max = Math.max(0, ...bars.map((b) => b.value));
  const slot = bars.length > 0 ? WIDTH / bars.length : WIDTH;
  const barWidth = Math.min(48, Math.max(2, slot * 0.7));
  const scale = (v: number) => (max > 0 ? (Math.max(0, v) / max) * (HEIGHT - AXIS - TOP) : 0);
  const peak = bars.findIndex((b) => b.value === max && max > 0);
  return (
    <figure className="bar-chart" data-testid={testId}>
      <figcaption className="report-heading">{title}</figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={title}>
        <line x1="0" x2={WIDTH} y1={HEIGHT - AXIS} y2={HEIGHT - AXIS} className="bar-axis" />
        {bars.map((bar, i) => {
          const h = scale(bar.value);
          const x = i * slot + (slot - barWidth) / 2;
          return (
            <g key={bar.label}>
              <rect
                x={x}
                y={HEIGHT - AXIS - h}
                width={barWidth}
                height={h}
                className={i === peak ? 'bar is-peak' : 'bar'}
                data-value={bar.value}
              >
                <title>{`${bar.label}: ${format(bar.value)}`}</title>
              </rect>
              {i % labelEvery === 0 && (
                <text x={i * slot + slot / 2} y={HEIGHT - 6} textAnchor="middle" className="bar-label">
                  {bar.label}
                </text>
              )}
              {i === peak && (
                <text
                  x={Math.min(Math.max(i * slot + slot / 2, 40), WIDTH - 40)}
                  y={HEIGHT - AXIS - h - 5}
                  textAnchor="middle"
                  className="bar-peak"
                >
                  {format(bar.value)}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <table className="visually-hidden">
        <tbody>
          {bars.map((bar) => (
            <tr key={bar.label}>
              <th scope="row">{bar.label}</th>
              <td>{format(bar.value)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
