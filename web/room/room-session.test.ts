// The room session when the server says no: what the page shows for a refused connection, an unreachable /ws
// and a 429 from /api/ice-servers. A fake WebSocket stands in for the socket; fetch answers as the server would.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { signalingErrorText, SIGNALING_UNREACHABLE } from '../errors/limit-messages';
import { appStore } from '../store/app-store';
import { startRoomSession, type RoomSession } from './room-session';
import { FakeWebSocket } from '../signaling/fake-signaling-socket';


const ROOM = 'AAAAAAAAAAAAAAAAAAAAAA';
const initial = appStore.getInitialState();
let session: RoomSession | null = null;

beforeEach(() => {
  appStore.setState(initial, true);
  FakeWebSocket.sockets = [];
  vi.useFakeTimers();
  vi.stubGlobal('WebSocket', FakeWebSocket);
  vi.stubGlobal('location', { protocol: 'http:', host: 'p2pcheck.test', search: '' });
  // Every API call is refused the way the server refuses a network over its share.
  vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify({ code: 'rate-limited', error: 'too many', retryAfter: 30 }), { status: 429, headers: { 'retry-after': '30' } })));
});

afterEach(() => {
  session?.stop();
  session = null;
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

const start = () => (session = startRoomSession({ roomId: ROOM, relayOnly: false, store: appStore, wsUrl: 'ws://p2pcheck.test/ws' }));

describe('room session, refused by the server', () => {
  it('a 429 from /api/ice-servers: the error list says the server hands out too many relay credentials to this network, and when to retry', async () => {
    start();
    await vi.waitFor(() => expect(appStore.getState().peer.errors.length).toBeGreaterThan(0));
    const e = appStore.getState().peer.errors.find((x) => x.source === 'api')!;
    expect(e.code).toBe(429);
    expect(e.message).toMatch(/^This server is handing out too many relay credentials to your network right now; try again in 30 s\. /);
  });

  it('refused for the connection cap: the notice says so at once, and again when the page stops retrying', async () => {
    start();
    const ws = FakeWebSocket.sockets[0]!;
    ws.serverOpens();
    ws.serverSends({ type: 'error', code: 'too-many-connections', message: 'too many signaling connections from your address (at most 32)' });
    await vi.waitFor(() => expect(appStore.getState().ui.fatal).toBe(signalingErrorText('too-many-connections', '')));
    ws.serverCloses(1013, 'too-many-connections');
    // It keeps trying (another tab may close); each try is refused the same way until the retries run out.
    for (let i = 0; i < 20 && appStore.getState().signaling.status !== 'closed'; i++) {
      await vi.advanceTimersByTimeAsync(30_000);
      const next = FakeWebSocket.sockets.at(-1)!;
      if (next.readyState === 0) next.serverCloses(1013, 'too-many-connections');
    }
    expect(appStore.getState().signaling.status).toBe('closed');
    expect(appStore.getState().ui.fatal).toMatch(/as many signaling connections from your network as it allows.*Close the other tabs, then reload/);
  });

  it('a frame from the server that this page cannot read is listed as such, not explained as the server’s malformed code', async () => {
    start();
    const ws = FakeWebSocket.sockets[0]!;
    ws.serverOpens();
    ws.serverSends({ type: 'no-such-message' });
    await vi.waitFor(() => expect(appStore.getState().peer.errors.some((e) => e.source === 'signaling')).toBe(true));
    const e = appStore.getState().peer.errors.find((x) => x.source === 'signaling')!;
    expect(e.code).toBeNull();
    expect(e.message).toMatch(/^the server sent a message this page cannot read: /);
  });

  it('a first connection that never opens (a 403 for a foreign origin looks the same to the page) names the possible causes', async () => {
    start();
    FakeWebSocket.sockets[0]!.serverCloses(1006);
    await vi.waitFor(() => expect(appStore.getState().ui.fatal).toBe(SIGNALING_UNREACHABLE));
    expect(SIGNALING_UNREACHABLE).toMatch(/ALLOWED_ORIGINS/);
  });
});
