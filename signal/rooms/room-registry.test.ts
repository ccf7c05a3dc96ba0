import { describe, expect, it } from 'vitest';
import { LOBBY_CAPACITY, PROTOCOL_VERSION, type ClientMessage } from '../../common/messages';
import { RoomRegistry, peerIdOf, type Envelope } from './room-registry';

const ROOM = 'AAAAAAAAAAAAAAAAAAAAAA';
const OTHER = 'BBBBBBBBBBBBBBBBBBBBBB';
const offer = { type: 'offer' as const, sdp: 'v=0' };
const CLIENT = 'client-key-0123456789';
/** The peer id of CLIENT's seat in ROOM (derived from room and key, whichever connection takes it). */
const P = peerIdOf(ROOM, CLIENT);
const lobbyJoin = (extra: Partial<Extract<ClientMessage, { type: 'join' }>> = {}): ClientMessage => ({ type: 'join', roomId: ROOM, version: 2, lobby: true, ...extra });

/** A lobby with peers p0..p(n-1) joined in order; the join replies are dropped. */
function lobbyOf(n: number): RoomRegistry {
  const rooms = new RoomRegistry();
  for (let i = 0; i < n; i++) rooms.handle(`p${i}`, lobbyJoin());
  return rooms;
}

const errorOf = (out: Envelope[]) => {
  expect(out).toHaveLength(1);
  const [e] = out;
  return { to: e?.to, ...(e?.message as { code: string; message: string }) };
};

