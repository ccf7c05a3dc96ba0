import type { ConnectivityReport } from '../../common/report';
import { PATH_LABELS } from '../../common/path-kind';
import { isProvisional } from '../stats/selection-tracker';
import { ms } from '../format/milliseconds';

export function PairHistory({ report }: { report: ConnectivityReport }) {
  const history = report.selectedPairHistory;
  return (
    <section>
      <h2>Selected pair over time</h2>
      {history.length === 0 ? (
        <p className="empty">No pair selected yet.</p>
      ) : (
        <ol className="history" data-testid="pair-history">
          {history.map((h, i) => {
            // A peer-reflexive far end: the browser learned the address from a check before the peer's candidate
            // arrived, so the path kind is a guess until then (the entry is corrected in place, not switched).
            const provisional = isProvisional(h);
            const current = i === history.length - 1 && !report.path.settled;
            return (
              <li key={`${h.at}-${i}`} data-provisional={provisional ? 'true' : undefined}>
                <span className="num">+{ms(h.at)}</span> {i === 0 ? 'first selected' : 'switched to'} {h.localType} {h.local} ⇄ {h.remoteType} {h.remote}:{' '}
                <strong>{PATH_LABELS[h.path]}</strong>
                {provisional && (
                  <span className="muted">
                    {current
                      ? ' (provisional: the peer’s address was learned from a check; the path is confirmed when its candidate arrives)'
                      : ' (peer-reflexive far end: the path kind could not be confirmed)'}
                  </span>
                )}
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
