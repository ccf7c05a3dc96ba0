// Runs one pair of the matrix for real: a browser inside each host's namespace (Chromium; Firefox ESR on one
// side for the Firefox pairs) opens the same room on p2pcheck's server (by its public lab address) and we read
// each page's own report once its path settled.
import { randomBytes } from 'node:crypto';
import { chromium, type Browser, type Page } from '@playwright/test';
import type { Browser as PuppeteerBrowser, Page as PuppeteerPage } from 'puppeteer-core';
import type { ConnectivityReport } from '../../common/report';
import { CHROMIUM_ARGS } from '../support/chromium-flags';
import { launchFirefox } from '../support/firefox';
import { chromiumWrapper, clearRestrictedLists } from './lab-builder';
import { judgePair, predictionProblems, type PairVerdict } from './lab-expectations';
import type { LabHost, LabPair } from './lab-topology';

/** What the lab reads from a page, in either browser (Playwright drives Chromium, puppeteer-core Firefox). */
export interface LabPage {
  goto(url: string): Promise<void>;
  /** An attribute of the element with `data-testid`, or null when there is none (yet). */
  attr(testId: string, name: string): Promise<string | null>;
  /** The text of the element with `data-testid`, or null when there is none within `timeoutMs` (default 2 s). */
  text(testId: string, timeoutMs?: number): Promise<string | null>;
  click(testId: string): Promise<void>;
  bodyText(): Promise<string>;
}

export function chromiumLabPage(page: Page): LabPage {
  return {
    goto: async (url) => void (await page.goto(url, { timeout: 15_000 })),
    // Locators, not page.evaluate: tsx's transpiled helpers (__name) do not exist inside the page.
    attr: (id, name) => page.getByTestId(id).first().getAttribute(name, { timeout: 1000 }).catch(() => null),
    text: (id, timeoutMs = 2000) => page.getByTestId(id).first().textContent({ timeout: timeoutMs }).catch(() => null),
    click: (id) => page.getByTestId(id).click({ timeout: 10_000 }),
    bodyText: () => page.locator('body').innerText({ timeout: 2000 }),
  };
}

export function firefoxLabPage(page: PuppeteerPage): LabPage {
  const sel = (id: string) => `[data-testid="${id}"]`;
  return {
    goto: async (url) => void (await page.goto(url, { timeout: 15_000 })),
    attr: (id, name) => page.$eval(sel(id), (el, n) => el.getAttribute(n), name).catch(() => null),
    text: (id) => page.$eval(sel(id), (el) => el.textContent).catch(() => null),
    click: async (id) => {
      await page.waitForSelector(sel(id), { timeout: 10_000 });
      await page.click(sel(id));
    },
    bodyText: () => page.$eval('body', (el) => (el as HTMLElement).innerText),
  };
}

/** One Chromium per lab host, launched on first use, with one page kept across pairs: a pair ends by
 * navigating it to about:blank (which closes its connections), and the next pair loads its room in the same
 * page — with the page's code already compiled and cached, which a fresh context per pair repeated every time. */
export class LabBrowsers {
  private readonly browsers = new Map<string, Promise<Browser>>();
  private readonly pages = new Map<string, Promise<Page>>();
  private readonly firefoxes = new Map<string, Promise<PuppeteerBrowser>>();
  private readonly ffPages = new Map<string, Promise<PuppeteerPage>>();

  get(host: LabHost): Promise<Browser> {
    let b = this.browsers.get(host.name);
    if (!b) {
      // The lab's TURN-over-TLS certificate is self-signed (lab-server.ts): Chromium checks TURN certificates.
      b = chromium.launch({ executablePath: chromiumWrapper(host), args: [...CHROMIUM_ARGS, '--ignore-certificate-errors'], timeout: 30_000 });
      this.browsers.set(host.name, b);
    }
    return b;
  }

  /** `host`'s page. A phone-sized window: nobody looks at the lab's pages, and the (software) compositor's work
   * grows with the window's area. */
  page(host: LabHost): Promise<Page> {
    let p = this.pages.get(host.name);
    if (!p) {
      p = this.get(host).then(async (b) => (await b.newContext({ viewport: { width: 390, height: 700 } })).newPage());
      this.pages.set(host.name, p);
    }
    return p;
  }

