// "TURN relay": whether each side has a relay candidate (and why not), and whether the relay fallback was
// shown to work in this test. Stable hooks: relay-local (data-state), relay-remote (data-count), relay-fallback
// (data-verified, data-check: the relay-only check's state).
import type { ConnectivityReport } from '../../common/report';
import { relayCoverage, type LocalRelay } from './relay-coverage';

function localText(l: LocalRelay): string {
  switch (l.state) {
    case 'gathered':
      return `${l.count} relay candidate${l.count === 1 ? '' : 's'} (reaching the TURN server over ${l.via.join(' and ')})`;
    case 'not-configured':
      return 'no TURN server configured, so no relay candidate';
    case 'pending':
      return 'still gathering…';
    case 'not-gathered':
      return `relay candidate not gathered (${l.text})`;
    default: {
      const unreachable: never = l;
      return unreachable;
    }
  }
}

export function RelayCoverageView({ report }: { report: ConnectivityReport }) {
  if (report.peerState === 'waiting') return null;
  const r = relayCoverage(report);
  return (
    <section className="relay-coverage" data-testid="relay-coverage">
      <h2>TURN relay</h2>
      <dl>
        <dt>This side</dt>
        <dd data-testid="relay-local" data-state={r.local.state} data-reason={r.local.state === 'not-gathered' ? r.local.reason : undefined}>
          {localText(r.local)}
        </dd>
        <dt>The other side</dt>
        <dd data-testid="relay-remote" data-count={r.remoteCount}>
          {r.remoteCount > 0 ? `sent ${r.remoteCount} relay candidate${r.remoteCount === 1 ? '' : 's'}` : 'sent no relay candidate (its own report says why)'}
        </dd>
        <dt>Relay fallback</dt>
        <dd data-testid="relay-fallback" data-verified={String(r.fallback.verified)} data-check={r.fallback.check ?? undefined} className={r.fallback.verified ? 'ok' : r.fallback.check === 'failed' ? 'bad' : r.fallback.check === 'running' ? undefined : 'warn'}>
          {r.fallback.text}
        </dd>
        {r.networkCheck !== null && r.networkCheck !== 'not-tested' && (
          <>
            <dt>TURN allocation</dt>
            <dd data-testid="relay-network-check" data-value={r.networkCheck}>
              {r.networkCheck === 'ok' ? 'this side’s network check got a TURN relay over TCP' : 'this side’s network check could not get a TURN relay over TCP'}
            </dd>
          </>
        )}
      </dl>
    </section>
  );
}
