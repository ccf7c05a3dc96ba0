// This page's view of one of its lobby links (peer-info `links`), read from that pair's AppStore. Pure: the lobby
// session calls it on every change of the pair store and broadcasts the result when it differs.
import type { LinkSummary } from '../../common/messages';
import type { AppState } from '../store/app-store';
import { selectStatsModel } from '../store/stats-slice';

/** RTT samples the jitter is taken over (the newest ones). */
export const JITTER_WINDOW = 20;
/** Pings that may still be on their way when loss is counted (one per ping interval in flight at most). */
const IN_FLIGHT = 1;

export interface PairFacts {
  /** The driver was closed (the peer left, or this page stopped). */
  closed: boolean;
  /** Pings sent on the unreliable ping channel so far. */
  pingsSent: number;
  /** When the state last changed, ms since the lobby session started. */
  stateAt: number;
}

export function linkState(s: Pick<AppState, 'peer'>, closed: boolean): LinkSummary['state'] {
  if (closed) return 'closed';
  switch (s.peer.peerState) {
    case 'connected':
    case 'disconnected': // consent checks may lag; ICE may recover
      return 'connected';
    case 'failed':
      return 'failed';
    case 'peer-left':
      return 'closed';
    default:
      return 'connecting';
  }
}

/** Mean absolute difference of consecutive RTTs (RFC 3550 §6.4.1's idea, on round trips), ms. */
export function rttJitter(samples: readonly { rtt: number }[]): number | null {
  const last = samples.slice(-JITTER_WINDOW);
  if (last.length < 2) return null;
  let sum = 0;
  for (let i = 1; i < last.length; i++) sum += Math.abs(last[i]!.rtt - last[i - 1]!.rtt);
  return sum / (last.length - 1);
}

/** Percentage of pings that never came back (the newest may still be on its way); null before 5 were sent. */
export function pingLoss(sent: number, answered: number): number | null {
  const due = sent - IN_FLIGHT;
  if (due < 5) return null;
  return Math.min(100, Math.max(0, ((due - answered) / due) * 100));
}

const round1 = (x: number | null) => (x === null ? null : Math.round(x * 10) / 10);

export function linkSummary(s: Pick<AppState, 'peer' | 'stats' | 'rtt'>, facts: PairFacts): LinkSummary {
  const state = linkState(s, facts.closed);
  // The path once it has settled (the first selection is often a relay pair the browser leaves shortly after).
  const selected = s.stats.selection.settled ? selectStatsModel(s).selected : null;
  const last = s.rtt.samples.at(-1);
  return {
    state,
    path: state === 'connected' && selected ? selected.kind : null,
    rttMs: last ? round1(last.rtt) : null,
    jitterMs: round1(rttJitter(s.rtt.samples)),
    lossPct: round1(pingLoss(facts.pingsSent, s.rtt.count)),
    at: facts.stateAt,
  };
}

/**
 * Whether this page's store and the others should hear about this change: the state or path moved, or a figure moved enough to matter in
 * the matrix (RTT by over 2 ms and 25 %, jitter by over 2 ms and 50 %, loss by 2 points or more). Small wobbles stay
 * local, so a settled lobby's relay traffic stays near zero (docs/lobby.md).
 */
export function worthBroadcasting(last: LinkSummary | undefined, next: LinkSummary): boolean {
  if (!last || last.state !== next.state || last.path !== next.path) return true;
  const moved = (a: number | null, b: number | null, abs: number, rel: number) =>
    (a === null) !== (b === null) || (a !== null && b !== null && Math.abs(a - b) > abs && Math.abs(a - b) > rel * Math.max(a, b));
  return moved(last.rttMs, next.rttMs, 2, 0.25) || moved(last.jitterMs, next.jitterMs, 2, 0.5) || moved(last.lossPct, next.lossPct, 1.99, 0);
}
