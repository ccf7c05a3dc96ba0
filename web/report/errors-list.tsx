import type { ConnectivityReport } from '../../common/report';
import { explainReportError } from '../errors/limit-messages';
import { ms } from '../format/milliseconds';

export function ErrorsList({ errors }: { errors: ConnectivityReport['errors'] }) {
  return (
    <section>
      <h2>
        Errors <span className="count">({errors.length})</span>
      </h2>
      {errors.length === 0 ? (
        <p className="empty">None.</p>
      ) : (
        <ul className="errors" data-testid="errors">
          {errors.map((e, i) => {
            // A limit the server hit (TURN 486/508, a signaling refusal) is said in plain words under the raw line.
            const explained = explainReportError(e);
            return (
              <li key={i}>
                <span className="num">+{ms(e.at)}</span> <code>{e.source}</code>
                {e.code !== null && <code>{e.code}</code>} {e.message}
                {explained && (
                  <>
                    <br />
                    <span className="explained" data-testid="error-explained">
                      {explained.charAt(0).toUpperCase() + explained.slice(1)}
                    </span>
                  </>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
