// recharts views of the call test (loaded lazily with recharts): bit rate and frame rate over time, each way.
import type { CallPoint, CallTest } from '../../common/call-report';
import { pairedRows, PerSecondChart, type SeriesLine } from './per-second-chart';

const LINES: readonly SeriesLine[] = [
  { key: 'in', name: 'other → this page', color: '#15803d' },
  { key: 'out', name: 'this page → other', color: '#2563eb' },
];

export function CallCharts({ call }: { call: CallTest }) {
  const inc = call.incoming?.series ?? [];
  const out = call.outgoing?.series ?? [];
  const rows = (value: (p: CallPoint) => number | null) => pairedRows(inc, out, (p) => p.at, ['in', 'out'], value);
  return (
    <div className="link-charts" data-testid="call-charts">
      <PerSecondChart rows={rows((p) => p.bps / 1e6)} lines={LINES} unit=" Mb/s" formatValue={(v) => `${v.toFixed(2)} Mbit/s`} />
      <PerSecondChart rows={rows((p) => p.fps)} lines={LINES} unit=" fps" yWidth={64} formatValue={(v) => `${v.toFixed(0)} frames/s`} />
    </div>
  );
}