  /** Firefox ESR inside `host` (puppeteer-core over WebDriver BiDi), launched on first use, one page kept. */
  firefoxPage(host: LabHost): Promise<PuppeteerPage> {
    let p = this.ffPages.get(host.name);
    if (!p) {
      let b = this.firefoxes.get(host.name);
      if (!b) {
        // The lab's TURN-over-TLS certificate is self-signed (lab-server.ts); its name is checked with openssl instead.
        b = launchFirefox(host.ns, { acceptInsecureCerts: true });
        this.firefoxes.set(host.name, b);
      }
      p = b.then(async (browser) => {
        const page = await browser.newPage();
        await page.setViewport({ width: 390, height: 700 });
        return page;
      });
      this.ffPages.set(host.name, p);
    }
    return p;
  }

  /** `host`'s page in the browser asked for. */
  async labPage(host: LabHost, browser: LabBrowserName): Promise<LabPage> {
    return browser === 'firefox' ? firefoxLabPage(await this.firefoxPage(host)) : chromiumLabPage(await this.page(host));
  }

  /** Done with `host`'s page: hang up by leaving the room; if even that fails, drop the page's context so the
   * next use starts from a fresh one. */
  async release(host: LabHost, browser: LabBrowserName = 'chromium'): Promise<void> {
    if (browser === 'firefox') {
      const page = await this.ffPages.get(host.name)?.catch(() => null);
      const left = await page?.goto('about:blank', { timeout: 10_000 }).then(() => true, () => false);
      if (!left) this.ffPages.delete(host.name);
      return;
    }
    const p = this.pages.get(host.name);
    if (!p) return;
    const page = await p.catch(() => null);
    const left = await page?.goto('about:blank', { timeout: 10_000 }).then(() => true, () => false);
    if (!left) {
      this.pages.delete(host.name);
      await page?.context().close().catch(() => undefined);
    }
  }

  /** Closes `host`'s Firefox (each is a few hundred MB; the host checks need one per host only once). */
  async closeFirefox(host: LabHost): Promise<void> {
    const b = this.firefoxes.get(host.name);
    this.firefoxes.delete(host.name);
    this.ffPages.delete(host.name);
    await (await b?.catch(() => null))?.close().catch(() => undefined);
  }

  async closeAll(): Promise<void> {
    const all = [...this.browsers.values()];
    const ff = [...this.firefoxes.values()];
    this.browsers.clear();
    this.pages.clear();
    this.firefoxes.clear();
    this.ffPages.clear();
    await Promise.all([
      ...all.map(async (p) => (await p.catch(() => null))?.close().catch(() => undefined)),
      ...ff.map(async (p) => (await p.catch(() => null))?.close().catch(() => undefined)),
    ]);
  }
}

export type LabBrowserName = 'chromium' | 'firefox';

export interface PairRun {
  verdict: PairVerdict;
  reports: { a: ConnectivityReport | null; b: ConnectivityReport | null };
  roomUrl: string;
  /** Wall time of the whole run, ms. */
  elapsedMs: number;
}

export function newRoomId(): string {
  return randomBytes(16).toString('base64url');
}

/** The page's own report (`<pre data-testid="report-json">`), or null when it is not there or not JSON. Read
 * once, when the page is done: tens of kilobytes, which on a loaded machine took longer than the 2 s of the
 * polling reads (the side's report was "missing" although its page showed it, 2026-12-01, load average 38). */
async function readReport(page: LabPage): Promise<ConnectivityReport | null> {
  const text = await page.text('report-json', 15_000);
  if (!text) return null;
  try {
    return JSON.parse(text) as ConnectivityReport;
  } catch {
    return null;
  }
}

async function pageText(page: LabPage): Promise<string> {
  const text = await page.bodyText().catch((e: Error) => `(unreadable: ${e.message.split('\n')[0]})`);
  return JSON.stringify(text.replace(/\s+/g, ' ').slice(0, 300));
}

const FINAL_STATES: ReadonlySet<ConnectivityReport['peerState']> = new Set(['failed', 'peer-left', 'disconnected']);

interface PageStatus {
  peerState: string | null;
  settled: boolean;
  /** The prediction panel's check ("agree", "disagree", …), "pending", or null when there is no panel. */
  check: string | null;
}

/** The status line's and prediction panel's data attributes: a few bytes per poll, where the raw report is tens
 * of kilobytes (reading that 8 times a second from every page cost more CPU than the pages themselves). */
async function pageStatus(page: LabPage): Promise<PageStatus | null> {
  const peerState = await page.attr('status-line', 'data-peer-state');
  if (peerState === null) return null;
  return { peerState, settled: (await page.attr('status-line', 'data-settled')) === 'yes', check: await page.attr('prediction', 'data-check') };
}

