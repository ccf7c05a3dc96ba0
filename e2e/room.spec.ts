// The walking skeleton seen by two people: they open one room link and both read a report.
import { PATH_LABELS } from '../common/path-kind';
import { expect, readReport, serverStatus, test, waitForSettledReport } from './fixtures';

test('the landing page creates a room with an unguessable id and shows its link', async ({ browser, app }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(app.baseURL);
  await page.getByTestId('create-room').click();
  await expect(page).toHaveURL(/\/r\/[A-Za-z0-9_-]{22,}/);
  const roomId = new URL(page.url()).pathname.split('/')[2]!;
  // 16 random bytes in base64url: 22 characters, 128 bits.
  expect(roomId.length).toBeGreaterThanOrEqual(22);
  const link = page.getByTestId('room-link');
  await expect(link).toContainText(roomId).catch(async () => expect(link).toHaveValue(new RegExp(roomId)));
  await expect(page.getByTestId('copy-link')).toBeVisible();
  await expect(page.getByTestId('peer-state')).toContainText(/waiting/i);
  await context.close();
});

test('two browsers in one room connect and both report the same direct path with RTT samples', async ({ room }) => {
  const roomId = room.newRoomId();
  const a = await room.open(roomId);
  await expect(a.getByTestId('peer-state')).toContainText(/waiting/i);
  const b = await room.open(roomId);
  for (const page of [a, b]) {
    await expect(page.getByTestId('peer-state')).toContainText(/connected/i, { timeout: 20000 });
  }
  const [ra, rb] = [await waitForSettledReport(a), await waitForSettledReport(b)];
  // Both browsers share one test host, so the only sensible path is host to host.
  for (const [page, report] of [[a, ra], [b, rb]] as const) {
    expect(report.path.kind).toBe('direct-lan');
    await expect(page.getByTestId('selected-path')).toHaveText(PATH_LABELS['direct-lan']);
    expect(report.selectedPair?.local.type).toBe('host');
    expect(report.selectedPair?.remote.type).toBe('host');
    expect(report.localCandidates.length).toBeGreaterThan(0);
    expect(report.remoteCandidates.length).toBeGreaterThan(0);
    expect(report.pairs.some((p) => p.state === 'succeeded' && p.nominated)).toBe(true);
    // No NAT between the two: a first entry read as "through NAT" while the peer was still peer-reflexive must
    // have been corrected in place, not left in the history as a path that was never used.
    expect(report.selectedPairHistory.map((h) => h.path)).not.toContain('p2p-nat');
    expect(report.timings.peerJoined).not.toBeNull();
    expect(report.timings.connected!).toBeGreaterThanOrEqual(report.timings.firstCandidate!);
    // Each side lists a relay candidate, or says it was not gathered because Chromium stopped gathering when the
    // host pair connected first (libwebrtc's behavior, see web/report/relay-coverage.ts) — never a silent gap,
    // and never a TURN failure on this healthy host.
    const relayLocal = page.getByTestId('relay-local');
    await expect(relayLocal).toHaveAttribute('data-state', /^(gathered|not-gathered)$/);
    if ((await relayLocal.getAttribute('data-state')) === 'gathered') {
      expect(report.localCandidates.some((c) => c.type === 'relay')).toBe(true);
    } else {
      await expect(relayLocal).toHaveAttribute('data-reason', 'stopped-on-connect');
      await expect(relayLocal).toContainText('relay candidate not gathered (Chromium stopped gathering when the first candidate pair connected');
    }
    await expect(page.getByTestId('relay-fallback')).toContainText(/^(verified|not verified): /);
  }
  await expect.poll(async () => (await readReport(a)).rtt.samples.length, { timeout: 10000 }).toBeGreaterThan(2);
  const rtt = (await readReport(a)).rtt;
  expect(rtt.min!).toBeLessThanOrEqual(rtt.avg!);
  expect(rtt.avg!).toBeLessThanOrEqual(rtt.max!);
});

test('with ?relay=1 both sides relay through the bundled TURN server, which counts the allocations', async ({ room }) => {
  const roomId = room.newRoomId();
  const a = await room.open(roomId, '?relay=1');
  const b = await room.open(roomId, '?relay=1');
  for (const page of [a, b]) {
    const report = await waitForSettledReport(page);
    expect(report.relayOnly).toBe(true);
    expect(report.selectedPair?.local.type).toBe('relay');
    // The ICE servers offer our TURN server over UDP and TCP, so Chromium gathers a relay candidate of each and
    // sometimes settles on the TCP one first (seen in CI and in the NAT lab with coturn too). Either one is
    // "relayed through the bundled server"; the earlier expectation of UDP only was Chromium-order luck.
    const relayProtocol = report.selectedPair?.local.relayProtocol;
    expect(['udp', 'tcp']).toContain(relayProtocol);
    expect(report.localCandidates.every((c) => c.type === 'relay')).toBe(true);
    const kind = relayProtocol === 'tcp' ? 'relay-tcp' : 'relay-udp';
    expect(report.path.kind).toBe(kind);
    await expect(page.getByTestId('selected-path')).toHaveText(PATH_LABELS[kind]);
  }
  const status = await serverStatus(a);
  expect(status.turn?.allocations).toBeGreaterThanOrEqual(2);
  await expect.poll(async () => (await readReport(a)).rtt.samples.length, { timeout: 10000 }).toBeGreaterThan(0);
});

test('a third browser is told the room is full and the two inside stay connected', async ({ room }) => {
  const roomId = room.newRoomId();
  const a = await room.open(roomId);
  const b = await room.open(roomId);
  await expect(b.getByTestId('peer-state')).toContainText(/connected/i, { timeout: 20000 });
  const c = await room.open(roomId);
  await expect(c.getByTestId('room-full')).toBeVisible();
  await expect(a.getByTestId('peer-state')).toContainText(/connected/i);
});

test('when one peer leaves, the other is told and keeps its report', async ({ room }) => {
  const roomId = room.newRoomId();
  const a = await room.open(roomId);
  const b = await room.open(roomId);
  await expect(a.getByTestId('peer-state')).toContainText(/connected/i, { timeout: 20000 });
  await b.context().close();
  await expect(a.getByTestId('peer-state')).toContainText(/left/i, { timeout: 20000 });
  const report = await readReport(a);
  expect(report.selectedPairHistory.length).toBeGreaterThan(0);
});
