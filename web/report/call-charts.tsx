// recharts views of the call test (loaded lazily with recharts): bit rate and frame rate over time, each way.
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { CallTest } from '../../common/call-report';

export function CallCharts({ call }: { call: CallTest }) {
  const inc = call.incoming?.series ?? [];
  const out = call.outgoing?.series ?? [];
  const n = Math.max(inc.length, out.length);
  const data = Array.from({ length: n }, (_, i) => ({
    t: (inc[i] ?? out[i])!.at,
    inBps: inc[i] ? inc[i]!.bps / 1e6 : null,
    outBps: out[i] ? out[i]!.bps / 1e6 : null,
    inFps: inc[i]?.fps ?? null,
    outFps: out[i]?.fps ?? null,
  }));
  const name = (v: unknown) => (String(v).startsWith('in') ? 'other → this page' : 'this page → other');
  return (
    <div className="link-charts" data-testid="call-charts">
      <div className="chart">
        <ResponsiveContainer width="100%" height={200}>
          <LineChart data={data} margin={{ top: 8, right: 12, bottom: 16, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="#ddd" />
            <XAxis dataKey="t" type="number" domain={[0, 'dataMax']} tickFormatter={(v: number) => `${v.toFixed(0)} s`} fontSize={12} />
            <YAxis unit=" Mb/s" width={72} fontSize={12} domain={[0, 'auto']} />
            <Tooltip formatter={(v, n) => [`${Number(v).toFixed(2)} Mbit/s`, name(n)]} labelFormatter={(v) => `${Number(v).toFixed(0)} s`} />
            <Legend formatter={name} />
            <Line type="linear" dataKey="inBps" stroke="#15803d" dot={false} isAnimationActive={false} strokeWidth={2} connectNulls />
            <Line type="linear" dataKey="outBps" stroke="#2563eb" dot={false} isAnimationActive={false} strokeWidth={2} connectNulls />
          </LineChart>
        </ResponsiveContainer>
      </div>
      <div className="chart">
        <ResponsiveContainer width="100%" height={200}>
          <LineChart data={data} margin={{ top: 8, right: 12, bottom: 16, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="#ddd" />
            <XAxis dataKey="t" type="number" domain={[0, 'dataMax']} tickFormatter={(v: number) => `${v.toFixed(0)} s`} fontSize={12} />
            <YAxis unit=" fps" width={64} fontSize={12} domain={[0, 'auto']} />
            <Tooltip formatter={(v, n) => [`${Number(v).toFixed(0)} frames/s`, name(n)]} labelFormatter={(v) => `${Number(v).toFixed(0)} s`} />
            <Legend formatter={name} />
            <Line type="linear" dataKey="inFps" stroke="#15803d" dot={false} isAnimationActive={false} strokeWidth={2} connectNulls />
            <Line type="linear" dataKey="outFps" stroke="#2563eb" dot={false} isAnimationActive={false} strokeWidth={2} connectNulls />
          </LineChart>
        </ResponsiveContainer>
      </div>
    </div>
  );
}
