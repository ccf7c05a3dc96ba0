// The lobby session against a fake signaling socket: what it asks the relay for, and what the page shows for
// the relay's answers that need no RTCPeerConnection (full, replaced, an old server, names, links, leavers).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LOBBY_CAPACITY, PROTOCOL_VERSION } from '../../common/messages';
import { signalingErrorText } from '../errors/limit-messages';
import { startLobbySession, type LobbySession } from './lobby-session';
import { createLobbyStore, type LobbyStore } from './lobby-store';
import { FakeWebSocket } from '../signaling/fake-signaling-socket';


const ROOM = 'AAAAAAAAAAAAAAAAAAAAAA';
const link = { state: 'connected', path: 'p2p-nat', rttMs: 20, jitterMs: 1, lossPct: 0, at: 300 } as const;
let store: LobbyStore;
let session: LobbySession | null = null;
const socket = (i = 0) => FakeWebSocket.sockets[i]!;
const flush = () => vi.advanceTimersByTimeAsync(0);

beforeEach(() => {
  store = createLobbyStore();
  FakeWebSocket.sockets = [];
  vi.useFakeTimers();
  vi.stubGlobal('WebSocket', FakeWebSocket);
  vi.stubGlobal('location', { protocol: 'http:', host: 'p2pcheck.test', search: '' });
  vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify({ iceServers: [], ttl: 600 }), { status: 200 })));
  session = startLobbySession({ roomId: ROOM, store, name: 'Chrome on Linux' });
  socket().serverOpens();
});

afterEach(() => {
  session?.stop();
  session = null;
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('lobby session', () => {
  it('joins as a version-2 lobby with a reconnect key, and keeps that key when it rejoins after a blip', async () => {
    const join = socket().sent[0]!;
    expect(join).toMatchObject({ type: 'join', roomId: ROOM, version: PROTOCOL_VERSION, lobby: true });
    expect(join.clientId).toMatch(/^[A-Za-z0-9_-]{16,64}$/);
    socket().serverSends({ type: 'joined', roomId: ROOM, peerId: 'p1', peers: [], polite: false, lobby: true, capacity: LOBBY_CAPACITY });
    await flush();
    expect(store.getState().selfId).toBe('p1');
    expect(store.getState().members.p1).toMatchObject({ self: true, name: 'Chrome on Linux', leftAt: null });
    socket().serverCloses(1006);
    await vi.advanceTimersByTimeAsync(300);
    socket(1).serverOpens();
    expect(socket(1).sent[0]).toEqual(join);
  });

  it('shows "lobby full" to the ninth and does not try again', async () => {
    socket().serverSends({ type: 'error', code: 'room-full', message: 'lobby full: a lobby holds 8 peers' });
    await flush();
    expect(store.getState().full).toBe(true);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(FakeWebSocket.sockets).toHaveLength(1);
  });

  it('stops for good when another tab took its seat, or the server speaks another version', async () => {
    socket().serverSends({ type: 'error', code: 'replaced', message: 'replaced' });
    await flush();
    expect(store.getState().fatal).toBe(signalingErrorText('replaced', ''));
    socket().serverCloses(1000);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(FakeWebSocket.sockets).toHaveLength(1);
  });

  it('says so when the server answers a lobby join with a two-person room (an older server)', async () => {
    socket().serverSends({ type: 'joined', roomId: ROOM, peerId: 'p1', peers: [], polite: false });
    await flush();
    expect(store.getState().fatal).toMatch(/did not open a lobby/);
    expect(store.getState().selfId).toBeNull();
  });

  it('takes names and link views from peer-info, marks a leaver, and tells a newcomer who it is', async () => {
    socket().serverSends({ type: 'joined', roomId: ROOM, peerId: 'p1', peers: [], polite: false, lobby: true, capacity: 8 });
    socket().serverSends({ type: 'peer-joined', peerId: 'p2' });
    await flush();
    expect(socket().sent.find((m) => m.to === 'p2')).toMatchObject({ type: 'peer-info', to: 'p2', info: { name: 'Chrome on Linux', links: {} } });
    socket().serverSends({ type: 'peer-info', from: 'p2', info: { name: 'Bob', links: { p1: link } } });
    await flush();
    expect(store.getState().members.p2).toMatchObject({ name: 'Bob', leftAt: null, self: false });
    expect(store.getState().links.p2).toEqual({ p1: link });
    socket().serverSends({ type: 'peer-left', peerId: 'p2', reason: 'left' });
    await flush();
    expect(store.getState().members.p2!.leftAt).not.toBeNull();
    expect(store.getState().links.p2).toEqual({ p1: link });
    // The same id back (its reconnect key): a member again, its name and cells kept.
    socket().serverSends({ type: 'peer-joined', peerId: 'p2' });
    await flush();
    expect(store.getState().members.p2).toMatchObject({ name: 'Bob', leftAt: null });
  });

  it('renames itself for everyone, and refuses an empty name without sending anything', async () => {
    socket().serverSends({ type: 'joined', roomId: ROOM, peerId: 'p1', peers: [], polite: false, lobby: true, capacity: 8 });
    await flush();
    const before = socket().sent.length;
    expect(session!.setName('   ')).toMatch(/at least one character/);
    expect(socket().sent).toHaveLength(before);
    expect(session!.setName(' Ann ')).toBeNull();
    expect(socket().sent.at(-1)).toEqual({ type: 'peer-info', info: { name: 'Ann' } });
    expect(store.getState().members.p1!.name).toBe('Ann');
  });
});
