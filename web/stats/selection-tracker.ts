// Follows the selected candidate pair across stats polls: records every change with its time and calls the
// path settled once one pair has held for `settleMs` (Chromium often picks a relay pair first and moves to a
// direct one shortly after, so the first selection is not the answer).
import type { ReportCandidate, SelectedPairChange } from '../../common/report';
import { classifyPath, type PathEnd } from '../report/path-classify';
import type { StatsSnapshot } from './stats-mapping';

export const SETTLE_MS = 3000;
export const MAX_HISTORY = 100;

export interface SelectionState {
  selectedPairId: string | null;
  history: SelectedPairChange[];
  settled: boolean;
}

export const initialSelection = (): SelectionState => ({ selectedPairId: null, history: [], settled: false });

export const endpointText = (c: Pick<ReportCandidate, 'address' | 'port'>) =>
  `${c.address && c.address.includes(':') ? `[${c.address}]` : (c.address ?? '?')}:${c.port ?? '?'}`;

export const pathEnd = (c: ReportCandidate): PathEnd => ({ type: c.type, address: c.address, port: c.port, relayProtocol: c.relayProtocol });

export interface TrackInput {
  snapshot: StatsSnapshot;
  local: readonly ReportCandidate[];
  remote: readonly ReportCandidate[];
  peerLocal: PathEnd | null;
  /** ms since the test started. */
  at: number;
  settleMs?: number;
}

export function trackSelection(prev: SelectionState, { snapshot, local, remote, peerLocal, at, settleMs = SETTLE_MS }: TrackInput): SelectionState {
  const pair = snapshot.pairs.find((p) => p.id === snapshot.selectedPairId);
  const l = pair && local.find((c) => c.id === pair.localId);
  const r = pair && remote.find((c) => c.id === pair.remoteId);
  if (!pair || !l || !r) return prev.selectedPairId === null ? prev : { ...prev, selectedPairId: null, settled: false };
  const path = classifyPath({ local: pathEnd(l), remote: pathEnd(r), peerLocal });
  const entry: SelectedPairChange = { at, localType: l.type, remoteType: r.type, local: endpointText(l), remote: endpointText(r), path };
  const last = prev.history.at(-1);
  let history = prev.history;
  if (pair.id !== prev.selectedPairId || !last) {
    history = [...prev.history, entry].slice(-MAX_HISTORY);
  } else if (last.path !== path || last.remoteType !== r.type) {
    // Same pair, better knowledge (the peer's view arrived, a prflx became known): correct the entry, keep its time.
    history = [...prev.history.slice(0, -1), { ...entry, at: last.at }];
  }
  const since = history.at(-1)!.at;
  return { selectedPairId: pair.id, history, settled: at - since >= settleMs };
}
