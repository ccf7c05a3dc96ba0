import { describe, expect, it } from 'vitest';
import { createAppStore } from '../store/app-store';
import { createLobbyStore } from './lobby-store';

const link = { state: 'connected', path: 'direct-lan', rttMs: 1, jitterMs: null, lossPct: null, at: 5 } as const;

describe('lobby store', () => {
  it('marks a leaver and makes a returning id a member again, keeping its cells and name', () => {
    const store = createLobbyStore('r');
    const s = () => store.getState();
    s().setSelf('a', 8);
    s().memberJoined('a', 0, 'Me', true);
    s().memberJoined('b', 10, 'Peer 2');
    s().setMemberInfo('b', { name: 'Bob' });
    s().setOwnLink('b', link);
    s().setLinks('b', { a: link });
    s().memberLeft('b', 50);
    expect(s().members.b).toMatchObject({ name: 'Bob', leftAt: 50, joinedAt: 10 });
    expect(s().links.b!.a).toEqual(link);
    s().memberJoined('b', 90, 'Peer 2');
    expect(s().members.b).toMatchObject({ name: 'Bob', leftAt: null, joinedAt: 10 });
    expect(s().links.a!.b).toEqual(link);
    expect(Object.keys(s().members)).toEqual(['a', 'b']);
  });

  it('ignores info from an id it never saw', () => {
    const store = createLobbyStore('r');
    store.getState().setMemberInfo('zz', { name: 'X' });
    expect(store.getState().members).toEqual({});
  });

  it('hands out a new pairStores map when a pair store is set', () => {
    const store = createLobbyStore('r');
    const before = store.getState().pairStores;
    const pair = createAppStore();
    store.getState().setPairStore('b', pair);
    expect(store.getState().pairStores).not.toBe(before);
    expect(store.getState().pairStores.get('b')).toBe(pair);
  });
});
