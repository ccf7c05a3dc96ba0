// When the headless peer is done, and how it ended, read from the same store the page renders: pure functions of
// the state, so the command's adapter only subscribes and the cases are tested without sockets.
import type { AppState } from '../../web/store/app-store';
import { callPending } from '../../web/store/call-slice';

export type RoomOutcome =
  /** The test ran to its end (link test and relay check over). */
  | { kind: 'done' }
  /** The signaling socket could not be opened, or closed for good. */
  | { kind: 'server-unreachable'; message: string }
  | { kind: 'room-full' }
  /** Nobody else was in the room before the deadline. */
  | { kind: 'no-peer' }
  /** The other peer left before the test ended. */
  | { kind: 'peer-left' }
  /** The peers met but ICE found no working pair (or never got there before the deadline). */
  | { kind: 'no-connection' }
  /** Connected, but the deadline came before the link test and relay check ended. */
  | { kind: 'incomplete' }
  | { kind: 'interrupted' };

type OutcomeState = Pick<AppState, 'signaling' | 'ui' | 'peer' | 'link' | 'call'>;

/** The outcome once there is one; null while the test is still under way. */
export function settledOutcome(s: OutcomeState): RoomOutcome | null {
  // Finished first: the other side may close its connection as soon as it is done too.
  if (finished(s)) return { kind: 'done' };
  if (s.signaling.roomFull) return { kind: 'room-full' };
  if (s.signaling.status === 'closed' && s.ui.fatal !== null) return { kind: 'server-unreachable', message: s.ui.fatal };
  if (s.peer.startedAt !== null && s.peer.peerState === 'failed') return { kind: 'no-connection' };
  if (s.peer.startedAt !== null && s.peer.peerState === 'peer-left') return { kind: 'peer-left' };
  return null;
}

/** The link test has a result, no call test is pending, and the relay check (not in relay-only tests) is over. */
function finished(s: OutcomeState): boolean {
  if (s.peer.startedAt === null || s.link.quality === null || callPending(s.call)) return false;
  return s.peer.relayOnly || (s.link.relayCheck !== null && s.link.relayCheck.state !== 'running');
}

/** What the deadline means for a test that had not settled. */
export function outcomeAtDeadline(s: OutcomeState): RoomOutcome {
  const settled = settledOutcome(s);
  if (settled) return settled;
  if (s.peer.startedAt === null) return { kind: 'no-peer' };
  if (s.peer.peerState === 'connected' || s.peer.peerState === 'disconnected') return { kind: 'incomplete' };
  return { kind: 'no-connection' };
}
