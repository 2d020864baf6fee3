/**
 * Charts as inline SVG drawn by React (no chart library): columns for a time series (days, hours),
 * bars with their labels for everything else. Each value is in the bar's tooltip and in a visually
 * hidden table, so a screen reader reads the figures too.
 */
export interface ChartBar {
  key: string;
  label: string;
  value: number;
}

const WIDTH = 720;

export function ColumnChart({
  bars,
  format,
  title,
  testId,
}: {
  bars: readonly ChartBar[];
  format(value: number): string;
  title: string;
  testId: string;
}) {
  const height = 180;
  const axis = 20;
  const top = 18;
  const max = Math.max(0, ...bars.map((b) => b.value));
  const slot = bars.length > 0 ? WIDTH / bars.length : WIDTH;
  const width = Math.min(40, Math.max(2, slot * 0.7));
  const labelEvery = Math.max(1, Math.ceil(bars.length / 16));
  const scale = (v: number) => (max > 0 ? (Math.max(0, v) / max) * (height - axis - top) : 0);
  const peak = bars.findIndex((b) => b.value === max && max > 0);
  return (
    <figure className="hq-chart" data-testid={testId}>
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${height}`} role="img" aria-label={title}>
        <line x1="0" x2={WIDTH} y1={height - axis} y2={height - axis} className="axis" />
        {bars.map((bar, i) => {
          const h = scale(bar.value);
          return (
            <g key={bar.key}>
              <rect
                x={i * slot + (slot - width) / 2}
                y={height - axis - h}
                width={width}
                height={h}
                className={i === peak ? 'bar peak' : 'bar'}
                data-value={bar.value}
              >
                <title>{`${bar.label}: ${format(bar.value)}`}</title>
              </rect>
              {i % labelEvery === 0 ? (
                <text x={i * slot + slot / 2} y={height - 5} textAnchor="middle" className="label">
                  {bar.label}
                </text>
              ) : null}
              {i === peak ? (
                <text
                  x={Math.min(Math.max(i * slot + slot / 2, 50), WIDTH - 50)}
                  y={height - axis - h - 4}
                  textAnchor="middle"
                  className="value"
                >
                  {format(bar.value)}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
      <HiddenTable bars={bars} format={format} />
    </figure>
  );
}

/** Horizontal bars, largest first, at most `limit` of them (the table below has every row). */
export function BarChart({
  bars,
  format,
  title,
  testId,
  limit = 12,
}: {
  bars: readonly ChartBar[];
  format(value: number): string;
  title: string;
  testId: string;
  limit?: number;
}) {
  const shown = [...bars].sort((a, b) => b.value - a.value).slice(0, limit);
  const row = 26;
  const labelWidth = 220;
  const valueWidth = 130;
  const height = Math.max(row, shown.length * row);
  const max = Math.max(0, ...shown.map((b) => b.value));
  const scale = (v: number) => (max > 0 ? (Math.max(0, v) / max) * (WIDTH - labelWidth - valueWidth) : 0);
  return (
    <figure className="hq-chart" data-testid={testId}>
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${height}`} role="img" aria-label={title}>
        {shown.map((bar, i) => (
          <g key={bar.key}>
            <text x={labelWidth - 8} y={i * row + row / 2 + 5} textAnchor="end" className="label">
              {bar.label.length > 22 ? `${bar.label.slice(0, 21)}…` : bar.label}
            </text>
            <rect
              x={labelWidth}
              y={i * row + 4}
              width={scale(bar.value)}
              height={row - 8}
              className={i === 0 ? 'bar peak' : 'bar'}
              data-value={bar.value}
            >
              <title>{`${bar.label}: ${format(bar.value)}`}</title>
            </rect>
            <text x={labelWidth + scale(bar.value) + 6} y={i * row + row / 2 + 5} className="value">
              {format(bar.value)}
            </text>
          </g>
        ))}
      </svg>
      <HiddenTable bars={shown} format={format} />
    </figure>
  );
}

function HiddenTable({ bars, format }: { bars: readonly ChartBar[]; format(value: number): string }) {
  return (
    <table className="visually-hidden">
      <tbody>
        {bars.map((bar) => (
          <tr key={bar.key}>
            <th scope="row">{bar.label}</th>
            <td>{format(bar.value)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
