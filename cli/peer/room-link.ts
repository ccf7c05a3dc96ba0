// Reads the link a user pastes (the room or lobby address the page shows) into what the headless peer needs: the
// server's origin, its /ws URL and the room. The page's own route parser decides what a path means.
import { parseRoute } from '../../web/routing/app-route';

export interface RoomLink {
  kind: 'room' | 'lobby';
  roomId: string;
  /** `?relay=1` in a room link: relay only, as the page would run it. */
  relayOnly: boolean;
  /** http(s)://host[:port] of the p2pcheck server. */
  origin: string;
  /** Its signaling endpoint, ws(s)://host[:port]/ws. */
  wsUrl: string;
}

export type RoomLinkResult = { ok: true; link: RoomLink } | { ok: false; error: string };

export function parseRoomLink(text: string): RoomLinkResult {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, error: `'${text}' is not a link (expected https://<server>/r/<room-id> or https://<server>/lobby/<room-id>)` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, error: `'${text}': only http:// and https:// links are p2pcheck rooms` };
  const route = parseRoute(url.pathname, url.search);
  const origin = url.origin;
  const wsUrl = `${url.protocol === 'https:' ? 'wss:' : 'ws:'}//${url.host}/ws`;
  switch (route.kind) {
    case 'room':
      return { ok: true, link: { kind: 'room', roomId: route.roomId, relayOnly: route.relayOnly, origin, wsUrl } };
    case 'lobby':
      return { ok: true, link: { kind: 'lobby', roomId: route.roomId, relayOnly: false, origin, wsUrl } };
    case 'bad-room':
      return { ok: false, error: `'${route.roomId}' is not a room id (22 to 64 letters, digits, - or _)` };
    case 'landing':
    case 'saved-report':
    case 'not-found':
      return { ok: false, error: `'${text}' is not a room or lobby link (expected ${origin}/r/<room-id> or ${origin}/lobby/<room-id>)` };
    default: {
      const unreachable: never = route;
      return unreachable;
    }
  }
}
