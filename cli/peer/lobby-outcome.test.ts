// When the headless lobby peer is done, from the lobby state alone: which links count as settled, and what the
// deadline means.
import { describe, expect, it } from 'vitest';
import type { LinkSummary } from '../../common/messages';
import type { LobbyMember, LobbyState } from '../../web/lobby/lobby-types';
import { allSettled, lobbyOutcomeAtDeadline, settledLink, type SettledLink } from './lobby-outcome';

const view = (state: LinkSummary['state'], path: LinkSummary['path'] = null): LinkSummary => ({ state, path, rttMs: null, jitterMs: null, lossPct: null, at: 0 });
const member = (peerId: string, self = false, leftAt: number | null = null): LobbyMember => ({ peerId, name: peerId, self, joinedAt: 0, leftAt, diagnosis: null });

function lobby(links: LobbyState['links'], members = [member('me', true), member('b')]): Pick<LobbyState, 'members' | 'selfId' | 'links' | 'full' | 'fatal'> {
  return { selfId: 'me', members: Object.fromEntries(members.map((m) => [m.peerId, m])), links, full: false, fatal: null };
}

describe('settledLink', () => {
  it('needs both ends connected on a classified path, or this end failed', () => {
    expect(settledLink(lobby({ me: { b: view('connected', 'direct-lan') } }), 'b')).toBeNull();
    expect(settledLink(lobby({ me: { b: view('connected', null) }, b: { me: view('connected', 'direct-lan') } }), 'b')).toBeNull();
    expect(settledLink(lobby({ me: { b: view('connected', 'direct-lan') }, b: { me: view('connected', 'relay-udp') } }), 'b')).toMatchObject({ mine: { path: 'direct-lan' }, theirs: { path: 'relay-udp' } });
    expect(settledLink(lobby({ me: { b: view('connected', 'direct-lan') }, b: { me: view('failed') } }), 'b')).not.toBeNull();
    expect(settledLink(lobby({ me: { b: view('failed') } }), 'b')).toEqual({ mine: view('failed'), theirs: null });
    expect(settledLink(lobby({ me: { b: view('closed') }, b: { me: view('connected', 'direct-lan') } }), 'b')).toBeNull();
  });
});

describe('allSettled', () => {
  const link: SettledLink = { mine: view('connected', 'direct-lan'), theirs: view('connected', 'direct-lan') };
  it('waits for --peers members and a settled link to every member still present', () => {
    const bc = view('connected', 'direct-lan');
    const three = lobby({ b: { c: bc }, c: { b: bc } }, [member('me', true), member('b'), member('c')]);
    expect(allSettled(three, 2, new Map([['b', link]]))).toBe(false);
    expect(allSettled(three, 2, new Map([['b', link], ['c', link]]))).toBe(true);
    expect(allSettled(lobby({}), 3, new Map([['b', link]]))).toBe(false);
    // A member who left before its link settled is not waited for; alone is never done.
    expect(allSettled(lobby({}, [member('me', true), member('b'), member('c', false, 5)]), 2, new Map([['b', link]]))).toBe(true);
    expect(allSettled(lobby({}, [member('me', true)]), 1, new Map())).toBe(false);
    // Everyone settled, then finished and left while this peer waited out its broadcast lag: done, not stuck until
    // --timeout (the three-peer run's exit 8).
    expect(allSettled(lobby({}, [member('me', true), member('b', false, 5), member('c', false, 6)]), 3, new Map([['b', link], ['c', link]]))).toBe(true);
    expect(allSettled(lobby({}, [member('me', true), member('b', false, 5)]), 2, new Map())).toBe(false);
  });

  it('waits for the links between the others still present too (the headline describes the whole lobby)', () => {
    const up = view('connected', 'direct-lan');
    const members = [member('me', true), member('b'), member('c')];
    const mine = new Map([['b', link], ['c', link]]);
    expect(allSettled(lobby({ b: { c: up } }, members), 3, mine)).toBe(false);
    expect(allSettled(lobby({ b: { c: up }, c: { b: up } }, members), 3, mine)).toBe(true);
    expect(allSettled(lobby({ b: { c: view('failed') } }, members), 3, mine)).toBe(true);
    // One of them left: nothing left to wait for between the others.
    expect(allSettled(lobby({ b: { c: up } }, [member('me', true), member('b'), member('c', false, 9)]), 3, mine)).toBe(true);
  });
});

describe('lobbyOutcomeAtDeadline', () => {
  it('full and fatal first, then too few peers, then connecting (no connection) over connected-unsettled (incomplete)', () => {
    expect(lobbyOutcomeAtDeadline({ ...lobby({}), full: true }, 2)).toEqual({ kind: 'lobby-full' });
    expect(lobbyOutcomeAtDeadline({ ...lobby({}), fatal: 'gone' }, 2)).toEqual({ kind: 'server-unreachable', message: 'gone' });
    expect(lobbyOutcomeAtDeadline(lobby({}, [member('me', true)]), 2)).toEqual({ kind: 'no-peer', joined: 1 });
    expect(lobbyOutcomeAtDeadline(lobby({}), 3)).toEqual({ kind: 'no-peer', joined: 2 });
    expect(lobbyOutcomeAtDeadline(lobby({ me: { b: view('connecting') } }), 2)).toEqual({ kind: 'no-connection' });
    expect(lobbyOutcomeAtDeadline(lobby({}), 2)).toEqual({ kind: 'no-connection' });
    expect(lobbyOutcomeAtDeadline(lobby({ me: { b: view('connected', null) } }), 2)).toEqual({ kind: 'incomplete' });
  });
});