/** Polls both pages until both say settled (and, when asked, show their prediction check) or a side failed, or
 * the deadline passes; then reads both full reports. */
async function waitForBoth(pages: [LabPage, LabPage], timeoutMs: number, withPrediction: boolean): Promise<[ConnectivityReport | null, ConnectivityReport | null]> {
  const deadline = Date.now() + timeoutMs;
  const finished = (s: PageStatus | null) =>
    !!s && ((s.peerState === 'connected' && s.settled && (!withPrediction || (s.check !== null && s.check !== 'pending'))) || FINAL_STATES.has(s.peerState as ConnectivityReport['peerState']));
  while (Date.now() < deadline) {
    const statuses = await Promise.all(pages.map(pageStatus));
    if (statuses.every(finished)) break;
    await new Promise((r) => setTimeout(r, 400));
  }
  return [await readReport(pages[0]), await readReport(pages[1])];
}

export interface PairRunOptions {
  relayOnly: boolean;
  /** Also wait for, and judge, each page's predicted-vs-settled check (issue 5). */
  checkPrediction: boolean;
  timeoutMs?: number;
}

/** The room URL as `host` must load it (its own way to the page), for room `id`. The lab judges paths, not call
 *  quality: `call=off` keeps a dozen parallel pairs from encoding 720p video on two cores (e2e/call.spec.ts and
 *  the link-condition lab test the call). */
function roomUrlFor(host: LabHost, id: string, relayOnly: boolean): string {
  return `${host.pageUrl}/r/${id}?call=off${relayOnly ? '&relay=1' : ''}`;
}

export async function runPair(browsers: LabBrowsers, pair: LabPair, { relayOnly, checkPrediction, timeoutMs = 40_000 }: PairRunOptions): Promise<PairRun> {
  const started = Date.now();
  // The restricted-cone filter remembers addresses; start every pair from a clean list.
  clearRestrictedLists([pair.a, pair.b]);
  const id = newRoomId();
  const roomUrl = roomUrlFor(pair.a, id, relayOnly);
  const browserA: LabBrowserName = pair.firefox === 'a' ? 'firefox' : 'chromium';
  const browserB: LabBrowserName = pair.firefox === 'b' ? 'firefox' : 'chromium';
  try {
    const [pa, pb] = await Promise.all([browsers.labPage(pair.a, browserA), browsers.labPage(pair.b, browserB)]);
    // One after the other: the first to join is the offerer (the "-a" host, the rows of the table).
    await pa.goto(roomUrl);
    await pb.goto(roomUrlFor(pair.b, id, relayOnly));
    const [a, b] = await waitForBoth([pa, pb], timeoutMs, checkPrediction);
    const verdict = judgePair(pair, { a, b }, relayOnly);
    if (checkPrediction) {
      const off = predictionProblems(pair, { a, b });
      verdict.problems.push(...off);
      verdict.ok &&= off.length === 0;
      if (off.length > 0) verdict.observed += ' (prediction disagrees)';
    }
    // Without a report, what the person would see is the best clue.
    for (const [host, page, r] of [[pair.a, pa, a], [pair.b, pb, b]] as const) {
      if (!r) verdict.problems.push(`${host.name} page shows: ${await pageText(page)}`);
    }
    return { verdict, reports: { a, b }, roomUrl, elapsedMs: Date.now() - started };
  } catch (err) {
    const verdict = judgePair(pair, { a: null, b: null }, relayOnly);
    verdict.problems.unshift(`run error: ${(err as Error).message.split('\n')[0]}`);
    return { verdict: { ...verdict, ok: false }, reports: { a: null, b: null }, roomUrl, elapsedMs: Date.now() - started };
  } finally {
    await Promise.all([browsers.release(pair.a, browserA), browsers.release(pair.b, browserB)]);
    // A Firefox is a few hundred MB and each Firefox pair has a host of its own: do not keep it.
    if (browserA === 'firefox') await browsers.closeFirefox(pair.a);
    if (browserB === 'firefox') await browsers.closeFirefox(pair.b);
  }
}

/** `host`'s page at `path` on the lab server, the way that host reaches it (e.g. for a single-browser "check
 * my network" from every host). Call `browsers.release(host, browser)` when done. */
export async function openLabPage(browsers: LabBrowsers, host: LabHost, path = '/', browser: LabBrowserName = 'chromium', base = host.pageUrl): Promise<LabPage> {
  const page = await browsers.labPage(host, browser);
  await page.goto(`${base}${path}`);
  return page;
}
