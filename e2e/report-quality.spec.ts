// Issue 6 seen by two people: after "connected" the page measures the link both ways, shows the verdict and
// the ICE timeline, saves the report with private addresses masked, and the permalink shows the same report
// to anyone who opens it.
import type { Page } from '@playwright/test';
import type { ConnectivityReport } from '../common/report';
import { expect, readReport, test, withCallDefault } from './fixtures';

/** Waits until the page's link measurement has finished (done or partial). */
async function waitForQuality(page: Page, timeoutMs = 120_000): Promise<ConnectivityReport> {
  let report: ConnectivityReport | null = null;
  await expect
    .poll(async () => {
      // A page busy measuring can miss readReport's 5 s; just ask again.
      report = (await readReport(page).catch(() => null)) ?? report;
      return report?.quality?.status ?? null;
    }, { timeout: timeoutMs, intervals: [500] })
    .not.toBeNull();
  return report!;
}

test('two browsers measure the link each way, see a verdict and the ICE timeline, and share a masked permalink', async ({ room, browser }) => {
  test.setTimeout(240_000);
  const roomId = room.newRoomId();
  const a = await room.open(roomId);
  const b = await room.open(roomId);
  // Both see the measurement phase, then its result.
  await expect(a.getByTestId('test-phase')).toHaveAttribute('data-phase', /measuring|done/, { timeout: 90_000 });
  const [ra, rb] = [await waitForQuality(a), await waitForQuality(b)];
  for (const [page, r] of [[a, ra], [b, rb]] as const) {
    const q = r.quality!;
    expect(q.status).toBe('done');
    expect(q.notMeasured).toEqual([]);
    expect(q.upload!.bps!).toBeGreaterThan(0);
    expect(q.download!.bps!).toBeGreaterThan(0);
    expect(q.streamIn!.sent).toBeGreaterThan(0);
    expect(q.streamIn!.received).toBeGreaterThan(0);
    expect(q.rttIdle!.count).toBeGreaterThan(0);
    expect(q.verdict).not.toBeNull();
    await expect(page.getByTestId('link-verdict')).toHaveText(q.verdict!.label);
    await expect(page.getByTestId('throughput-up')).toHaveText(/\d.* Mbit\/s/);
    await expect(page.getByTestId('throughput-down')).toHaveText(/\d.* Mbit\/s/);
    // Done once the relay check that follows the measurement is over too.
    await expect(page.getByTestId('test-phase')).toHaveAttribute('data-phase', /^(relay|done)$/);
    // The timeline shows the path and the pair checks that led to it.
    await expect(page.getByTestId('ice-timeline')).toBeVisible();
    await expect(page.getByTestId('tl-path')).toBeVisible();
    expect(r.iceEvents!.some((e) => e.kind === 'pair' && e.state === 'succeeded')).toBe(true);
    expect(r.iceEvents!.some((e) => e.kind === 'channel-open')).toBe(true);
  }
  // One measurement seen from both ends: a's upload is b's download.
  expect(ra.quality!.upload).toEqual(rb.quality!.download);
  expect(ra.quality!.download).toEqual(rb.quality!.upload);
  await expect(a.getByTestId('room-qr').locator('svg')).toBeVisible();

  // Then the relay fallback is tried for real: a second, relay-only connection between the two pages through
  // the bundled TURN server (both relays are its own, so it relays between them on this private network).
  for (const page of [a, b]) {
    const fallback = page.getByTestId('relay-fallback');
    await expect(fallback).toHaveAttribute('data-check', 'works', { timeout: 45_000 });
    await expect(fallback).toHaveAttribute('data-verified', 'true');
    await expect(fallback).toContainText(/^works: the two pages connected to each other through TURN relays only .* in \d+ ms, round trip \d/);
    await expect(page.getByTestId('test-phase')).toHaveAttribute('data-phase', 'done');
    // …and the summary at the top says it in one line.
    await expect(page.getByTestId('status-relay-fallback')).toHaveText(/^Relay fallback: works — tested with a relay-only connection \(round trip [\d.]+ ms, [\d.]+ Mbit\/s\)\.$/);
  }
  const checkA = (await readReport(a)).relayCheck!;
  expect(checkA).toMatchObject({ state: 'works', reason: null });
  expect(['relay-udp', 'relay-tcp']).toContain(checkA.path);
  expect(checkA.connectMs!).toBeGreaterThan(0);
  expect(checkA.rttMs!).toBeGreaterThanOrEqual(0);
  // A 2 s burst through the relays on one host moves well over a megabit per second.
  expect(checkA.throughputBps!).toBeGreaterThan(1e6);
  // The other side shows the same verdict, round trip and throughput (the starter measures, and sends them over).
  expect((await readReport(b)).relayCheck).toMatchObject({ state: 'works', rttMs: checkA.rttMs, throughputBps: checkA.throughputBps });

  // Saved automatically once the relay check is over; the saved copy masks the 10.200.x.x test addresses.
  const permalink = a.getByTestId('permalink');
  await expect(permalink).toHaveValue(/\/report\/[A-Za-z0-9_-]{24}$/, { timeout: 15_000 });
  const url = await permalink.inputValue();
  const saved = await a.evaluate(async (u) => (await fetch(`/api/reports/${u.split('/').pop()}`)).text(), url);
  expect(ra.localCandidates.some((c) => c.address?.startsWith('10.200.'))).toBe(true);
  expect(saved).not.toContain('10.200.');
  const savedReport = JSON.parse(saved) as ConnectivityReport;
  expect(savedReport.redacted).toBe(true);
  expect(savedReport.localCandidates.find((c) => c.type === 'host')?.address).toBe('10.x.x.x');
  expect(savedReport.relayCheck?.state).toBe('works');

  // The permalink in a fresh context shows the same report, read-only.
  const context = await browser.newContext();
  try {
    const viewer = await context.newPage();
    await viewer.goto(url);
    await expect(viewer.getByTestId('saved-report')).toBeVisible();
    await expect(viewer.getByTestId('selected-path')).toHaveText(await a.getByTestId('selected-path').innerText());
    await expect(viewer.getByTestId('link-verdict')).toHaveText(ra.quality!.verdict!.label);
    await expect(viewer.getByTestId('throughput-up')).toHaveText(await a.getByTestId('throughput-up').innerText());
    await expect(viewer.getByTestId('ice-timeline')).toBeVisible();
    const shown = await readReport(viewer);
    expect(shown.quality).toEqual(ra.quality);
    expect(shown.selectedPairHistory.length).toBe(ra.selectedPairHistory.length);
    await expect(viewer.getByTestId('room-link')).toHaveCount(0);
    // A wrong id says so.
    await viewer.goto(url.replace(/[A-Za-z0-9_-]{24}$/, 'AAAAAAAAAAAAAAAAAAAAAAAA'));
    await expect(viewer.getByTestId('saved-report-error')).toContainText(/expired|no such report/);
  } finally {
    await context.close();
  }

  // Unmasking before sharing saves a new copy with the addresses as they are.
  await a.getByTestId('redact-toggle').uncheck();
  await expect(permalink).not.toHaveValue(url, { timeout: 15_000 });
  const unmasked = await a.evaluate(async (u) => (await fetch(`/api/reports/${u.split('/').pop()}`)).text(), await permalink.inputValue());
  expect(unmasked).toContain('10.200.');
});

