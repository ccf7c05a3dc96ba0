// The report's one recharts setup for a per-second series each way (link-test throughput, call bit rate and frame
// rate): a line per direction over seconds, the same grid, axes, tooltip and legend everywhere. Loaded lazily with
// recharts by the charts that use it.
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

export interface SeriesLine {
  key: string;
  name: string;
  color: string;
}

export type SeriesRow = { t: number } & Record<string, number | null>;

/** Rows for two series sampled on the same ticks (index i of each is the same second); a missing side is null. */
export function pairedRows<P>(a: readonly P[], b: readonly P[], seconds: (p: P) => number, keys: readonly [string, string], value: (p: P) => number | null): SeriesRow[] {
  const n = Math.max(a.length, b.length);
  return Array.from({ length: n }, (_, i) => {
    const pa = a[i];
    const pb = b[i];
    return { t: seconds((pa ?? pb)!), [keys[0]]: pa === undefined ? null : value(pa), [keys[1]]: pb === undefined ? null : value(pb) } as SeriesRow;
  });
}

export interface PerSecondChartProps {
  rows: readonly SeriesRow[];
  lines: readonly SeriesLine[];
  /** Axis unit, e.g. " Mb/s". */
  unit: string;
  yWidth?: number;
  /** A value as the tooltip shows it, e.g. "1.25 Mbit/s". */
  formatValue(v: number): string;
  /** Decimals of the time axis and the tooltip's time. */
  timeDigits?: number;
}

export function PerSecondChart({ rows, lines, unit, yWidth = 72, formatValue, timeDigits = 0 }: PerSecondChartProps) {
  const nameOf = (key: unknown) => lines.find((l) => l.key === key)?.name ?? String(key);
  return (
    <div className="chart">
      <ResponsiveContainer width="100%" height={200}>
        <LineChart data={[...rows]} margin={{ top: 8, right: 12, bottom: 16, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#ddd" />
          <XAxis dataKey="t" type="number" domain={[0, 'dataMax']} tickFormatter={(v: number) => `${v.toFixed(timeDigits)} s`} fontSize={12} />
          <YAxis unit={unit} width={yWidth} fontSize={12} domain={[0, 'auto']} />
          <Tooltip formatter={(v, key) => [formatValue(Number(v)), nameOf(key)]} labelFormatter={(v) => `${Number(v).toFixed(timeDigits)} s`} />
          <Legend formatter={nameOf} />
          {lines.map((l) => (
            <Line key={l.key} type="linear" dataKey={l.key} stroke={l.color} dot={false} isAnimationActive={false} strokeWidth={2} connectNulls />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
