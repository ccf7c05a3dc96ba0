// Which page a URL means: "/" the landing page, "/r/<room-id>" a room (with ?relay=1 for relay only),
// "/lobby/<room-id>" a lobby of up to 8.
import { ROOM_ID_PATTERN } from '../../common/messages';

export type AppRoute =
  | { kind: 'landing' }
  | { kind: 'room'; roomId: string; relayOnly: boolean }
  | { kind: 'lobby'; roomId: string }
  | { kind: 'bad-room'; roomId: string }
  | { kind: 'saved-report'; id: string }
  | { kind: 'not-found'; path: string };

export function parseRoute(pathname: string, search: string): AppRoute {
  if (pathname === '/' || pathname === '/index.html') return { kind: 'landing' };
  const m = /^\/r\/([^/]*)\/?$/.exec(pathname);
  if (m) {
    const roomId = decodeURIComponent(m[1] ?? '');
    if (!ROOM_ID_PATTERN.test(roomId)) return { kind: 'bad-room', roomId };
    const relay = new URLSearchParams(search).get('relay');
    return { kind: 'room', roomId, relayOnly: relay === '1' || relay === 'true' };
  }
  const lobby = /^\/lobby\/([^/]*)\/?$/.exec(pathname);
  if (lobby) {
    const roomId = decodeURIComponent(lobby[1] ?? '');
    return ROOM_ID_PATTERN.test(roomId) ? { kind: 'lobby', roomId } : { kind: 'bad-room', roomId };
  }
  const saved = /^\/report\/([A-Za-z0-9_-]{16,64})\/?$/.exec(pathname);
  if (saved) return { kind: 'saved-report', id: saved[1]! };
  return { kind: 'not-found', path: pathname };
}

export const roomPath = (roomId: string, relayOnly: boolean) => `/r/${roomId}${relayOnly ? '?relay=1' : ''}`;
export const lobbyPath = (roomId: string) => `/lobby/${roomId}`;

/** 16 random bytes (128 bits) as base64url: 22 characters, safe in a URL path. */
export function newRoomId(random: (a: Uint8Array<ArrayBuffer>) => Uint8Array = (a) => crypto.getRandomValues(a)): string {
  const bytes = random(new Uint8Array(16));
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
