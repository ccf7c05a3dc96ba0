import { lazy, Suspense } from 'react';
import type { ConnectivityReport } from '../../common/report';
import { rttMs } from '../format/milliseconds';

// recharts is the heaviest dependency: load it only when there is something to draw.
const RttChart = lazy(() => import('./rtt-chart').then((m) => ({ default: m.RttChart })));

export function RttPanel({ rtt }: { rtt: ConnectivityReport['rtt'] }) {
  return (
    <section>
      <h2>Round-trip time (data channel)</h2>
      <dl className="rtt-summary">
        <div>
          <dt>samples</dt>
          <dd data-testid="rtt-samples">{rtt.samples.length}</dd>
        </div>
        <div>
          <dt>min</dt>
          <dd>{rttMs(rtt.min)}</dd>
        </div>
        <div>
          <dt>avg</dt>
          <dd>{rttMs(rtt.avg)}</dd>
        </div>
        <div>
          <dt>max</dt>
          <dd>{rttMs(rtt.max)}</dd>
        </div>
      </dl>
      {rtt.samples.length > 1 ? (
        <Suspense fallback={<div className="chart-placeholder">Loading chart…</div>}>
          <RttChart samples={rtt.samples} />
        </Suspense>
      ) : (
        <p className="empty">Pings start once the data channel is open (one every 500 ms).</p>
      )}
    </section>
  );
}
