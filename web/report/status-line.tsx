import type { ConnectivityReport } from '../../common/report';
import { PATH_EXPLANATIONS, PEER_STATE_WORDS, selectedPathText } from './report-format';

export function StatusLine({ report }: { report: ConnectivityReport }) {
  const { path, peerState } = report;
  const settling = path.kind !== 'none' && !path.settled && peerState === 'connected';
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
      {path.asymmetry && (
        <p className="status-note" data-testid="path-asymmetry" role="note">
          {path.asymmetry}
        </p>
      )}
    </section>
  );
}