describe('RoomRegistry: the two-person room (v1, as before lobbies)', () => {
  it('tells the newcomer who is there and announces it to the peer already waiting', () => {
    const rooms = new RoomRegistry();
    expect(rooms.handle('a', { type: 'join', roomId: ROOM })).toEqual([
      { to: 'a', message: { type: 'joined', roomId: ROOM, peerId: 'a', peers: [], polite: false } },
    ]);
    expect(rooms.handle('b', { type: 'join', roomId: ROOM })).toEqual([
      { to: 'b', message: { type: 'joined', roomId: ROOM, peerId: 'b', peers: ['a'], polite: false } },
      { to: 'a', message: { type: 'peer-joined', peerId: 'b' } },
    ]);
  });

  it('turns a third peer away with room-full and leaves the room as it was', () => {
    const rooms = new RoomRegistry();
    rooms.handle('a', { type: 'join', roomId: ROOM });
    rooms.handle('b', { type: 'join', roomId: ROOM });
    expect(errorOf(rooms.handle('c', { type: 'join', roomId: ROOM }))).toEqual({ to: 'c', type: 'error', code: 'room-full', message: 'room is full: a test room holds 2 peers' });
    expect(rooms.peersIn(ROOM)).toEqual(['a', 'b']);
    expect(rooms.counts()).toEqual({ rooms: 1, lobbies: 0, peers: 2 });
  });

  it('relays descriptions, candidates and peer info only to the other peer, marked with the sender', () => {
    const rooms = new RoomRegistry();
    rooms.handle('a', { type: 'join', roomId: ROOM });
    rooms.handle('b', { type: 'join', roomId: ROOM });
    expect(rooms.handle('b', { type: 'description', description: offer })).toEqual([
      { to: 'a', message: { type: 'description', from: 'b', description: offer } },
    ]);
    expect(rooms.handle('a', { type: 'candidate', candidate: null })).toEqual([
      { to: 'b', message: { type: 'candidate', from: 'a', candidate: null } },
    ]);
    expect(rooms.handle('a', { type: 'peer-info', info: { relayOnly: true } })).toEqual([
      { to: 'b', message: { type: 'peer-info', from: 'a', info: { relayOnly: true } } },
    ]);
  });

  it('also takes a v2 `to` naming the other peer, and refuses one naming anybody else', () => {
    const rooms = new RoomRegistry();
    rooms.handle('a', { type: 'join', roomId: ROOM, version: 2 });
    rooms.handle('b', { type: 'join', roomId: ROOM, version: 2 });
    expect(rooms.handle('a', { type: 'description', to: 'b', description: offer })).toEqual([
      { to: 'b', message: { type: 'description', from: 'a', description: offer } },
    ]);
    expect(errorOf(rooms.handle('a', { type: 'candidate', to: 'a', candidate: null }))).toMatchObject({ to: 'a', code: 'unknown-peer', message: expect.stringContaining('no other peer a') });
    expect(errorOf(rooms.handle('a', { type: 'peer-info', to: 'zz', info: {} }))).toMatchObject({ to: 'a', code: 'unknown-peer', message: expect.stringContaining('peer-info was dropped') });
  });

  it('refuses to relay before joining or while alone', () => {
    const rooms = new RoomRegistry();
    expect(errorOf(rooms.handle('a', { type: 'description', description: offer }))).toEqual({ to: 'a', type: 'error', code: 'not-in-room', message: 'join a room before sending signaling messages' });
    rooms.handle('a', { type: 'join', roomId: ROOM });
    expect(errorOf(rooms.handle('a', { type: 'description', description: offer }))).toEqual({ to: 'a', type: 'error', code: 'no-peer', message: 'no other peer in the room yet' });
    expect(errorOf(rooms.handle('a', { type: 'peer-info', info: {} }))).toMatchObject({ code: 'no-peer' });
  });

  it('refuses a second join on the same connection', () => {
    const rooms = new RoomRegistry();
    rooms.handle('a', { type: 'join', roomId: ROOM });
    expect(errorOf(rooms.handle('a', { type: 'join', roomId: OTHER }))).toEqual({ to: 'a', type: 'error', code: 'already-in-room', message: 'this connection has already joined a room; send leave first' });
    expect(errorOf(rooms.handle('a', { type: 'join', roomId: ROOM, clientId: CLIENT }))).toMatchObject({ code: 'already-in-room' });
    expect(rooms.peersIn(OTHER)).toEqual([]);
  });

  it('announces a departure, frees the seat, and forgets empty rooms', () => {
    const rooms = new RoomRegistry();
    rooms.handle('a', { type: 'join', roomId: ROOM });
    rooms.handle('b', { type: 'join', roomId: ROOM });
    expect(rooms.disconnect('a')).toEqual([{ to: 'b', message: { type: 'peer-left', peerId: 'a', reason: 'disconnected' } }]);
    expect(rooms.handle('c', { type: 'join', roomId: ROOM })[0]?.message).toMatchObject({ type: 'joined', peers: ['b'] });
    expect(rooms.handle('b', { type: 'leave' })).toEqual([{ to: 'c', message: { type: 'peer-left', peerId: 'b', reason: 'left' } }]);
    expect(rooms.handle('c', { type: 'leave' })).toEqual([]);
    expect(rooms.counts()).toEqual({ rooms: 0, lobbies: 0, peers: 0 });
    expect(rooms.peersIn(ROOM)).toEqual([]);
    // Leaving twice, or disconnecting when in no room, does nothing.
    expect(rooms.handle('c', { type: 'leave' })).toEqual([]);
    expect(rooms.disconnect('nobody', 'gone')).toEqual([]);
  });

  it('answers a ping with a pong, in a room or not', () => {
    const rooms = new RoomRegistry();
    expect(rooms.handle('a', { type: 'ping', ts: 7 })).toEqual([{ to: 'a', message: { type: 'pong', ts: 7 } }]);
  });

  it('a v2 join gets the room kind and its capacity; a capacity can be configured', () => {
    const rooms = new RoomRegistry({ roomCapacity: 3 });
    expect(rooms.handle('a', { type: 'join', roomId: ROOM, version: PROTOCOL_VERSION })).toEqual([
      { to: 'a', message: { type: 'joined', roomId: ROOM, peerId: 'a', peers: [], polite: false, lobby: false, capacity: 3 } },
    ]);
    rooms.handle('b', { type: 'join', roomId: ROOM, version: 1 });
    expect(rooms.handle('c', { type: 'join', roomId: ROOM })[0]?.message).toEqual({ type: 'joined', roomId: ROOM, peerId: 'c', peers: ['a', 'b'], polite: false });
  });
});

