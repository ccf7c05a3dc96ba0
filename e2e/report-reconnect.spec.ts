// A network blip on the signaling WebSocket: the page reconnects, rejoins its room, and the peer-to-peer
// connection (which no longer needs signaling) keeps running as the same test.
import type { WebSocketRoute } from '@playwright/test';
import { expect, readReport, test, withCallDefault } from './fixtures';

test('after the signaling socket drops, the page reconnects to the same room and the test carries on', async ({ browser, app, room }) => {
  test.setTimeout(240_000);
  const roomId = room.newRoomId();
  const context = await browser.newContext();
  try {
    const a = await context.newPage();
    // Route a's signaling through the test so it can cut the socket like a network blip would.
    const sockets: { page: WebSocketRoute; server: WebSocketRoute }[] = [];
    await a.routeWebSocket(/\/ws$/, (ws) => {
      sockets.push({ page: ws, server: ws.connectToServer() });
    });
    await a.goto(`${app.baseURL}/r/${roomId}${withCallDefault('')}`);
    const b = await room.open(roomId);
    await expect(a.getByTestId('peer-state')).toHaveText('connected', { timeout: 45_000 });
    const before = await readReport(a);
    expect(sockets).toHaveLength(1);

    // Blip: both directions of a's signaling socket close at once.
    await sockets[0]!.server.close({ code: 4000, reason: 'blip' });
    await sockets[0]!.page.close({ code: 4000, reason: 'blip' });
    await expect.poll(() => sockets.length, { timeout: 10_000 }).toBe(2);
    await expect(a.getByTestId('signaling-reconnecting')).toHaveCount(0, { timeout: 10_000 });
    await expect(a.getByTestId('fatal')).toHaveCount(0);

    // Still the same test on both sides: same start, still connected, the other side never saw us leave.
    await b.waitForTimeout(6_000); // longer than the 5 s grace the other side gives a peer whose signaling dropped
    for (const page of [a, b]) await expect(page.getByTestId('peer-state')).toHaveText('connected');
    const after = await readReport(a);
    expect(after.startedAt).toBe(before.startedAt);
    expect(after.rtt.samples.length).toBeGreaterThan(before.rtt.samples.length);
    // And the room still works for signaling: the rejoined socket relays a new test when b restarts with relay only.
    await b.getByTestId('relay-toggle').check();
    // (b leaves and rejoins; the new offer and answer go through a's new socket.)
    await expect.poll(async () => (await readReport(b)).selectedPair?.local.type ?? null, { timeout: 45_000 }).toBe('relay');
    await expect(a.getByTestId('peer-state')).toHaveText('connected', { timeout: 30_000 });
    expect((await readReport(a)).startedAt).not.toBe(before.startedAt);
  } finally {
    await context.close();
  }
});
