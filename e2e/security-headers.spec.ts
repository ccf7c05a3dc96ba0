// The page under its own Content-Security-Policy, in Chromium and in Firefox: every flow (landing page, "Check my
// network", a Chromium ↔ Firefox room through its link measurement to the saved report, /report/<id>) runs without
// a single CSP violation, and the security headers are on the page, an asset, a 404 and /report/<id>.
// Violations are caught by a `securitypolicyviolation` listener installed before any page script (and by the
// console); the first test proves that listener sees a deliberate violation of each kind in both browsers.
// One more case checks that a limit the server hits reaches the page in plain words (web/errors/limit-messages.ts).
import type { Browser, BrowserContext, Page } from '@playwright/test';
import type { Browser as PptrBrowser, Page as PptrPage } from 'puppeteer-core';
import type { ConnectivityReport } from '../common/report';
import { pageSecurityHeaders, SECURITY_HEADERS } from '../signal/http/security-headers';
import { expect, readReport, test as base } from './fixtures';
import { launchFirefox } from './support/firefox';
import { runNetworkCheck } from './support/page-readers';

interface Violation {
  browser: string;
  page: string;
  directive: string;
  blocked: string;
  sample: string;
}

/** Runs in the page before its own scripts: reports every violation to the test and keeps a copy on window. */
function watchViolations(): void {
  const w = window as unknown as { __cspViolations: unknown[]; __cspReport?: (v: unknown) => void };
  w.__cspViolations = [];
  addEventListener(
    'securitypolicyviolation',
    (e) => {
      const v = { page: location.href, directive: e.effectiveDirective || e.violatedDirective, blocked: e.blockedURI, sample: e.sample };
      w.__cspViolations.push(v);
      try {
        w.__cspReport?.(v);
      } catch {
        // the copy on window is still there
      }
    },
    true,
  );
}

const CSP_CONSOLE = /content[- ]security[- ]policy|refused to (execute|apply|load|connect|frame)/i;

/** Collects violations and CSP console lines from Playwright (Chromium) contexts and puppeteer (Firefox) pages. */
class CspWatch {
  readonly violations: Violation[] = [];
  readonly console: string[] = [];

  async chromium(context: BrowserContext): Promise<BrowserContext> {
    await context.exposeBinding('__cspReport', ({ page }, v: Omit<Violation, 'browser'>) => this.violations.push({ browser: 'chromium', ...v, page: v.page || page.url() }));
    await context.addInitScript(watchViolations);
    context.on('console', (m) => CSP_CONSOLE.test(m.text()) && this.console.push(`chromium: ${m.text()}`));
    return context;
  }

  async firefox(page: PptrPage): Promise<PptrPage> {
    await page.exposeFunction('__cspReport', (v: Omit<Violation, 'browser'>) => void this.violations.push({ browser: 'firefox', ...v }));
    await page.evaluateOnNewDocument(watchViolations);
    page.on('console', (m) => void (CSP_CONSOLE.test(m.text()) && this.console.push(`firefox: ${m.text()}`)));
    return page;
  }
}

const test = base.extend<{ csp: CspWatch }, { firefox: PptrBrowser }>({
  firefox: [
    async ({ app }, use) => {
      const ff = await launchFirefox(app.ns ?? undefined);
      await use(ff);
      await ff.close();
    },
    { scope: 'worker', timeout: 60_000 },
  ],
  csp: async ({}, use) => {
    const watch = new CspWatch();
    await use(watch);
    // Every test ends with the same check: nothing was blocked, nothing was logged.
    expect(watch.violations, 'CSP violations').toEqual([]);
    expect(watch.console, 'CSP console messages').toEqual([]);
  },
});

async function chromiumPage(browser: Browser, csp: CspWatch): Promise<Page> {
  return (await csp.chromium(await browser.newContext())).newPage();
}

async function firefoxPage(firefox: PptrBrowser, csp: CspWatch): Promise<PptrPage> {
  const context = await firefox.createBrowserContext();
  return csp.firefox(await context.newPage());
}

/** The violations the page itself saw (the copy on window), for when the binding is not there yet. */
const pageViolations = (page: { evaluate: Page['evaluate'] }) => page.evaluate(() => (window as unknown as { __cspViolations: unknown[] }).__cspViolations);

