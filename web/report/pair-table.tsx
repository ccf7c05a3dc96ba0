import type { ConnectivityReport, ReportCandidate } from '../../common/report';
import { endpointText } from '../stats/selection-tracker';
import { rttMs } from '../format/milliseconds';

function end(c: ReportCandidate | undefined): string {
  return c ? `${c.type} ${endpointText(c)}` : '?';
}

export function PairTable({ report }: { report: ConnectivityReport }) {
  const local = new Map(report.localCandidates.map((c) => [c.id, c]));
  const remote = new Map(report.remoteCandidates.map((c) => [c.id, c]));
  const selectedLocal = report.selectedPair?.local.id;
  const selectedRemote = report.selectedPair?.remote.id;
  return (
    <section>
      <h2>
        Candidate pairs <span className="count">({report.pairs.length})</span>
      </h2>
      {report.pairs.length === 0 ? (
        <p className="empty">No pairs checked yet.</p>
      ) : (
        <div className="table-wrap">
          <table data-testid="pair-table">
            <thead>
              <tr>
                <th>Local</th>
                <th>Remote</th>
                <th>State</th>
                <th>Nominated</th>
                <th title="STUN connectivity checks sent / answers received">Checks sent / answered</th>
                <th>Current RTT</th>
                <th>Bytes sent / received</th>
              </tr>
            </thead>
            <tbody>
              {report.pairs.map((p) => {
                const selected = p.localId === selectedLocal && p.remoteId === selectedRemote;
                return (
                  <tr key={p.id} className={selected ? 'selected' : `state-${p.state}`}>
                    <td className="addr">
                      {selected && <span className="badge">selected</span>} {end(local.get(p.localId))}
                    </td>
                    <td className="addr">{end(remote.get(p.remoteId))}</td>
                    <td>{p.state}</td>
                    <td>{p.nominated ? 'yes' : ''}</td>
                    <td className="num">
                      {p.requestsSent} / {p.responsesReceived}
                    </td>
                    <td className="num">{rttMs(p.currentRtt)}</td>
                    <td className="num">
                      {p.bytesSent} / {p.bytesReceived}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