test('a peer closing its tab mid-measurement leaves a partial report that says what was not measured, and no error', async ({ browser, app, room }) => {
  test.setTimeout(180_000);
  const roomId = room.newRoomId();
  const context = await browser.newContext();
  const errors: string[] = [];
  try {
    const a = await context.newPage();
    a.on('pageerror', (e) => errors.push(e.message));
    await a.goto(`${app.baseURL}/r/${roomId}${withCallDefault('')}`);
    const b = await room.open(roomId);
    await expect(a.getByTestId('link-progress')).toBeVisible({ timeout: 90_000 });
    // Into the throughput phase, then gone.
    await expect(a.getByTestId('link-status')).toContainText(/throughput/, { timeout: 30_000 });
    await b.context().close();
    const r = await waitForQuality(a, 60_000);
    expect(r.quality!.status).toBe('partial');
    expect(r.quality!.notMeasured.length).toBeGreaterThan(0);
    expect(r.quality!.notMeasured).toContain('stream');
    await expect(a.getByTestId('peer-state')).toContainText(/left/, { timeout: 20_000 });
    await expect(a.getByTestId('phase-note')).toContainText(/partial/i);
    await expect(a.getByTestId('phase-note')).toContainText(/Not measured/);
    await expect(a.getByTestId('link-status')).toContainText(/Partial measurement/);
    await expect(a.getByTestId('fatal')).toHaveCount(0);
    // The partial report is saved as well.
    await expect(a.getByTestId('permalink')).toHaveValue(/\/report\//, { timeout: 15_000 });
    expect(errors).toEqual([]);
  } finally {
    await context.close();
  }
});