describe('RoomRegistry: versions and room kinds', () => {
  it('refuses a version it does not speak, naming both, and changes nothing', () => {
    const rooms = new RoomRegistry();
    for (const version of [3, 0, 999]) {
      expect(errorOf(rooms.handle('a', { type: 'join', roomId: ROOM, version }))).toEqual({
        to: 'a', type: 'error', code: 'unsupported-version',
        message: `this page speaks signaling protocol version ${version}, the server version 2 (and 1 for two-person rooms): reload the page`,
      });
    }
    expect(errorOf(rooms.handle('a', lobbyJoin({ version: 3 })))).toMatchObject({ code: 'unsupported-version' });
    expect(rooms.counts()).toEqual({ rooms: 0, lobbies: 0, peers: 0 });
  });

  it('a lobby needs version 2: a lobby join without a version, or with 1, is refused', () => {
    const rooms = new RoomRegistry();
    expect(errorOf(rooms.handle('a', { type: 'join', roomId: ROOM, lobby: true }))).toEqual({
      to: 'a', type: 'error', code: 'unsupported-version', message: 'lobbies need signaling protocol version 2; this join spoke version 1: reload the page',
    });
    expect(errorOf(rooms.handle('a', lobbyJoin({ version: 1 })))).toMatchObject({ code: 'unsupported-version' });
    expect(rooms.peersIn(ROOM)).toEqual([]);
  });

  it('the creator fixes the kind: a lobby join into a room and a room join into a lobby are refused', () => {
    const rooms = new RoomRegistry();
    rooms.handle('a', { type: 'join', roomId: ROOM });
    expect(errorOf(rooms.handle('b', lobbyJoin()))).toEqual({
      to: 'b', type: 'error', code: 'room-kind-mismatch', message: 'this link is a two-person test room, not a lobby: open it as a test room',
    });
    rooms.handle('x', lobbyJoin({ roomId: OTHER }));
    for (const join of [{ type: 'join', roomId: OTHER }, { type: 'join', roomId: OTHER, version: 2 }, { type: 'join', roomId: OTHER, version: 2, lobby: false }] as const) {
      expect(errorOf(rooms.handle('y', join))).toEqual({
        to: 'y', type: 'error', code: 'room-kind-mismatch', message: 'this link is a lobby (up to 8 peers), not a two-person test room: open it as a lobby',
      });
    }
    expect(rooms.peersIn(ROOM)).toEqual(['a']);
    expect(rooms.peersIn(OTHER)).toEqual(['x']);
    expect(rooms.counts()).toEqual({ rooms: 1, lobbies: 1, peers: 2 });
  });
});

