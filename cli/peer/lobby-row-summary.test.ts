import { describe, expect, it } from 'vitest';
import type { LinkSummary } from '../../common/messages';
import type { LobbyMember, LobbyState } from '../../web/lobby/lobby-types';
import { lobbyHeadline, lobbyRowSummary } from './lobby-row-summary';

const up: LinkSummary = { state: 'connected', path: 'direct-lan', rttMs: 2, jitterMs: null, lossPct: null, at: 0 };
const member = (peerId: string, self: boolean, leftAt: number | null): LobbyMember => ({ peerId, name: peerId, self, joinedAt: 0, leftAt, diagnosis: null });

// Three peers, every link settled direct; the other two finished first and left before this one printed.
const state: Pick<LobbyState, 'members' | 'links' | 'selfId'> = {
  selfId: 'me',
  members: { me: member('me', true, null), b: member('b', false, 10), c: member('c', false, 11) },
  links: { me: { b: up, c: up }, b: { me: up, c: up }, c: { me: up, b: up } },
};

describe('the lobby summary of p2pcheck join', () => {
  it('describes the lobby this peer measured, whoever finished first; the rows say who left', () => {
    const lines = lobbyRowSummary(state);
    expect(lines[0]).toBe('lobby: all 3 links work (3 direct)');
    expect(lobbyHeadline(state)).toBe('lobby: all 3 links work (3 direct)');
    const rows = lines.filter((l) => l.startsWith('  to '));
    expect(rows).toEqual([
      expect.stringMatching(/^  to b \(b\): direct \(same network\), RTT .* ms; both ends agree \(left\)$/),
      expect.stringMatching(/^  to c \(c\): direct \(same network\), RTT .* ms; both ends agree \(left\)$/),
    ]);
  });
});
