// Candidate-pair state changes from successive getStats() polls (RFC 8445 §6.1.2.6 states: frozen, waiting,
// in-progress, succeeded, failed). Stats give only the current state, so a change is dated to the poll that
// saw it. Pure: previous states in, events and next states out.
import type { IceEvent } from '../../common/ice-events';
import type { ReportCandidate, ReportPair } from '../../common/report';
import { endpointText } from '../stats/selection-tracker';

export type PairStates = Readonly<Record<string, string>>;

export const describeCandidate = (c: Pick<ReportCandidate, 'type' | 'address' | 'port'> | undefined): string =>
  c ? `${c.type} ${endpointText(c)}` : 'unknown';

export function diffPairStates(
  prev: PairStates,
  pairs: readonly ReportPair[],
  at: number,
  local: readonly ReportCandidate[],
  remote: readonly ReportCandidate[],
): { events: Extract<IceEvent, { kind: 'pair' }>[]; states: PairStates } {
  const events: Extract<IceEvent, { kind: 'pair' }>[] = [];
  let states: Record<string, string> | null = null;
  for (const p of pairs) {
    const before = prev[p.id] ?? null;
    if (before === p.state) continue;
    states ??= { ...prev };
    states[p.id] = p.state;
    events.push({
      at,
      kind: 'pair',
      pairId: p.id,
      local: describeCandidate(local.find((c) => c.id === p.localId)),
      remote: describeCandidate(remote.find((c) => c.id === p.remoteId)),
      state: p.state,
      from: before,
    });
  }
  return { events, states: states ?? prev };
}
