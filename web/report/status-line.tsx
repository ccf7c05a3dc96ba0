import type { ConnectivityReport } from '../../common/report';
import { mbps } from '../quality/quality-verdict';
import { rttMs } from '../format/milliseconds';
import { PATH_EXPLANATIONS, PEER_STATE_WORDS, selectedPathText } from './report-format';

/** One line on whether the relay fallback works, once the relay-only check is over (details: "TURN relay"). */
export function relayFallbackLine(report: ConnectivityReport): { check: string; text: string } | null {
  const rc = report.relayCheck;
  if (!rc || (rc.state !== 'works' && rc.state !== 'failed')) return null;
  // With ICE_REGIONS the check ran against the region this side's network check used (diagnosis.local.regions).
  const regions = report.diagnosis?.local?.regions;
  const region = regions?.ranking.find((r) => r.id === regions.used);
  const via = region ? ` (relay check via ${region.name})` : '';
  if (rc.state === 'failed') return { check: rc.state, text: `Relay fallback${via}: FAILED — ${rc.reason ?? 'see "TURN relay"'}. Where a direct path is blocked, this setup cannot connect.` };
  const extras = [rc.rttMs !== null ? `round trip ${rttMs(rc.rttMs)}` : null, rc.throughputBps ? mbps(rc.throughputBps) : null].filter(Boolean);
  return { check: rc.state, text: `Relay fallback${via}: works — tested with a relay-only connection${extras.length ? ` (${extras.join(', ')})` : ''}.` };
}

export function StatusLine({ report }: { report: ConnectivityReport }) {
  const { path, peerState } = report;
  const settling = path.kind !== 'none' && !path.settled && peerState === 'connected';
  const relay = relayFallbackLine(report);
  return (
    <section
      className={`status status-${path.kind.startsWith('relay') ? 'relay' : path.kind === 'none' ? 'none' : 'direct'}`}
      aria-live="polite"
      // Cheap hooks for tools watching the page (the lab polls these instead of the whole raw report).
      data-testid="status-line"
      data-peer-state={peerState}
      data-path={path.kind}
      data-settled={path.settled ? 'yes' : 'no'}
    >
      <p className="status-state">
        Peer: <strong data-testid="peer-state">{PEER_STATE_WORDS[peerState]}</strong>
        {report.relayOnly && <span className="badge">relay only</span>}
      </p>
      <p className="status-path">
        <span data-testid="selected-path">{selectedPathText(report)}</span>
      </p>
      <p className="status-note">
        {PATH_EXPLANATIONS[path.kind]}{' '}
        {settling && <em>May still change: settled once the pair holds for {path.settleMs / 1000} s.</em>}
        {path.settled && <em>Settled (held {path.settleMs / 1000} s).</em>}
      </p>
      {relay && (
        <p className={`status-note ${relay.check === 'works' ? 'ok' : 'bad'}`} data-testid="status-relay-fallback" data-check={relay.check}>
          {relay.text}
        </p>
      )}
      {path.asymmetry && (
        <p className="status-note" data-testid="path-asymmetry" role="note">
          {path.asymmetry}
        </p>
      )}
    </section>
  );
}
