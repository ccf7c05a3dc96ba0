import { describe, expect, it } from 'vitest';
import { lobbyReportSchema } from '../../common/lobby-report';
import { createLobbyStore } from '../lobby/lobby-store';
import { createAppStore } from '../store/app-store';
import { lobbyReportNow } from './lobby-share-panel';

describe('the lobby report from the live store', () => {
  it('holds the members, links and this page\u2019s pair reports as they are now, and passes the saved-report schema', () => {
    const lobby = createLobbyStore('AAAAAAAAAAAAAAAAAAAAAA');
    const s = lobby.getState();
    s.setSelf('me', 8);
    s.memberJoined('me', 0, 'Ana', true);
    s.memberJoined('bo', 500, 'Bo');
    s.setOwnLink('bo', { state: 'connected', path: 'direct-lan', rttMs: 0.4, jitterMs: null, lossPct: null, at: 900 });
    s.setLinks('bo', { me: { state: 'connected', path: 'direct-lan', rttMs: 0.5, jitterMs: null, lossPct: null, at: 950 } });
    const pair = createAppStore();
    pair.getState().openRoom('AAAAAAAAAAAAAAAAAAAAAA', false, 1_764_000_000_000);
    pair.getState().beginTest(1_764_000_000_500);
    s.setPairStore('bo', pair);
    const r = lobbyReportNow(lobby, 1_764_000_060_000);
    expect(r).toMatchObject({ kind: 'lobby', version: 1, selfId: 'me', createdAt: 1_764_000_000_000, savedAt: 1_764_000_060_000 });
    expect(r.cells).toEqual([expect.objectContaining({ a: 'me', b: 'bo', path: 'direct-lan', rttMs: 0.45, agreement: 'agree' })]);
    expect(r.pairs.map((p) => [p.peerId, p.report.roomId, p.report.startedAt])).toEqual([['bo', 'AAAAAAAAAAAAAAAAAAAAAA', 1_764_000_000_500]]);
    expect(lobbyReportSchema.safeParse(JSON.parse(JSON.stringify(r))).error?.issues ?? []).toEqual([]);
  });
});
