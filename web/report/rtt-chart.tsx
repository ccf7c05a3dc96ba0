import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ConnectivityReport } from '../../common/report';

const MAX_POINTS = 240; // the last 2 minutes; the report keeps more

export function RttChart({ samples }: { samples: ConnectivityReport['rtt']['samples'] }) {
  const data = samples.slice(-MAX_POINTS).map((s) => ({ t: s.at / 1000, rtt: s.rtt }));
  return (
    <div className="chart" data-testid="rtt-chart">
      <ResponsiveContainer width="100%" height={200}>
        <LineChart data={data} margin={{ top: 8, right: 12, bottom: 16, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#ddd" />
          <XAxis dataKey="t" type="number" domain={['dataMin', 'dataMax']} tickFormatter={(v: number) => `${v.toFixed(0)} s`} fontSize={12} />
          <YAxis unit=" ms" width={64} fontSize={12} domain={[0, 'auto']} />
          <Tooltip formatter={(v) => [`${Number(v).toFixed(2)} ms`, 'RTT']} labelFormatter={(v) => `+${Number(v).toFixed(1)} s`} />
          <Line type="linear" dataKey="rtt" stroke="#2563eb" dot={data.length <= 40} isAnimationActive={false} strokeWidth={2} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
