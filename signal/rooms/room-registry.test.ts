import { describe, expect, it } from 'vitest';
import { RoomRegistry } from './room-registry';

const ROOM = 'AAAAAAAAAAAAAAAAAAAAAA';
const offer = { type: 'offer' as const, sdp: 'v=0' };

describe('RoomRegistry', () => {
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
    const [reply] = rooms.handle('c', { type: 'join', roomId: ROOM });
    expect(reply?.to).toBe('c');
    expect(reply?.message).toMatchObject({ type: 'error', code: 'room-full' });
    expect(rooms.peersIn(ROOM)).toEqual(['a', 'b']);
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

  it('refuses to relay before joining or while alone', () => {
    const rooms = new RoomRegistry();
    expect(rooms.handle('a', { type: 'description', description: offer })[0]?.message).toMatchObject({ code: 'not-in-room' });
    rooms.handle('a', { type: 'join', roomId: ROOM });
    expect(rooms.handle('a', { type: 'description', description: offer })[0]?.message).toMatchObject({ code: 'no-peer' });
  });

  it('refuses a second join on the same connection', () => {
    const rooms = new RoomRegistry();
    rooms.handle('a', { type: 'join', roomId: ROOM });
    expect(rooms.handle('a', { type: 'join', roomId: 'BBBBBBBBBBBBBBBBBBBBBB' })[0]?.message).toMatchObject({ code: 'already-in-room' });
    expect(rooms.peersIn('BBBBBBBBBBBBBBBBBBBBBB')).toEqual([]);
  });

  it('announces a departure, frees the seat, and forgets empty rooms', () => {
    const rooms = new RoomRegistry();
    rooms.handle('a', { type: 'join', roomId: ROOM });
    rooms.handle('b', { type: 'join', roomId: ROOM });
    expect(rooms.disconnect('a')).toEqual([{ to: 'b', message: { type: 'peer-left', peerId: 'a', reason: 'disconnected' } }]);
    expect(rooms.handle('c', { type: 'join', roomId: ROOM })[0]?.message).toMatchObject({ type: 'joined', peers: ['b'] });
    rooms.handle('b', { type: 'leave' });
    rooms.handle('c', { type: 'leave' });
    expect(rooms.roomCount).toBe(0);
    expect(rooms.peerCount).toBe(0);
  });
});
