// recharts views of the link test (loaded lazily with recharts): throughput over time each way, and RTT idle
// versus under load.
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { LinkQuality } from '../../common/link-quality';

export function LinkQualityCharts({ quality }: { quality: LinkQuality }) {
  const up = quality.upload?.series ?? [];
  const down = quality.download?.series ?? [];
  const n = Math.max(up.length, down.length);
  const data = Array.from({ length: n }, (_, i) => ({
    t: ((up[i] ?? down[i])!.at) / 1000,
    up: up[i] ? up[i]!.bps / 1e6 : null,
    down: down[i] ? down[i]!.bps / 1e6 : null,
  }));
  const rtt = [
    { name: 'idle', ms: quality.rttIdle?.medianMs ?? 0 },
    { name: 'upload load', ms: quality.rttLoadedUp?.medianMs ?? 0 },
    { name: 'download load', ms: quality.rttLoadedDown?.medianMs ?? 0 },
  ];
  const hasRtt = rtt.some((r) => r.ms > 0);
  return (
    <div className="link-charts" data-testid="link-charts">
      {n > 1 && (
      <div className="chart">
        <ResponsiveContainer width="100%" height={200}>
          <LineChart data={data} margin={{ top: 8, right: 12, bottom: 16, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="#ddd" />
            <XAxis dataKey="t" type="number" domain={[0, 'dataMax']} tickFormatter={(v: number) => `${v.toFixed(1)} s`} fontSize={12} />
            <YAxis unit=" Mb/s" width={72} fontSize={12} domain={[0, 'auto']} />
            <Tooltip formatter={(v, name) => [`${Number(v).toFixed(1)} Mbit/s`, name === 'up' ? 'upload' : 'download']} labelFormatter={(v) => `+${Number(v).toFixed(2)} s`} />
            <Legend formatter={(v) => (v === 'up' ? 'upload' : 'download')} />
            <Line type="linear" dataKey="up" stroke="#2563eb" dot={false} isAnimationActive={false} strokeWidth={2} connectNulls />
            <Line type="linear" dataKey="down" stroke="#15803d" dot={false} isAnimationActive={false} strokeWidth={2} connectNulls />
          </LineChart>
        </ResponsiveContainer>
      </div>
      )}
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
