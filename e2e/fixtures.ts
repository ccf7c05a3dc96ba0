// Shared fixtures for the end-to-end tests: one p2pcheck server per worker and Chromium next to it.
// As root (CI) both run inside a network namespace of the worker's own, so browsers talk over a test-only
// address and nothing reaches any real network; otherwise they run on loopback.
import { test as base, expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import type { ConnectivityReport } from '../common/report';
import { startAppProcess, type AppProcess } from './support/app-process';
import { launchChromium } from './support/chromium';
import { canUseNetns, createTestHost, type TestHost } from './support/netns';
import { readPageReport } from './support/page-readers';

export interface AppUnderTest {
  baseURL: string;
  /** Namespace the server and browsers run in, or null on loopback. */
  ns: string | null;
  process: AppProcess;
}

export const test = base.extend<{ room: RoomHelpers }, { app: AppUnderTest; browser: Browser }>({
  app: [
    async ({}, use, workerInfo) => {
      const netns = canUseNetns();
      let host: TestHost | null = null;
      if (netns.ok) host = createTestHost(`w${workerInfo.workerIndex}-${process.pid}`, 10 + (workerInfo.workerIndex % 200));
      try {
        // Up to 50 s of the fixture's 60: tsx compiles the server at each start, slow when the cores are busy.
        const proc = await startAppProcess({ ns: host?.ns, host: host?.address ?? '127.0.0.1', startTimeoutMs: 50_000 });
        try {
          await use({ baseURL: proc.baseURL, ns: host?.ns ?? null, process: proc });
        } finally {
          await proc.stop();
        }
      } finally {
        host?.remove();
      }
    },
    { scope: 'worker', timeout: 60000 },
  ],
  browser: [
    async ({ app }, use) => {
      const browser = await launchChromium(app.ns ?? undefined);
      await use(browser);
      await browser.close();
    },
    { scope: 'worker' },
  ],
  room: async ({ browser, app }, use) => {
    const contexts: BrowserContext[] = [];
    await use({
      newRoomId: () => Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64url'),
      async open(roomId, query = '') {
        const context = await browser.newContext();
        contexts.push(context);
        const page = await context.newPage();
        await page.goto(`${app.baseURL}/r/${roomId}${withCallDefault(query)}`);
        return page;
      },
    });
    for (const c of contexts) await c.close();
  },
});

/** Rooms in e2e skip the ~11 s call test unless the query says `call=` (e2e/call.spec.ts asks for it): the other
 *  specs judge connection, report and relay, and each would wait for a call it does not look at. */
export function withCallDefault(query: string): string {
  if (/[?&]call=/.test(query)) return query;
  return query ? `${query}&call=off` : '?call=off';
}

export interface RoomHelpers {
  newRoomId(): string;
  open(roomId: string, query?: string): Promise<Page>;
}

export async function readReport(page: Page): Promise<ConnectivityReport> {
  const report = await readPageReport(page, 5000);
  if (!report) throw new Error(`no report JSON on ${page.url()}`);
  return report;
}

/** Waits until the page's own report says the selected path has held long enough to be called settled. */
export async function waitForSettledReport(page: Page, timeoutMs = 30000): Promise<ConnectivityReport> {
  // The status line's data attribute, not the raw report: a few bytes per poll instead of tens of kilobytes.
  await expect(page.getByTestId('status-line')).toHaveAttribute('data-settled', 'yes', { timeout: timeoutMs });
  return readReport(page);
}

/** The server's own counters, read from inside the namespace through the page. */
export async function serverStatus(page: Page): Promise<{ signaling: Record<string, number>; turn: Record<string, number> | null }> {
  return page.evaluate(async () => (await fetch('/api/status')).json());
}

export { expect };
