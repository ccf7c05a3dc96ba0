// Follows the selected candidate pair across stats polls: records every change with its time and calls the
// path settled once one pair has held for `settleMs` (Chromium often picks a relay pair first and moves to a
// direct one shortly after, so the first selection is not the answer) or at once when it is host to host (nothing
// better exists), and keeps it settled across later switches that do not change the kind of path.
import type { ReportCandidate, SelectedPairChange } from '../../common/report';
import type { StatsModel } from './stats-model';

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

export interface TrackInput {
  /** The poll, read once (its selected pair and that pair's path kind). */
  model: Pick<StatsModel, 'selected'>;
  /** ms since the test started. */
  at: number;
  settleMs?: number;
}

export function trackSelection(prev: SelectionState, { model, at, settleMs = SETTLE_MS }: TrackInput): SelectionState {
  if (!model.selected) return prev.selectedPairId === null ? prev : { ...prev, selectedPairId: null, settled: false };
  const { pair, local: l, remote: r, kind: path } = model.selected;
  const entry: SelectedPairChange = { at, localType: l.type, remoteType: r.type, local: endpointText(l), remote: endpointText(r), path };
  const last = prev.history.at(-1);
  let history = prev.history;
  const samePair = last !== undefined && (pair.id === prev.selectedPairId || revealsPeerReflexive(last, entry, r));
  if (!samePair || !last) {
    history = [...prev.history, entry].slice(-MAX_HISTORY);
  } else if (last.path !== path || last.remoteType !== r.type || last.remote !== entry.remote) {
    // Same pair, better knowledge (the peer's view arrived, a prflx became known): correct the entry, keep its time.
    history = [...prev.history.slice(0, -1), { ...entry, at: last.at }];
  }
  const current = history.at(-1)!;
  // Once settled, a switch to another pair of the same path kind (e.g. to the peer's other relay candidate, seen in
  // the NAT lab under load) keeps the path settled: the path the report names did not change.
  const sameKindSwitch = prev.settled && last !== undefined && current.path === last.path;
  // Host to host is the best pair ICE can select (the highest type preference at both ends): the browser leaves it
  // only if it fails, never for a better one, so there is nothing to wait for (a LAN party's lobby settles at once)
  // once ICE has agreed on it: the pair nominated (the controlling side selects a pair a round trip before its
  // nomination is answered, and a report read as settled should list the nominated pair).
  const agreed = pair.nominated && pair.state === 'succeeded';
  const best = agreed && l.type === 'host' && r.type === 'host' && (current.path === 'direct-lan' || current.path === 'direct-public');
  return { selectedPairId: pair.id, history, settled: at - current.at >= settleMs || sameKindSwitch || best };
}

/**
 * A peer-reflexive remote (learned from the peer's check before its candidate was signaled, RFC 8445 §7.3.1.3)
 * is replaced once the signaled candidate arrives; Chromium then reports the same 5-tuple under a new pair id, and
 * until then hides the prflx address. Same local end and same remote port: not a switch, the same path known better.
 */
function revealsPeerReflexive(last: SelectedPairChange, entry: SelectedPairChange, remote: ReportCandidate): boolean {
  if (last.remoteType !== 'prflx' || last.local !== entry.local) return false;
  return last.remote === entry.remote || last.remote === `?:${remote.port ?? '?'}`;
}

/** An entry whose far end is still peer-reflexive may be corrected when the peer's candidate arrives. */
export const isProvisional = (h: SelectedPairChange): boolean => h.remoteType === 'prflx';
