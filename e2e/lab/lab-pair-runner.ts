// Runs one pair of the matrix for real: a Chromium inside each host's namespace opens the same room on
// p2pcheck's server (by its public lab address) and we read each page's own report once its path settled.
import { randomBytes } from 'node:crypto';
import { chromium, type Browser, type Page } from '@playwright/test';
import type { ConnectivityReport } from '../../common/report';
import { CHROMIUM_ARGS } from '../support/chromium-flags';
import { readPageReport } from '../support/page-readers';
import { chromiumWrapper, clearRestrictedLists } from './lab-builder';
import { judgePair, predictionProblems, type PairVerdict } from './lab-expectations';
import { labServerUrl, type LabHost, type LabPair } from './lab-topology';

/** One Chromium per lab host, launched on first use, with one page kept across pairs: a pair ends by
 * navigating it to about:blank (which closes its connections), and the next pair loads its room in the same
 * page — with the page's code already compiled and cached, which a fresh context per pair repeated every time. */
export class LabBrowsers {
  private readonly browsers = new Map<string, Promise<Browser>>();
  private readonly pages = new Map<string, Promise<Page>>();

  get(host: LabHost): Promise<Browser> {
    let b = this.browsers.get(host.name);
    if (!b) {
      b = chromium.launch({ executablePath: chromiumWrapper(host), args: CHROMIUM_ARGS, timeout: 30_000 });
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

  /** Done with `host`'s page: hang up by leaving the room; if even that fails, drop the page's context so the
   * next use starts from a fresh one. */
  async release(host: LabHost): Promise<void> {
    const p = this.pages.get(host.name);
    if (!p) return;
    const page = await p.catch(() => null);
    const left = await page?.goto('about:blank', { timeout: 10_000 }).then(() => true, () => false);
    if (!left) {
      this.pages.delete(host.name);
      await page?.context().close().catch(() => undefined);
    }
  }

  async closeAll(): Promise<void> {
    const all = [...this.browsers.values()];
    this.browsers.clear();
    this.pages.clear();
    await Promise.all(all.map(async (p) => (await p.catch(() => null))?.close().catch(() => undefined)));
  }
}

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

const readReport = (page: Page) => readPageReport(page, 2000);

async function pageText(page: Page): Promise<string> {
  const text = await page.locator('body').innerText({ timeout: 2000 }).catch((e: Error) => `(unreadable: ${e.message.split('\n')[0]})`);
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
async function pageStatus(page: Page): Promise<PageStatus | null> {
  // Locators, not page.evaluate: tsx's transpiled helpers (__name) do not exist inside the page.
  const attr = (testId: string, name: string) => page.getByTestId(testId).getAttribute(name, { timeout: 1000 }).catch(() => null);
  const peerState = await attr('status-line', 'data-peer-state');
  if (peerState === null) return null;
  return { peerState, settled: (await attr('status-line', 'data-settled')) === 'yes', check: await attr('prediction', 'data-check') };
}

/** Polls both pages until both say settled (and, when asked, show their prediction check) or a side failed, or
 * the deadline passes; then reads both full reports. */
async function waitForBoth(pages: [Page, Page], timeoutMs: number, withPrediction: boolean): Promise<[ConnectivityReport | null, ConnectivityReport | null]> {
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

export async function runPair(browsers: LabBrowsers, pair: LabPair, { relayOnly, checkPrediction, timeoutMs = 40_000 }: PairRunOptions): Promise<PairRun> {
  const started = Date.now();
  // The restricted-cone filter remembers addresses; start every pair from a clean list.
  clearRestrictedLists([pair.a, pair.b]);
  const roomUrl = `${labServerUrl()}/r/${newRoomId()}${relayOnly ? '?relay=1' : ''}`;
  try {
    const [pa, pb] = await Promise.all([browsers.page(pair.a), browsers.page(pair.b)]);
    // One after the other: the first to join is the offerer (the "-a" host, the rows of the table).
    await pa.goto(roomUrl, { timeout: 15_000 });
    await pb.goto(roomUrl, { timeout: 15_000 });
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
    await Promise.all([browsers.release(pair.a), browsers.release(pair.b)]);
  }
}

/** `host`'s page at `path` on the lab server (e.g. for a single-browser "check my network" from every host).
 * Call `browsers.release(host)` when done. */
export async function openLabPage(browsers: LabBrowsers, host: LabHost, path = '/'): Promise<Page> {
  const page = await browsers.page(host);
  await page.goto(`${labServerUrl()}${path}`, { timeout: 15_000 });
  return page;
}
