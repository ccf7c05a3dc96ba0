// The ICE regions ranked by round trip (nearest first) and the one the network check used. Renders the
// diagnosis' `regions` (or, in a lobby, the ranking its links use: connection-region.ts) only; nothing without
// ICE_REGIONS.
import { useStore } from 'zustand';
import type { RegionChoice } from '../../common/ice-regions';
import type { ConnectionRegion } from './connection-region';

const TESTS_RAN = (name: string) => `Tests ran against the nearest: ${name}.`;
const LINKS_USE = (name: string) => `Your links, network check and relay checks use the nearest: ${name}.`;

export function RegionRankingPanel({ choice, testIdPrefix = '', usedText = TESTS_RAN }: { choice: RegionChoice | null | undefined; testIdPrefix?: string; usedText?: (name: string) => string }) {
  if (!choice || choice.ranking.length === 0) return null;
  const used = choice.ranking.find((r) => r.id === choice.used);
  return (
    <div className="region-ranking" data-testid={`${testIdPrefix}region-ranking`} data-used={choice.used ?? ''}>
      <h4>Server regions</h4>
      <p className="muted">
        {used ? usedText(used.name) : 'No region answered: the tests ran against the first one.'}
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

/** A lobby page: the ranking its links use (shown as soon as it is measured, before the network check has run). */
export function ConnectionRegionPanel({ region }: { region: ConnectionRegion }) {
  const choice = useStore(region.store, (s) => s.choice);
  return <RegionRankingPanel choice={choice} testIdPrefix="lobby-" usedText={LINKS_USE} />;
}
