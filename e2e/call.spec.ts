// The call test (issue 15) end to end: after the link measurement two pages send each other synthetic audio and
// 720p video for ~10 s over the connection they tested, and each report says per direction what the call achieved.
// Asserted as a user reads it: the verdict each way, frames received, a resolution.
import type { Page as PuppeteerPage } from 'puppeteer-core';
import type { CallTest } from '../common/call-report';
import type { ConnectivityReport } from '../common/report';
import type { Browser } from '@playwright/test';
import { expect, readReport, test } from './fixtures';
import { launchFirefox } from './support/firefox';

const LABELS = /^(HD video works|SD video works|audio only|not usable for calls)$/;

function expectCallShape(call: CallTest | null | undefined, who: string) {
  expect(call, who).toBeTruthy();
  expect(call!.status, `${who}: ${call!.reason}`).toBe('done');
  for (const d of [call!.incoming!, call!.outgoing!]) {
    expect(d.summary.framesDecoded, who).toBeGreaterThan(0);
    expect(d.summary.height, who).toBeGreaterThan(0);
    // The chart a user sees: a point per second of the ~10 s call. It had been lowered to one point because the
    // polls ran one interval after the previous getStats() ended, so a slow getStats() on a loaded machine stretched
    // every second (400 ms per poll: 7 points). They now sit on a fixed one-second grid (call-session.test.ts), so
    // 10 ticks. 3, not the 6 first chosen (never seen to pass with Firefox before it was committed): the fresh-clone
    // CI of 2 December got 4 on the Chromium side of the Chromium ↔ Firefox call — with both browsers on two loaded
    // cores its polls overran their second and those ticks were skipped. Three points still show the call's course
    // (a line, not a dot); the grid itself is proven by call-session.test.ts with a slow getStats().
    expect(d.series.length, who).toBeGreaterThanOrEqual(3);
  }
}

/** CPU seconds of every renderer process of the browser (CDP SystemInfo.getProcessInfo). */
async function rendererCpu(browser: Browser): Promise<number> {
  const cdp = await browser.newBrowserCDPSession();
  try {
    const { processInfo } = (await cdp.send('SystemInfo.getProcessInfo')) as { processInfo: { type: string; cpuTime: number }[] };
    return processInfo.filter((p) => p.type === 'renderer').reduce((a, p) => a + p.cpuTime, 0);
  } finally {
    await cdp.detach();
  }
}