describe('RoomRegistry: the lobby', () => {
  it('holds up to 8: each newcomer learns everyone there in join order, everyone learns of it', () => {
    const rooms = new RoomRegistry();
    expect(rooms.handle('p0', lobbyJoin())).toEqual([
      { to: 'p0', message: { type: 'joined', roomId: ROOM, peerId: 'p0', peers: [], polite: false, lobby: true, capacity: LOBBY_CAPACITY } },
    ]);
    for (let i = 1; i < LOBBY_CAPACITY; i++) rooms.handle(`p${i}`, lobbyJoin());
    expect(rooms.peersIn(ROOM)).toEqual(['p0', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7']);
    const rooms2 = lobbyOf(7);
    expect(rooms2.handle('p7', lobbyJoin())).toEqual([
      { to: 'p7', message: { type: 'joined', roomId: ROOM, peerId: 'p7', peers: ['p0', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6'], polite: false, lobby: true, capacity: 8 } },
      ...['p0', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6'].map((to) => ({ to, message: { type: 'peer-joined', peerId: 'p7' } })),
    ]);
    expect(rooms2.counts()).toEqual({ rooms: 0, lobbies: 1, peers: 8 });
  });

  it('the 9th gets "lobby full" and nobody hears of it; a seat freed by a leaver can be taken', () => {
    const rooms = lobbyOf(8);
    expect(errorOf(rooms.handle('p8', lobbyJoin()))).toEqual({ to: 'p8', type: 'error', code: 'room-full', message: 'lobby full: a lobby holds 8 peers' });
    expect(rooms.peersIn(ROOM)).toHaveLength(8);
    rooms.disconnect('p3');
    expect(rooms.handle('p8', lobbyJoin())[0]?.message).toMatchObject({ type: 'joined', peers: ['p0', 'p1', 'p2', 'p4', 'p5', 'p6', 'p7'] });
  });

  it('a lobby capacity can be configured', () => {
    const rooms = new RoomRegistry({ lobbyCapacity: 3 });
    for (const p of ['a', 'b', 'c']) rooms.handle(p, lobbyJoin());
    expect(errorOf(rooms.handle('d', lobbyJoin()))).toMatchObject({ code: 'room-full', message: 'lobby full: a lobby holds 3 peers' });
  });

  it('descriptions and candidates go to the peer they name, and only to it', () => {
    const rooms = lobbyOf(4);
    expect(rooms.handle('p3', { type: 'description', to: 'p1', description: offer })).toEqual([
      { to: 'p1', message: { type: 'description', from: 'p3', description: offer } },
    ]);
    const c = { candidate: 'candidate:1 1 udp 1 10.0.0.1 5000 typ host', sdpMid: '0' };
    expect(rooms.handle('p1', { type: 'candidate', to: 'p3', candidate: c })).toEqual([
      { to: 'p3', message: { type: 'candidate', from: 'p1', candidate: c } },
    ]);
    expect(rooms.handle('p0', { type: 'peer-info', to: 'p2', info: { name: 'Ann' } })).toEqual([
      { to: 'p2', message: { type: 'peer-info', from: 'p0', info: { name: 'Ann' } } },
    ]);
  });

  it('a description or candidate without `to` is refused: in a lobby it must name its recipient', () => {
    const rooms = lobbyOf(3);
    expect(errorOf(rooms.handle('p0', { type: 'description', description: offer }))).toEqual({ to: 'p0', type: 'error', code: 'malformed', message: 'in a lobby, description must name its recipient (to)' });
    expect(errorOf(rooms.handle('p0', { type: 'candidate', candidate: null }))).toEqual({ to: 'p0', type: 'error', code: 'malformed', message: 'in a lobby, candidate must name its recipient (to)' });
  });

  it('`to` must be another peer of this lobby: a stranger, a leaver, oneself and a peer of another room are refused', () => {
    const rooms = lobbyOf(3);
    rooms.handle('q', { type: 'join', roomId: OTHER });
    rooms.handle('p2', { type: 'leave' });
    for (const to of ['nobody', 'p2', 'p0', 'q']) {
      expect(errorOf(rooms.handle('p0', { type: 'description', to, description: offer }))).toEqual({
        to: 'p0', type: 'error', code: 'unknown-peer', message: `no other peer ${to} in this room (it may have left); the description was dropped`,
      });
    }
  });

  it('peer-info without `to` goes to every other peer; alone, it goes nowhere and is no error', () => {
    const rooms = lobbyOf(1);
    expect(rooms.handle('p0', { type: 'peer-info', info: { name: 'Ann' } })).toEqual([]);
    rooms.handle('p1', lobbyJoin());
    rooms.handle('p2', lobbyJoin());
    expect(rooms.handle('p1', { type: 'peer-info', info: { name: 'Bob' } })).toEqual([
      { to: 'p0', message: { type: 'peer-info', from: 'p1', info: { name: 'Bob' } } },
      { to: 'p2', message: { type: 'peer-info', from: 'p1', info: { name: 'Bob' } } },
    ]);
  });

  it('a leaver is announced to everyone left, with why; the last one out removes the lobby', () => {
    const rooms = lobbyOf(3);
    expect(rooms.handle('p1', { type: 'leave' })).toEqual([
      { to: 'p0', message: { type: 'peer-left', peerId: 'p1', reason: 'left' } },
      { to: 'p2', message: { type: 'peer-left', peerId: 'p1', reason: 'left' } },
    ]);
    expect(rooms.disconnect('p0', 'heartbeat')).toEqual([{ to: 'p2', message: { type: 'peer-left', peerId: 'p0', reason: 'heartbeat' } }]);
    rooms.disconnect('p2');
    expect(rooms.counts()).toEqual({ rooms: 0, lobbies: 0, peers: 0 });
    // The id is free again, for either kind.
    expect(rooms.handle('z', { type: 'join', roomId: ROOM })[0]?.message).toMatchObject({ type: 'joined' });
  });
});

describe('RoomRegistry: reconnecting with a clientId', () => {
  it('a new connection with a member\'s clientId takes over its seat and peer id; the others are not told', () => {
    const rooms = lobbyOf(2);
    rooms.handle('c', lobbyJoin({ clientId: CLIENT }));
    rooms.handle('p3', lobbyJoin());
    expect(rooms.handle('c2', lobbyJoin({ clientId: CLIENT }))).toEqual([
      { to: 'c', message: { type: 'error', code: 'replaced', message: expect.stringContaining('took this seat') } },
      { to: 'c2', message: { type: 'joined', roomId: ROOM, peerId: P, peers: ['p0', 'p1', 'p3'], polite: false, lobby: true, capacity: 8 } },
    ]);
    expect(rooms.peersIn(ROOM)).toEqual(['p0', 'p1', P, 'p3']);
    expect(rooms.counts().peers).toBe(4);
    // Messages to the seat reach the new connection, and its messages come from the same peer id.
    expect(rooms.handle('p0', { type: 'description', to: P, description: offer })).toEqual([{ to: 'c2', message: { type: 'description', from: 'p0', description: offer } }]);
    expect(rooms.handle('c2', { type: 'candidate', to: 'p1', candidate: null })).toEqual([{ to: 'p1', message: { type: 'candidate', from: P, candidate: null } }]);
    // The old connection is out: what it sends is refused, and its socket closing later announces nothing.
    expect(errorOf(rooms.handle('c', { type: 'peer-info', info: {} }))).toMatchObject({ code: 'not-in-room' });
    expect(rooms.disconnect('c')).toEqual([]);
    // Leaving from the new connection announces the seat's peer id.
    expect(rooms.handle('c2', { type: 'leave' })).toEqual(['p0', 'p1', 'p3'].map((to) => ({ to, message: { type: 'peer-left', peerId: P, reason: 'left' } })));
  });

  it('takes over even when the lobby is full, and works in a two-person room', () => {
    const rooms = lobbyOf(7);
    rooms.handle('c', lobbyJoin({ clientId: CLIENT }));
    expect(rooms.handle('c2', lobbyJoin({ clientId: CLIENT }))[1]?.message).toMatchObject({ type: 'joined', peerId: P });
    const room = new RoomRegistry();
    room.handle('a', { type: 'join', roomId: ROOM, clientId: CLIENT });
    room.handle('b', { type: 'join', roomId: ROOM });
    expect(room.handle('a2', { type: 'join', roomId: ROOM, clientId: CLIENT })).toEqual([
      { to: 'a', message: { type: 'error', code: 'replaced', message: expect.any(String) } },
      { to: 'a2', message: { type: 'joined', roomId: ROOM, peerId: P, peers: ['b'], polite: false } },
    ]);
    expect(room.handle('b', { type: 'peer-info', info: { relayOnly: false } })).toEqual([{ to: 'a2', message: { type: 'peer-info', from: 'b', info: { relayOnly: false } } }]);
  });

  it('a clientId only matches in its own room, and an unknown one is a new peer', () => {
    const rooms = new RoomRegistry();
    rooms.handle('a', lobbyJoin({ clientId: CLIENT }));
    expect(rooms.handle('b', lobbyJoin({ roomId: OTHER, clientId: CLIENT }))[0]?.message).toMatchObject({ type: 'joined', peerId: peerIdOf(OTHER, CLIENT), peers: [] });
    expect(rooms.handle('c', lobbyJoin({ clientId: 'another-client-key-xyz' }))[0]?.message).toMatchObject({ type: 'joined', peerId: peerIdOf(ROOM, 'another-client-key-xyz'), peers: [P] });
    expect(rooms.handle('d', lobbyJoin())[0]?.message).toMatchObject({ type: 'joined', peerId: 'd', peers: [P, peerIdOf(ROOM, 'another-client-key-xyz')] });
    // A peer without a clientId cannot be taken over by one that sends none either.
    expect(rooms.handle('e', lobbyJoin())[0]?.message).toMatchObject({ type: 'joined', peerId: 'e' });
  });

  it('after the old socket was seen to go (peer-left sent), a rejoin with the clientId gets its peer id back, announced', () => {
    const rooms = lobbyOf(2);
    rooms.handle('c', lobbyJoin({ clientId: CLIENT }));
    expect(rooms.disconnect('c')).toEqual(['p0', 'p1'].map((to) => ({ to, message: { type: 'peer-left', peerId: P, reason: 'disconnected' } })));
    expect(rooms.handle('c2', lobbyJoin({ clientId: CLIENT }))).toEqual([
      { to: 'c2', message: { type: 'joined', roomId: ROOM, peerId: P, peers: ['p0', 'p1'], polite: false, lobby: true, capacity: 8 } },
      ...['p0', 'p1'].map((to) => ({ to, message: { type: 'peer-joined', peerId: P } })),
    ]);
    expect(rooms.handle('p0', { type: 'peer-info', to: P, info: {} })).toEqual([{ to: 'c2', message: { type: 'peer-info', from: 'p0', info: {} } }]);
    // Given back once: a second drop and rejoin works again, and the seat counts once.
    rooms.disconnect('c2');
    expect(rooms.handle('c3', lobbyJoin({ clientId: CLIENT }))[0]?.message).toMatchObject({ peerId: P });
    expect(rooms.handle('c4', lobbyJoin({ clientId: CLIENT }))[0]?.message).toMatchObject({ type: 'error', code: 'replaced' });
    expect(rooms.counts().peers).toBe(3);
  });

  it('an explicit leave is final: a rejoin with the clientId is announced as a newcomer (its derived id); a full lobby stays full for a returner', () => {
    const rooms = lobbyOf(2);
    rooms.handle('c', lobbyJoin({ clientId: CLIENT }));
    rooms.handle('c', { type: 'leave' });
    expect(rooms.handle('c2', lobbyJoin({ clientId: CLIENT }))).toEqual([
      { to: 'c2', message: expect.objectContaining({ type: 'joined', peerId: P }) },
      ...['p0', 'p1'].map((to) => ({ to, message: { type: 'peer-joined', peerId: P } })),
    ]);
    const full = lobbyOf(7);
    full.handle('c', lobbyJoin({ clientId: CLIENT }));
    full.disconnect('c');
    full.handle('p7', lobbyJoin());
    expect(errorOf(full.handle('c2', lobbyJoin({ clientId: CLIENT })))).toMatchObject({ code: 'room-full' });
  });

  it('remembers at most `capacity` departed peers per lobby, the oldest forgotten first; an emptied lobby forgets all (a forgotten one still comes back with its derived id)', () => {
    const rooms = new RoomRegistry({ lobbyCapacity: 2 });
    rooms.handle('stay', lobbyJoin());
    const key = (i: number) => `client-key-number-${i}`;
    for (let i = 0; i < 3; i++) {
      rooms.handle(`d${i}`, lobbyJoin({ clientId: key(i) }));
      rooms.disconnect(`d${i}`);
    }
    expect(rooms.handle('n0', lobbyJoin({ clientId: key(0) }))[0]?.message).toMatchObject({ peerId: peerIdOf(ROOM, key(0)) });
    rooms.handle('n0', { type: 'leave' });
    expect(rooms.handle('n1', lobbyJoin({ clientId: key(1) }))[0]?.message).toMatchObject({ peerId: peerIdOf(ROOM, key(1)) });
    rooms.handle('n1', { type: 'leave' });
    expect(rooms.handle('n2', lobbyJoin({ clientId: key(2) }))[0]?.message).toMatchObject({ peerId: peerIdOf(ROOM, key(2)) });
    rooms.disconnect('n2');
    rooms.disconnect('stay');
    expect(rooms.counts().lobbies).toBe(0);
    expect(rooms.handle('n3', lobbyJoin({ clientId: key(2) }))[0]?.message).toMatchObject({ peerId: peerIdOf(ROOM, key(2)) });
  });

  it('a peer without a clientId is not remembered (it cannot come back), so it pushes no returner out', () => {
    const rooms = new RoomRegistry({ lobbyCapacity: 2 });
    rooms.handle('stay', lobbyJoin());
    rooms.handle('c', lobbyJoin({ clientId: CLIENT }));
    rooms.disconnect('c');
    for (const anon of ['x', 'y']) {
      rooms.handle(anon, lobbyJoin());
      rooms.disconnect(anon);
    }
    expect(rooms.handle('c2', lobbyJoin({ clientId: CLIENT }))[0]?.message).toMatchObject({ peerId: P });
  });

  it('the room kind and version are checked before a takeover', () => {
    const rooms = new RoomRegistry();
    rooms.handle('a', lobbyJoin({ clientId: CLIENT }));
    expect(errorOf(rooms.handle('a2', { type: 'join', roomId: ROOM, clientId: CLIENT }))).toMatchObject({ to: 'a2', code: 'room-kind-mismatch' });
    expect(errorOf(rooms.handle('a2', lobbyJoin({ clientId: CLIENT, version: 9 })))).toMatchObject({ to: 'a2', code: 'unsupported-version' });
    expect(rooms.handle('b', { type: 'description', to: P, description: offer })[0]?.to).toBe('b'); // b is in no room
    rooms.handle('b', lobbyJoin());
    expect(rooms.handle('b', { type: 'description', to: P, description: offer })).toEqual([{ to: 'a', message: { type: 'description', from: 'b', description: offer } }]);
  });
});

describe('RoomRegistry: peer ids of pages with a clientId', () => {
  it('are the same from any registry (a lobby taken over by another node keeps every member\'s id), and say nothing of the key', () => {
    const home = lobbyOf(0);
    const ids = ['key-of-page-number-1', 'key-of-page-number-2'].map((k, i) => (home.handle(`c${i}`, lobbyJoin({ clientId: k }))[0]!.message as { peerId: string }).peerId);
    // The room's home died: another node's registry starts empty; the pages rejoin with their keys in another order.
    const next = new RoomRegistry();
    const second = next.handle('n1', lobbyJoin({ clientId: 'key-of-page-number-2' }))[0]!.message;
    const first = next.handle('n0', lobbyJoin({ clientId: 'key-of-page-number-1' }))[0]!.message;
    expect(second).toMatchObject({ type: 'joined', peerId: ids[1], peers: [] });
    expect(first).toMatchObject({ type: 'joined', peerId: ids[0], peers: [ids[1]] });
    expect(ids[0]).toMatch(/^[A-Za-z0-9_-]{12}$/);
    expect(ids[0]).not.toContain('key');
    expect(peerIdOf(OTHER, 'key-of-page-number-1')).not.toBe(ids[0]);
  });
});
