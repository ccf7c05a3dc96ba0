import type { ConnectivityReport } from '../../common/report';
import { ms } from './report-format';

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
          {errors.map((e, i) => (
            <li key={i}>
              <span className="num">+{ms(e.at)}</span> <code>{e.source}</code>
              {e.code !== null && <code>{e.code}</code>} {e.message}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
