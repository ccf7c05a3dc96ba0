// recharts views of the link test (loaded lazily with recharts): throughput over time each way, and RTT idle
// versus under load.
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { LinkQuality } from '../../common/link-quality';
import { pairedRows, PerSecondChart, type SeriesLine } from './per-second-chart';

const LINES: readonly SeriesLine[] = [
  { key: 'up', name: 'upload', color: '#2563eb' },
  { key: 'down', name: 'download', color: '#15803d' },
];

export function LinkQualityCharts({ quality }: { quality: LinkQuality }) {
  const up = quality.upload?.series ?? [];
  const down = quality.download?.series ?? [];
  const rows = pairedRows(up, down, (p) => p.at / 1000, ['up', 'down'], (p) => p.bps / 1e6);
  const rtt = [
    { name: 'idle', ms: quality.rttIdle?.medianMs ?? 0 },
    { name: 'upload load', ms: quality.rttLoadedUp?.medianMs ?? 0 },
    { name: 'download load', ms: quality.rttLoadedDown?.medianMs ?? 0 },
  ];
  const hasRtt = rtt.some((r) => r.ms > 0);
  return (
    <div className="link-charts" data-testid="link-charts">
      {rows.length > 1 && <PerSecondChart rows={rows} lines={LINES} unit=" Mb/s" formatValue={(v) => `${v.toFixed(1)} Mbit/s`} timeDigits={1} />}
      {hasRtt && (
      <div className="chart">
        <ResponsiveContainer width="100%" height={200}>
          <BarChart data={rtt} margin={{ top: 8, right: 12, bottom: 16, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="#ddd" />
            <XAxis dataKey="name" fontSize={12} />
            <YAxis unit=" ms" width={64} fontSize={12} />
            <Tooltip formatter={(v) => [`${Number(v).toFixed(1)} ms`, 'median RTT']} />
            <Bar dataKey="ms" fill="#b45309" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </div>
      )}
    </div>
  );
}
