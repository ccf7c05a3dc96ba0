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

  it('keeps every view of a link to a leaver as it was before it left (the survivors closing their ends change nothing)', () => {
    const store = createLobbyStore('r');
    const s = () => store.getState();
    s().setSelf('a', 8);
    for (const id of ['a', 'b', 'c']) s().memberJoined(id, 0, id, id === 'a');
    s().setOwnLink('b', link);
    s().setLinks('b', { a: link, c: link });
    s().setLinks('c', { a: link, b: link });
    s().memberLeft('b', 50);
    const closed = { ...link, state: 'failed', path: null, at: 60 } as const;
    s().setLinks('c', { a: { ...link, at: 60 }, b: closed });
    s().setOwnLink('b', closed);
    expect(s().links.c!.b).toEqual(link);
    expect(s().links.c!.a).toEqual({ ...link, at: 60 });
    expect(s().links.a!.b).toEqual(link);
    // Back again: its links are live once more.
    s().memberJoined('b', 90, 'b');
    s().setLinks('c', { a: link, b: closed });
    expect(s().links.c!.b).toEqual(closed);
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
