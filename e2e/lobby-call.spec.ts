// The call test in a lobby, per pair, on demand (issue 15): three pages; the first, which leads none of its links,
// presses "Call test" on its link to the second (led by the second: it joined later), the lobby queue runs it, both
// ends show the call's verdict per direction; the third page's links ran no call. Then the leading end calls again
// on the same link: the connection keeps its two media m-lines. Any verdict level passes (the e2e machine is loaded).
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { expect, test } from './fixtures';

const newRoomId = () => Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64url');
const status = (page: Page) => page.getByTestId('lobby-status');
const LEVEL = /^(hd-video|sd-video|audio|unusable)$/;

/** The peer ids of the page's own links, in the order its rows list them. */
const rowIds = (page: Page) => page.locator('[data-testid^="lobby-link-"][data-state]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')!.slice('lobby-link-'.length)));

async function open(browser: Browser, contexts: BrowserContext[], url: string): Promise<Page> {
  const context = await browser.newContext();
  contexts.push(context);
  const page = await context.newPage();
  // Every local description this page's connections set, as its m-lines' media (application, audio, video): what a
  // second call does to the SDP.
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __mlines: string[] }).__mlines = seen;
    const count = (sdp: string | undefined) => (sdp ?? '').split('\n').filter((l) => l.startsWith('m=')).map((l) => l.slice(2).split(' ')[0]).join(',');
    const proto = RTCPeerConnection.prototype;
    const setLocal = proto.setLocalDescription;
    proto.setLocalDescription = async function (this: RTCPeerConnection, ...args: Parameters<typeof setLocal>) {
      await setLocal.apply(this, args);
      seen.push(`local ${this.localDescription?.type} ${count(this.localDescription?.sdp)}`);
    } as typeof setLocal;
  });
  await page.goto(url, { waitUntil: 'commit' });
  return page;
}

async function expectVerdicts(page: Page, otherId: string): Promise<void> {
  const result = page.getByTestId(`lobby-call-result-${otherId}`);
  await expect(result).toHaveAttribute('data-status', /^(done|partial)$/, { timeout: 40_000 });
  for (const dir of ['outgoing', 'incoming']) await expect(page.getByTestId(`lobby-call-${dir}-${otherId}`)).toHaveAttribute('data-level', LEVEL);
}

test('a call test on one lobby pair, asked from the end that does not lead it: both ends show a verdict per direction, no other link calls', async ({ browser, app }) => {
  test.setTimeout(90_000);
  const contexts: BrowserContext[] = [];
  const t0 = Date.now();
  const mark = (step: string) => test.info().annotations.push({ type: 'timing', description: `${((Date.now() - t0) / 1000).toFixed(1)} s ${step}` });
  try {
    const roomId = newRoomId();
    const url = `${app.baseURL}/lobby/${roomId}`;
    // One after another, so the join order (who leads which link) is known: a link's later joiner leads it.
    const ana = await open(browser, contexts, url);
    await expect(status(ana)).toHaveAttribute('data-members', '1', { timeout: 20_000 });
    const bo = await open(browser, contexts, url);
    await expect(status(bo)).toHaveAttribute('data-members', '2', { timeout: 20_000 });
    await expect.poll(() => rowIds(bo)).toHaveLength(1);
    const [anaId] = await rowIds(bo);
    const [boId] = await rowIds(ana);
    const cy = await open(browser, contexts, url);
    const pages = [ana, bo, cy];
    await Promise.all(pages.map((p) => expect(status(p)).toHaveAttribute('data-settled', '3', { timeout: 30_000 })));
    mark('3 settled');

    // Ana does not lead her link to Bo: her click asks Bo's page, whose queue runs the call.
    const button = ana.getByTestId(`lobby-call-${boId}`);
    await expect(button).toBeEnabled();
    await button.click();
    await expect(button).toBeDisabled();
    await expect(ana.getByTestId(`lobby-call-why-${boId}`)).toContainText('call test of this link');
    await Promise.all([expectVerdicts(ana, boId!), expectVerdicts(bo, anaId!)]);
    mark('first call: verdicts on both ends');
    await expect(button).toBeEnabled();
    // Nothing called on Cy's links, on either end.
    for (const p of pages) {
      const cyRows = (await rowIds(p)).filter((id) => id !== anaId && id !== boId);
      for (const id of cyRows) await expect(p.getByTestId(`lobby-call-result-${id}`)).toHaveCount(0);
    }
    await expect(cy.locator('[data-testid^="lobby-call-result-"]')).toHaveCount(0);

    // A second call on the same link, from its leading end: it runs, and reuses the first call's transceivers.
    await bo.getByTestId(`lobby-call-${anaId}`).click();
    await expect(bo.getByTestId(`lobby-call-result-${anaId}`)).toHaveAttribute('data-status', 'running');
    await Promise.all([expectVerdicts(ana, boId!), expectVerdicts(bo, anaId!)]);
    mark('second call: verdicts on both ends');
    const mlines = (p: Page) => p.evaluate(() => (window as unknown as { __mlines: string[] }).__mlines);
    const boOffers = (await mlines(bo)).filter((l) => l.startsWith('local offer') && l.includes('audio'));
    expect(boOffers).toEqual(['local offer application,audio,video', 'local offer application,audio,video']);
  } finally {
    await Promise.all(contexts.map((c) => c.close().catch(() => undefined)));
  }
});
