// Lobby benchmark: eight Chromium pages (contexts of one browser) in one lobby, on the
// test namespace's address when running as root (loopback otherwise). Prints
//   - the time from the 8th page's navigation to all 28 links settled on every page (settleMs), and from its join
//     message leaving the page (settleFromJoinMs: the issue's figure, target ≤ 5 s),
//   - the signaling messages the 8th join caused (frames sent and received by all pages in that window, and by the
//     8th page alone),
//   - renderer CPU per page in the settled lobby over a window: /proc utime+stime of every renderer process (all of
//     its threads: WebRTC's network and worker threads too), and the main thread's busy time from CDP
//     Performance.getMetrics (TaskDuration).
// Usage: npx tsx scripts/bench-lobby.ts [--pages 8] [--window 10] [--runs 1] [--limit 90]   (build first: STATIC_DIR or
// dist/; --limit: seconds a settle may take before the run gives up)
import { readdirSync, readFileSync } from 'node:fs';
import type { Browser, CDPSession, Page } from '@playwright/test';
import { cpuSeconds } from '../bench/proc-stats';
import { startAppProcess } from '../e2e/support/app-process';
import { launchChromium } from '../e2e/support/chromium';
import { canUseNetns, createTestHost } from '../e2e/support/netns';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} must be a positive number`);
  return v;
};
const PAGES = arg('pages', 8);
const WINDOW_S = arg('window', 10);
const RUNS = arg('runs', 1);
const LINKS = (PAGES * (PAGES - 1)) / 2;
const SETTLE_LIMIT_MS = arg('limit', 90) * 1000;

const newRoomId = () => Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64url');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Counted {
  page: Page;
  frames: { sent: number; received: number };
  /** Messages this page sent, by type (peer-info split into link broadcasts and the rest). */
  sentByType: Record<string, number>;
  /** performance.now() when the page sent its join to the relay (null: not yet). */
  joinSentAt: number | null;
}

function messageType(payload: string | Buffer): string {
  try {
    const m = JSON.parse(String(payload)) as { type?: string; info?: Record<string, unknown> };
    if (m.type === 'peer-info') return m.info && 'links' in m.info && !('name' in m.info) ? 'peer-info(links)' : 'peer-info(other)';
    return m.type ?? '?';
  } catch {
    return '?';
  }
}

async function openCounted(browser: Browser, url: string): Promise<Counted> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const c: Counted = { page, frames: { sent: 0, received: 0 }, sentByType: {}, joinSentAt: null };
  page.on('websocket', (ws) => {
    ws.on('framesent', (f) => {
      c.frames.sent++;
      const t = messageType(f.payload);
      c.sentByType[t] = (c.sentByType[t] ?? 0) + 1;
      if (t === 'join') c.joinSentAt ??= performance.now();
    });
    ws.on('framereceived', () => void c.frames.received++);
  });
  await page.goto(url);
  return c;
}

const settledOn = (page: Page) => page.getByTestId('lobby-status').getAttribute('data-settled', { timeout: 2000 }).catch(() => null);

async function waitAllSettled(pages: Counted[], links: number): Promise<void> {
  const deadline = Date.now() + SETTLE_LIMIT_MS;
  while (Date.now() < deadline) {
    const values = await Promise.all(pages.map((p) => settledOn(p.page)));
    if (values.every((v) => v === String(links))) return;
    await sleep(100);
  }
  throw new Error(`the lobby did not settle ${links} links within ${SETTLE_LIMIT_MS / 1000} s`);
}

/** Milestones of the last join, s since t0 (null: not reached): the newcomer's own links connected and settled
 * (its "Your links" rows: state, then a path once settled), its NAT check done, and every page at all links. */
interface JoinTrace {
  firstConnected: number | null;
  allConnected: number | null;
  firstSettled: number | null;
  allSettledHere: number | null;
  natChecked: number | null;
  allPagesSettled: number | null;
}

async function waitTraced(pages: Counted[], last: Page, t0: number): Promise<JoinTrace> {
  const trace: JoinTrace = { firstConnected: null, allConnected: null, firstSettled: null, allSettledHere: null, natChecked: null, allPagesSettled: null };
  const at = () => Math.round(performance.now() - t0) / 1000;
  const deadline = Date.now() + SETTLE_LIMIT_MS;
  while (Date.now() < deadline) {
    const rows = await last.locator('[data-testid^="lobby-link-"][data-state]').evaluateAll((els) => els.map((e) => [e.getAttribute('data-state'), e.getAttribute('data-path')])).catch(() => []);
    const connected = rows.filter(([st]) => st === 'connected');
    const settled = connected.filter(([, path]) => !!path);
    if (connected.length > 0) trace.firstConnected ??= at();
    if (rows.length === PAGES - 1 && connected.length === rows.length) trace.allConnected ??= at();
    if (settled.length > 0) trace.firstSettled ??= at();
    if (rows.length === PAGES - 1 && settled.length === rows.length) trace.allSettledHere ??= at();
    if (trace.natChecked === null && (await last.locator('th.self[data-testid^="lobby-row-"]').getAttribute('data-nat', { timeout: 500 }).catch(() => 'unknown')) !== 'unknown') trace.natChecked = at();
    const values = await Promise.all(pages.map((p) => settledOn(p.page)));
    if (values.every((v) => v === String(LINKS))) {
      trace.allPagesSettled = at();
      return trace;
    }
    await sleep(100);
  }
  throw new Error(`the lobby did not settle ${LINKS} links within ${SETTLE_LIMIT_MS / 1000} s: ${JSON.stringify(trace)}`);
}

/** Renderer processes of this script's own Chromium (--type=renderer descendants of this process), by pid: the
 *  machine is shared, and other sessions' browsers must not count. */
function rendererPids(): number[] {
  const parent = new Map<number, number>();
  const renderers: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      parent.set(Number(d), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
      const cmd = readFileSync(`/proc/${d}/cmdline`, 'utf8');
      if (cmd.includes('--type=renderer') && cmd.includes('chromium')) renderers.push(Number(d));
    } catch {
      // gone
    }
  }
  const ours = (pid: number) => {
    for (let p = pid, hops = 0; p > 1 && hops < 64; p = parent.get(p) ?? 0, hops++) if (p === process.pid) return true;
    return false;
  };
  return renderers.filter(ours);
}

async function taskSeconds(cdp: CDPSession): Promise<number> {
  const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
  return metrics.find((m) => m.name === 'TaskDuration')?.value ?? 0;
}

async function run(browser: Browser, baseURL: string): Promise<Record<string, number>> {
  const url = `${baseURL}/lobby/${newRoomId()}`;
  const pages: Counted[] = [];
  for (let i = 0; i < PAGES - 1; i++) pages.push(await openCounted(browser, url));
  await waitAllSettled(pages, ((PAGES - 1) * (PAGES - 2)) / 2);
  await sleep(2000); // let the first pages' broadcasts go quiet
  const before = pages.map((p) => ({ ...p.frames }));
  const typesBefore = pages.map((p) => ({ ...p.sentByType }));
  const t0 = performance.now();
  const last = await openCounted(browser, url);
  pages.push(last);
  const trace = await waitTraced(pages, last.page, t0);
  const settleMs = performance.now() - t0;
  // The issue's figure counts from the 8th peer joining: the join message leaving its page (page load before it).
  const joinedAt = last.joinSentAt === null ? null : Math.round(last.joinSentAt - t0) / 1000;
  const settleFromJoinMs = last.joinSentAt === null ? null : Math.round(t0 + settleMs - last.joinSentAt);
  console.log(`  where the time went (s after the ${PAGES}th page's navigation): ${JSON.stringify({ joined: joinedAt, ...trace })}`);
  const joinFrames = pages.reduce((n, p, i) => n + p.frames.sent + p.frames.received - (before[i] ? before[i]!.sent + before[i]!.received : 0), 0);
  const lastFrames = last.frames.sent + last.frames.received;
  const joinSentByType: Record<string, number> = {};
  pages.forEach((p, i) => {
    for (const [t, n] of Object.entries(p.sentByType)) joinSentByType[t] = (joinSentByType[t] ?? 0) + n - (typesBefore[i]?.[t] ?? 0);
  });

  // Settled: CPU over a window, per renderer process and per page's main thread.
  await sleep(2000);
  const cdps = await Promise.all(pages.map((p) => p.page.context().newCDPSession(p.page)));
  await Promise.all(cdps.map((c) => c.send('Performance.enable')));
  const pids = rendererPids();
  const cpu0 = await Promise.all(pids.map((pid) => cpuSeconds(pid).catch(() => 0)));
  const task0 = await Promise.all(cdps.map(taskSeconds));
  const w0 = performance.now();
  const framesBefore = pages.reduce((n, p) => n + p.frames.sent + p.frames.received, 0);
  const sentBefore = pages.reduce((n, p) => n + p.frames.sent, 0);
  await sleep(WINDOW_S * 1000);
  const wall = (performance.now() - w0) / 1000;
  const cpu1 = await Promise.all(pids.map((pid) => cpuSeconds(pid).catch(() => 0)));
  const task1 = await Promise.all(cdps.map(taskSeconds));
  const framesSettled = pages.reduce((n, p) => n + p.frames.sent + p.frames.received, 0) - framesBefore;
  const sentSettled = pages.reduce((n, p) => n + p.frames.sent, 0) - sentBefore;
  const perRenderer = pids.map((_, i) => (cpu1[i]! - cpu0[i]!) / wall).filter((x) => x > 0.001);
  const perPageMain = cdps.map((_, i) => (task1[i]! - task0[i]!) / wall);
  for (const p of pages) await p.page.context().close();
  const max = (xs: number[]) => Math.max(...xs);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  console.log(`  messages sent to the relay while the ${PAGES}th joined and settled, by type: ${JSON.stringify(joinSentByType)}`);
  return {
    settleMs: Math.round(settleMs),
    settleFromJoinMs: settleFromJoinMs ?? -1,
    joinFramesAllPages: joinFrames,
    joinFramesEighthPage: lastFrames,
    renderers: perRenderer.length,
    rendererCpuMeanPct: Math.round(mean(perRenderer) * 1000) / 10,
    rendererCpuMaxPct: Math.round(max(perRenderer) * 1000) / 10,
    mainThreadMeanPct: Math.round(mean(perPageMain) * 1000) / 10,
    mainThreadMaxPct: Math.round(max(perPageMain) * 1000) / 10,
    settledFramesPerSecondAllPages: Math.round((framesSettled / wall) * 10) / 10,
    settledSentPerSecondAllPages: Math.round((sentSettled / wall) * 10) / 10,
  };
}

async function main(): Promise<void> {
  const netns = canUseNetns();
  const host = netns.ok ? createTestHost(`bench-lobby-${process.pid}`, 230) : null;
  const app = await startAppProcess({ ns: host?.ns, host: host?.address ?? '127.0.0.1' });
  let browser: Browser | null = null;
  try {
    browser = await launchChromium(host?.ns);
    console.log(`lobby benchmark: ${PAGES} pages, ${LINKS} links, ${host ? `namespace ${host.ns}` : 'loopback'}, CPU window ${WINDOW_S} s, load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
    for (let i = 0; i < RUNS; i++) console.log(JSON.stringify(await run(browser, app.baseURL)));
  } finally {
    await browser?.close();
    await app.stop();
    host?.remove();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