test('Chromium ↔ Chromium: a 10 s call after the link test, its verdict each way on both pages', async ({ room, browser }) => {
  test.setTimeout(150_000);
  const roomId = room.newRoomId();
  const a = await room.open(roomId, '?call=auto');
  const b = await room.open(roomId, '?call=auto');
  const errors: string[] = [];
  for (const p of [a, b]) p.on('pageerror', (e) => errors.push(String(e)));
  const started = Date.now();
  // Renderer CPU while the call runs (docs/call-test.md): from its progress bar to its result.
  await expect(a.getByTestId('call-progress')).toBeVisible({ timeout: 90_000 });
  const [cpu0, t0] = [await rendererCpu(browser), Date.now()];
  for (const p of [a, b]) await expect.poll(async () => (await readReport(p)).call?.status ?? null, { timeout: 60_000, intervals: [1000] }).not.toBeNull();
  const [cpu1, t1] = [await rendererCpu(browser), Date.now()];
  console.log(`renderer CPU during the call: ${(cpu1 - cpu0).toFixed(1)} s over ${((t1 - t0) / 1000).toFixed(1)} s for 2 pages = ${(((cpu1 - cpu0) / ((t1 - t0) / 1000) / 2) * 100).toFixed(0)} % of a core per page`);
  for (const p of [a, b]) console.log(JSON.stringify((await readReport(p)).call).slice(0, 3000));
  for (const p of [a, b]) await expect(p.getByTestId('call-in-verdict')).toHaveText(LABELS);
  expect(errors).toEqual([]);
  const [ra, rb] = [await readReport(a), await readReport(b)];
  console.log(`call test: both verdicts ${Math.round((Date.now() - started) / 1000)} s after both pages opened; call ${ra.call?.durationMs} ms`);
  for (const [p, r, who] of [[a, ra, 'a'], [b, rb, 'b']] as const) {
    expectCallShape(r.call, who);
    await expect(p.getByTestId('call-out-verdict')).toHaveText(LABELS);
    await expect(p.getByTestId('call-in-resolution')).toHaveText(/^\d+×\d+$/);
    expect(Number(await p.getByTestId('call-in-frames').textContent())).toBeGreaterThan(0);
    await expect(p.getByTestId('call-charts')).toBeVisible();
  }
  // The received audio is played (muted) so Chromium measures its jitter buffer; a buffer the browser did not
  // report is null ("not measured" on the page), never a silent 0.
  for (const r of [ra, rb]) expect(r.call!.incoming!.summary.jitterBufferMs).not.toBe(0);
  console.log(`audio jitter buffer (ms), a ← b / b ← a: ${ra.call!.incoming!.summary.jitterBufferMs} / ${rb.call!.incoming!.summary.jitterBufferMs}`);
  // One direction, measured by its receiver, reaches the sender's report as its outgoing side.
  expect(ra.call!.outgoing!.summary.framesDecoded).toBe(rb.call!.incoming!.summary.framesDecoded);
  expect(rb.call!.outgoing!.summary.framesDecoded).toBe(ra.call!.incoming!.summary.framesDecoded);
  console.log(JSON.stringify({ in: ra.call!.incoming!.summary, inVerdict: ra.call!.incoming!.verdict, out: ra.call!.outgoing!.verdict, dc: ra.quality?.verdict?.label, disagreement: ra.call!.disagreement }));
});

test('Chromium ↔ Firefox ESR: the call runs across browsers and both reports carry it', async ({ room, app }) => {
  test.setTimeout(150_000);
  const firefox = await launchFirefox(app.ns ?? undefined);
  try {
    const roomId = room.newRoomId();
    const chrome = await room.open(roomId, '?call=auto');
    const ff: PuppeteerPage = await firefox.newPage();
    await ff.goto(`${app.baseURL}/r/${roomId}`);
    const readFf = async (): Promise<ConnectivityReport> => JSON.parse((await ff.$eval('[data-testid="report-json"]', (el) => el.textContent)) ?? 'null');
    await expect(chrome.getByTestId('call-in-verdict')).toHaveText(LABELS, { timeout: 100_000 });
    await expect.poll(async () => (await readFf()).call?.status ?? null, { timeout: 20_000, intervals: [1000] }).not.toBeNull();
    const [rc, rf] = [await readReport(chrome), await readFf()];
    expectCallShape(rc.call, 'chromium');
    expectCallShape(rf.call, 'firefox');
    expect(rc.call!.browser).toBe('chromium');
    expect(rf.call!.browser).toBe('firefox');
    // Firefox reports no bandwidth estimate of its own; Chromium's reaches Firefox's report with the direction it sent.
    expect(rf.call!.outgoing!.summary.bandwidthEstimateBps).toBeNull();
    expect(rf.call!.incoming!.summary.bandwidthEstimateBps).toBeGreaterThan(0);
    expect(await ff.$eval('[data-testid="call-in-verdict"]', (el) => el.textContent)).toMatch(LABELS);
    expect(await ff.$eval('[data-testid="call-in-resolution"]', (el) => el.textContent)).toMatch(/^\d+×\d+$/);
    console.log(JSON.stringify({ chromeIn: rc.call!.incoming!.summary, chromeInVerdict: rc.call!.incoming!.verdict, ffIn: rf.call!.incoming!.summary, ffInVerdict: rf.call!.incoming!.verdict }));
  } finally {
    await firefox.close();
  }
});
