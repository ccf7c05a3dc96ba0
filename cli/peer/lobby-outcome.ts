// When the headless peer in a lobby is done, and how it ended: pure functions of the lobby store the page renders,
// so the adapter (headless-lobby.ts) only subscribes and the cases are tested without sockets.
import type { LinkSummary } from '../../common/messages';
import type { LobbyState } from '../../web/lobby/lobby-types';

export type LobbyOutcome =
  /** Every link of this peer settled (a path both ends classified, or failed). */
  | { kind: 'done' }
  | { kind: 'server-unreachable'; message: string }
  | { kind: 'lobby-full' }
  /** Fewer peers than --peers asked for joined before the deadline (counting this one). */
  | { kind: 'no-peer'; joined: number }
  /** The deadline came while a link was still connecting (never connected). */
  | { kind: 'no-connection' }
  /** The deadline came while a connected link had no settled path, or the other end had not reported its view. */
  | { kind: 'incomplete' }
  | { kind: 'interrupted' };

/** One link's two views once it has settled: this peer's, and the other end's (null when this end failed and the
 *  other never said). Settled means this end failed, or both ends report a connected, classified path or a failure. */
export interface SettledLink {
  mine: LinkSummary;
  theirs: LinkSummary | null;
}

const classified = (v: LinkSummary | undefined) => v?.state === 'connected' && v.path !== null;

export function settledLink(s: Pick<LobbyState, 'selfId' | 'links'>, other: string): SettledLink | null {
  if (s.selfId === null) return null;
  const mine = s.links[s.selfId]?.[other];
  const theirs = s.links[other]?.[s.selfId];
  if (mine?.state === 'failed') return { mine, theirs: theirs ?? null };
  if (classified(mine) && (classified(theirs) || theirs?.state === 'failed')) return { mine: mine!, theirs: theirs! };
  return null;
}

/** Other members in join order; `present` leaves out those who left. */
export function otherMembers(s: Pick<LobbyState, 'members'>, present: boolean): string[] {
  return Object.values(s.members).filter((m) => !m.self && (!present || m.leftAt === null)).map((m) => m.peerId);
}

/** An outcome that ends the run at once (full, signaling gone for good), else null. */
export function abortOutcome(s: Pick<LobbyState, 'full' | 'fatal'>): LobbyOutcome | null {
  if (s.full) return { kind: 'lobby-full' };
  if (s.fatal !== null) return { kind: 'server-unreachable', message: s.fatal };
  return null;
}

/**
 * Done when at least `wantPeers` members (this one included) have been in the lobby, the links among the others
 * still present have settled, and every other member still present has a settled link (`settled`: latched by the adapter, so a link that closes after settling stays settled).
 */
export function allSettled(s: Pick<LobbyState, 'members' | 'selfId' | 'links'>, wantPeers: number, settled: ReadonlyMap<string, SettledLink>): boolean {
  if (s.selfId === null || Object.keys(s.members).length < wantPeers) return false;
  if (!othersSettled(s)) return false;
  // At least one link settled (alone is never done) — not "someone still present": the others may finish and leave
  // while this peer waits out its broadcast lag, and their links stay settled.
  return settled.size > 0 && otherMembers(s, true).every((id) => settled.has(id));
}

/** The links between the other members still present have settled too (both ends classified, or either failed),
 *  so the headline and host choice describe the whole lobby, not a moment when two others were still connecting. */
function othersSettled(s: Pick<LobbyState, 'members' | 'links'>): boolean {
  const ids = otherMembers(s, true);
  for (let i = 0; i < ids.length; i++) {
    for (let j = i + 1; j < ids.length; j++) {
      const x = s.links[ids[i]!]?.[ids[j]!];
      const y = s.links[ids[j]!]?.[ids[i]!];
      if (!((classified(x) && classified(y)) || x?.state === 'failed' || y?.state === 'failed')) return false;
    }
  }
  return true;
}

/** What the deadline means when the run had not ended. */
export function lobbyOutcomeAtDeadline(s: Pick<LobbyState, 'members' | 'selfId' | 'links' | 'full' | 'fatal'>, wantPeers: number): LobbyOutcome {
  const abort = abortOutcome(s);
  if (abort) return abort;
  const joined = Object.keys(s.members).length;
  if (s.selfId === null || joined < wantPeers || otherMembers(s, false).length === 0) return { kind: 'no-peer', joined: Math.max(joined, s.selfId === null ? 0 : 1) };
  const mine = s.links[s.selfId] ?? {};
  const neverConnected = otherMembers(s, true).some((id) => (mine[id]?.state ?? 'connecting') === 'connecting');
  return neverConnected ? { kind: 'no-connection' } : { kind: 'incomplete' };
}
