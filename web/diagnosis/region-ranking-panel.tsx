// The ICE regions ranked by round trip (nearest first) and the one the network check used. Renders the
// diagnosis' `regions` only; nothing without ICE_REGIONS.
import type { RegionChoice } from '../../common/ice-regions';

export function RegionRankingPanel({ choice, testIdPrefix = '' }: { choice: RegionChoice | null | undefined; testIdPrefix?: string }) {
  if (!choice || choice.ranking.length === 0) return null;
  const used = choice.ranking.find((r) => r.id === choice.used);
  return (
    <div className="region-ranking" data-testid={`${testIdPrefix}region-ranking`} data-used={choice.used ?? ''}>
      <h4>Server regions</h4>
      <p className="muted">
        {used ? `Tests ran against the nearest: ${used.name}.` : 'No region answered: the tests ran against the first one.'}
      </p>
      <table>
        <thead>
          <tr>
            <th>Region</th>
            <th>Round trip</th>
          </tr>
        </thead>
        <tbody>
          {choice.ranking.map((r) => (
            <tr key={r.id} data-region={r.id} data-rtt={r.rttMs ?? ''}>
              <td>
                {r.name}
                {r.id === choice.used ? ' (used)' : ''}
              </td>
              <td>{r.rttMs === null ? 'no answer' : `${r.rttMs} ms`}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">{choice.method}</p>
    </div>
  );
}
