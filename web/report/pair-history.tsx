import { PATH_LABELS, type ConnectivityReport } from '../../common/report';
import { ms } from './report-format';

export function PairHistory({ report }: { report: ConnectivityReport }) {
  const history = report.selectedPairHistory;
  return (
    <section>
      <h2>Selected pair over time</h2>
      {history.length === 0 ? (
        <p className="empty">No pair selected yet.</p>
      ) : (
        <ol className="history" data-testid="pair-history">
          {history.map((h, i) => (
            <li key={`${h.at}-${i}`}>
              <span className="num">+{ms(h.at)}</span> {i === 0 ? 'first selected' : 'switched to'} {h.localType} {h.local} ⇄ {h.remoteType} {h.remote}:{' '}
              <strong>{PATH_LABELS[h.path]}</strong>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
