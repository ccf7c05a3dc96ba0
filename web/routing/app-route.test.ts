import { describe, expect, it } from 'vitest';
import { ROOM_ID_PATTERN } from '../../common/messages';
import { lobbyPath, newRoomId, parseRoute, roomPath } from './app-route';

describe('parseRoute', () => {
  const id = 'q1w2e3r4t5y6u7i8o9p0-_';
  it('knows the landing page and rooms', () => {
    expect(parseRoute('/', '')).toEqual({ kind: 'landing' });
    expect(parseRoute(`/r/${id}`, '')).toEqual({ kind: 'room', roomId: id, relayOnly: false });
    expect(parseRoute(`/r/${id}/`, '?relay=1')).toEqual({ kind: 'room', roomId: id, relayOnly: true });
    expect(parseRoute(`/r/${id}`, '?relay=0')).toMatchObject({ relayOnly: false });
  });

  it('rejects room ids that are too short or carry other characters', () => {
    expect(parseRoute('/r/abc', '')).toEqual({ kind: 'bad-room', roomId: 'abc' });
    expect(parseRoute('/r/aaaaaaaaaaaaaaaaaaaaaa%20b', '')).toMatchObject({ kind: 'bad-room' });
    expect(parseRoute('/r/', '')).toMatchObject({ kind: 'bad-room' });
    expect(parseRoute('/elsewhere', '')).toEqual({ kind: 'not-found', path: '/elsewhere' });
  });

  it('knows lobbies, with the same room ids', () => {
    expect(parseRoute(`/lobby/${id}`, '')).toEqual({ kind: 'lobby', roomId: id });
    expect(parseRoute(lobbyPath(id), '?relay=1')).toEqual({ kind: 'lobby', roomId: id });
    expect(parseRoute('/lobby/short', '')).toEqual({ kind: 'bad-room', roomId: 'short' });
    expect(parseRoute(`/lobby/${id}/x`, '')).toMatchObject({ kind: 'not-found' });
  });

  it('builds links that parse back', () => {
    expect(parseRoute(roomPath(id, true).split('?')[0]!, '?relay=1')).toMatchObject({ roomId: id, relayOnly: true });
  });
});

describe('newRoomId', () => {
  it('is 22 URL-safe characters from 16 random bytes', () => {
    expect(newRoomId(() => new Uint8Array(16).fill(0xff))).toBe('_____________________w');
    const id = newRoomId();
    expect(id).toHaveLength(22);
    expect(ROOM_ID_PATTERN.test(id)).toBe(true);
    expect(newRoomId()).not.toBe(id);
  });
});
