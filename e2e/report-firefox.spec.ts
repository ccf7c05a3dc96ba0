// A Chromium ↔ Firefox room: the most telling interop test (different ICE agents, SCTP stacks and stats
// field names). Firefox is Debian's firefox-esr driven by puppeteer-core over WebDriver BiDi.
import type { ConnectivityReport } from '../common/report';
import { expect, readReport, test, withCallDefault } from './fixtures';
import { launchFirefox } from './support/firefox';

test('Chromium and Firefox in one room connect, measure the link both ways and agree on the result', async ({ room, app }) => {
  test.setTimeout(180_000);
  const firefox = await launchFirefox(app.ns ?? undefined);
  try {
    const roomId = room.newRoomId();
    const chrome = await room.open(roomId);
    const ff = await firefox.newPage();
    const errors: string[] = [];
    ff.on('pageerror', (e) => errors.push(String(e)));
    await ff.goto(`${app.baseURL}/r/${roomId}${withCallDefault('')}`);
    const readFf = async (): Promise<ConnectivityReport> => JSON.parse((await ff.$eval('[data-testid="report-json"]', (el) => el.textContent)) ?? 'null');

    await expect(chrome.getByTestId('peer-state')).toHaveText('connected', { timeout: 45_000 });
    await expect.poll(async () => (await readFf()).peerState, { timeout: 45_000 }).toBe('connected');
    await expect.poll(async () => (await readReport(chrome)).quality?.status ?? null, { timeout: 90_000, intervals: [1000] }).not.toBeNull();
    await expect.poll(async () => (await readFf()).quality?.status ?? null, { timeout: 30_000, intervals: [1000] }).not.toBeNull();
    const [rc, rf] = [await readReport(chrome), await readFf()];
    for (const r of [rc, rf]) {
      expect(r.quality!.status).toBe('done');
      expect(r.quality!.upload!.bps!).toBeGreaterThan(0);
      expect(r.quality!.download!.bps!).toBeGreaterThan(0);
      expect(r.path.kind).toBe('direct-lan');
      expect(r.selectedPair?.local.type).toBe('host');
      expect(r.localCandidates.length).toBeGreaterThan(0);
    }
    expect(rc.quality!.upload).toEqual(rf.quality!.download);
    expect(rf.localCandidates.every((c) => !c.address?.endsWith('.local'))).toBe(true);
    // Firefox shows the verdict too.
    expect(await ff.$eval('[data-testid="link-verdict"]', (el) => el.textContent)).toBe(rf.quality!.verdict!.label);
    // The relay-only check between the two browsers (Firefox starts it: it joined second) works across them.
    await expect.poll(async () => (await readFf()).relayCheck?.state ?? null, { timeout: 40_000, intervals: [1000] }).toBe('works');
    await expect.poll(async () => (await readReport(chrome)).relayCheck?.state ?? null, { timeout: 10_000, intervals: [500] }).toBe('works');
    expect(errors).toEqual([]);
  } finally {
    await firefox.close();
  }
});
