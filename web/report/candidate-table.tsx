import type { ReportCandidate } from '../../common/report';
import { splitPriority } from '../peer/candidate-line';
import { ms } from '../format/milliseconds';

const TYPE_WORDS: Record<ReportCandidate['type'], string> = {
  host: 'host (own interface)',
  srflx: 'srflx (address the STUN server saw)',
  prflx: 'prflx (learned from a check)',
  relay: 'relay (TURN allocation)',
};

function priorityText(p: number | null): string {
  if (p === null) return '—';
  const { typePref, localPref, component } = splitPriority(p);
  return `${typePref} | ${localPref} | ${component}`;
}

export function CandidateTable({ title, candidates, selectedId, testId }: { title: string; candidates: readonly ReportCandidate[]; selectedId: string | null; testId: string }) {
  return (
    <section>
      <h2>
        {title} <span className="count">({candidates.length})</span>
      </h2>
      {candidates.length === 0 ? (
        <p className="empty">None yet.</p>
      ) : (
        <div className="table-wrap">
          <table data-testid={testId}>
            <thead>
              <tr>
                <th>Time</th>
                <th>Type</th>
                <th>Protocol</th>
                <th>Address</th>
                <th>Port</th>
                <th title="type preference | local preference | component (RFC 8445 §5.1.2)">Priority</th>
                <th>Relay protocol</th>
                <th>Server</th>
              </tr>
            </thead>
            <tbody>
              {candidates.map((c) => (
                <tr key={c.id} className={c.id === selectedId ? 'selected' : ''}>
                  <td className="num">{ms(c.at)}</td>
                  <td title={TYPE_WORDS[c.type]}>{c.type}</td>
                  <td>{c.protocol}</td>
                  <td className="addr">{c.address ?? '(hidden)'}</td>
                  <td className="num">{c.port ?? '—'}</td>
                  <td className="num">{priorityText(c.priority)}</td>
                  <td>{c.relayProtocol ?? ''}</td>
                  <td className="addr">{c.url ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