test('the listener catches a deliberate inline script, inline style and foreign connection in both browsers', async ({ browser, firefox, app }) => {
  // Its own watch, not the `csp` fixture: here violations are the expected outcome.
  const watch = new CspWatch();
  const provoke = () => {
    const s = document.createElement('script');
    s.textContent = 'window.__inlineRan = true';
    document.body.append(s);
    const style = document.createElement('style');
    style.textContent = 'body { outline: 1px solid red }';
    document.head.append(style);
    document.body.setAttribute('style', 'color: red');
    void fetch('http://192.0.2.1/').catch(() => undefined);
    return (window as unknown as { __inlineRan?: boolean }).__inlineRan ?? false;
  };
  const chrome = await chromiumPage(browser, watch);
  await chrome.goto(app.baseURL);
  expect(await chrome.evaluate(provoke)).toBe(false);
  const ff = await firefoxPage(firefox, watch);
  await ff.goto(app.baseURL);
  expect(await ff.evaluate(provoke)).toBe(false);
  const kinds = (b: string) => [...new Set(watch.violations.filter((v) => v.browser === b).map((v) => v.directive.replace(/-(elem|attr)$/, '')))].sort();
  await expect.poll(() => kinds('chromium')).toEqual(['connect-src', 'script-src', 'style-src']);
  await expect.poll(() => kinds('firefox')).toEqual(['connect-src', 'script-src', 'style-src']);
  // The copy on window agrees with what the binding reported.
  expect((await pageViolations(chrome)).length).toBe(watch.violations.filter((v) => v.browser === 'chromium').length);
  expect(watch.console.some((l) => l.startsWith('chromium: '))).toBe(true);
  await chrome.context().close();
  await ff.browserContext().close();
});

test('the security headers are on the page, an asset, a 404 and /report/<id>', async ({ browser, app, csp }) => {
  const page = await chromiumPage(browser, csp);
  const nav = await page.goto(`${app.baseURL}/`);
  const headersOf = (path: string) =>
    page.evaluate(async (p) => {
      const res = await fetch(p, { cache: 'no-store' });
      return { status: res.status, headers: Object.fromEntries(res.headers.entries()) };
    }, path);
  const asset = await page.evaluate(() => document.querySelector<HTMLScriptElement>('script[src^="/assets/"]')?.getAttribute('src') ?? null);
  expect(asset).not.toBeNull();
  const answers = {
    page: { status: nav!.status(), headers: await nav!.allHeaders() },
    asset: await headersOf(asset!),
    missingAsset: await headersOf('/assets/no-such-file-123.js'),
    savedReportPage: await headersOf('/report/AbCdEfGhIjKlMnOpQrSt'),
  };
  expect(answers.page.status).toBe(200);
  expect(answers.asset.status).toBe(200);
  expect(answers.missingAsset.status).toBe(404);
  expect(answers.savedReportPage.status).toBe(200);
  // The page (every route, /report/<id> too) names its own WebSocket origin in connect-src; the rest is the same.
  const pageHeaders = pageSecurityHeaders(new URL(app.baseURL).host);
  for (const [what, a] of Object.entries(answers)) {
    const expected = what === 'page' || what === 'savedReportPage' ? pageHeaders : SECURITY_HEADERS;
    for (const [name, value] of Object.entries(expected)) expect(a.headers[name], `${what}: ${name}`).toBe(value);
  }
  expect(answers.page.headers['content-security-policy']).toContain(`connect-src 'self' ws://${new URL(app.baseURL).host} wss://`);
  expect(answers.page.headers['content-security-policy']).not.toContain('unsafe-inline');
  expect(answers.page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
  await page.context().close();
});

test('landing page, "Check my network" and an unknown page raise no CSP violation in Chromium and Firefox', async ({ browser, firefox, app, csp }) => {
  const chrome = await chromiumPage(browser, csp);
  await chrome.goto(`${app.baseURL}/`);
  const r = await runNetworkCheck(chrome, 20_000);
  expect(r.state).toBe('done');
  await chrome.goto(`${app.baseURL}/no-such-page`);
  await expect(chrome.getByText('There is no page at /no-such-page')).toBeVisible();

  const ff = await firefoxPage(firefox, csp);
  await ff.goto(`${app.baseURL}/`);
  await ff.locator('[data-testid="check-network"]').click();
  await ff.waitForSelector('[data-testid="diagnosis-json"]', { timeout: 20_000 });
  const state = await ff.$eval('[data-testid="diagnosis-json"]', (el) => (JSON.parse(el.textContent ?? 'null') as { state: string }).state);
  expect(state).toBe('done');
  await ff.goto(`${app.baseURL}/no-such-page`);
  await ff.waitForSelector('::-p-text(There is no page at /no-such-page)');
  await chrome.context().close();
  await ff.browserContext().close();
});

test('a limit hit says what happened: a 429 from /api/ice-servers shows in the room page’s error list in plain words', async ({ browser, app, csp, room }) => {
  // The server's own limiter is not used here: tripping it would refuse credentials to every later test of this
  // worker (all browsers share one address). The answer is the server's 429 shape (signal/http/responses.ts).
  const page = await chromiumPage(browser, csp);
  await page.route('**/api/ice-servers', (r) =>
    r.fulfill({ status: 429, headers: { 'retry-after': '30', 'content-type': 'application/json' }, body: JSON.stringify({ code: 'rate-limited', error: 'too many TURN credential requests', retryAfter: 30 }) }),
  );
  await page.goto(`${app.baseURL}/r/${room.newRoomId()}`);
  await expect(page.getByTestId('errors')).toContainText('This server is handing out too many relay credentials to your network right now; try again in 30 s.');
  await page.context().close();
});

test('a Chromium ↔ Firefox room through its link measurement to the saved report, and /report/<id> in both: no CSP violation', async ({ browser, firefox, app, csp }) => {
  test.setTimeout(180_000);
  const chrome = await chromiumPage(browser, csp);
  await chrome.goto(`${app.baseURL}/`);
  await chrome.getByTestId('create-room').click();
  await expect(chrome).toHaveURL(/\/r\/[A-Za-z0-9_-]{22,}/);
  const ff = await firefoxPage(firefox, csp);
  await ff.goto(chrome.url());
  const readFf = async (): Promise<ConnectivityReport> => JSON.parse((await ff.$eval('[data-testid="report-json"]', (el) => el.textContent)) ?? 'null');

  await expect(chrome.getByTestId('peer-state')).toHaveText('connected', { timeout: 45_000 });
  // The whole test, charts included, until the page saves its report and shows the permalink.
  const permalink = chrome.getByTestId('permalink');
  await expect(permalink).toHaveValue(/\/report\/[A-Za-z0-9_-]+$/, { timeout: 120_000 });
  expect((await readReport(chrome)).quality?.status).toBe('done');
  await expect.poll(async () => (await readFf()).quality?.status ?? null, { timeout: 20_000, intervals: [1000] }).toBe('done');
  // The lazily loaded charts (recharts) are drawn on both pages: the part most likely to want inline styles.
  await expect(chrome.getByTestId('link-charts').locator('svg').first()).toBeVisible();
  await expect(chrome.getByTestId('rtt-chart').locator('svg').first()).toBeVisible();
  await ff.waitForSelector('[data-testid="link-charts"] svg', { timeout: 10_000 });
  const url = await permalink.inputValue();

  const saved = await chrome.context().newPage();
  const nav = await saved.goto(url);
  for (const [name, value] of Object.entries(pageSecurityHeaders(new URL(app.baseURL).host))) expect((await nav!.allHeaders())[name], `/report/<id>: ${name}`).toBe(value);
  await expect(saved.getByTestId('saved-report')).toBeVisible();
  await expect(saved.getByTestId('link-charts').locator('svg').first()).toBeVisible();
  // "Download JSON" (a blob: URL) is not something the policy blocks.
  const download = saved.waitForEvent('download');
  await saved.getByTestId('download-json').click();
  expect((await download).suggestedFilename()).toMatch(/^p2pcheck-.*\.json$/);
  const ffSaved = await ff.browserContext().newPage();
  await csp.firefox(ffSaved);
  await ffSaved.goto(url);
  await ffSaved.waitForSelector('[data-testid="saved-report"]', { timeout: 10_000 });
  await ffSaved.waitForSelector('[data-testid="link-charts"] svg', { timeout: 10_000 });
  // Whatever each page saw itself (a violation in the short gap before a binding was ready would be here).
  for (const p of [chrome, saved]) expect(await pageViolations(p)).toEqual([]);
  for (const p of [ff, ffSaved]) expect(await pageViolations(p)).toEqual([]);
  await chrome.context().close();
  await ff.browserContext().close();
});
