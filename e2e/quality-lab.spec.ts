// The link-condition lab (issue 15, docs/call-test.md): two Chromiums, each in its own namespace, call each other
// through the bundled TURN server with real link conditions between them (tbf rate caps, iptables random loss,
// a delaying forwarder for delay and jitter). Each row checks what the link test and the call measured against
// what was set, and their verdicts against the ones the documented thresholds give. `npm test` runs the quick
// rows (LAB_ROWS' `quick`); `npm run lab:quality` runs all of them and writes the table into the docs.
import { appendFileSync } from 'node:fs';
import { expect, test, type Browser, type Page } from '@playwright/test';
import type { ConnectivityReport } from '../common/report';
import { startAppProcess, type AppProcess } from './support/app-process';
import { launchChromium } from './support/chromium';
import { canUseNetns } from './support/netns';
import { readPageReport } from './support/page-readers';
import { figureFailures, LAB_ROWS, measurementOf, starvation, verdictFailures, viaRelay } from './quality-lab-conditions';
import { createQualityLabNet, removeStaleLabs, type QualityLabNet } from './quality-lab-net';

// P2Q_ROWS: unset = the quick rows (npm test: '300 kbit/s cap' only, 1.1-1.6 min at load 4-44 with the lab's
// setup; 'clean' is out: one run in four still read SD one way, docs/call-test.md), 'all', or row names separated
// by commas.
const WANT = process.env.P2Q_ROWS;
const ROWS = WANT === 'all' ? LAB_ROWS : WANT ? LAB_ROWS.filter((r) => WANT.split(',').includes(r.name)) : LAB_ROWS.filter((r) => r.quick);
const RESULTS = process.env.P2Q_RESULTS;

// Not serial: a row that fails must not stop the rows after it (the full grid reports every row). After a failure
// Playwright starts a fresh worker, so beforeAll builds the lab again; each row appends its figures to P2Q_RESULTS
// at once, so none is lost with the worker.

let net: QualityLabNet | null = null;
let app: AppProcess | null = null;
const browsers: Browser[] = [];

test.beforeAll(async () => {
  test.setTimeout(120_000);
  const can = canUseNetns();
  test.skip(!can.ok, `the link-condition lab needs root and iproute2 (${can.ok ? '' : can.reason})`);
  removeStaleLabs();
  net = createQualityLabNet();
  // Up to 50 s, as the shared fixtures allow: tsx compiles the server at each start, slow on busy cores.
  app = await startAppProcess({ ns: net.server, host: net.clients[0].serverAddress, env: { TURN_RELAY_IP: net.relayIp }, startTimeoutMs: 50_000 });
  for (const c of net.clients) browsers.push(await launchChromium(c.ns));
});

test.afterAll(async () => {
  for (const b of browsers.splice(0)) await b.close().catch(() => {});
  await app?.stop();
  await net?.remove();
});

async function report(page: Page): Promise<ConnectivityReport | null> {
  return readPageReport(page, 5000);
}

for (const row of ROWS) {
  test(`link-condition lab: ${row.name}`, async () => {
    test.setTimeout(150_000);
    await net!.apply(row.condition);
    const contexts = await Promise.all(browsers.map((b) => b.newContext()));
    try {
      const roomId = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64url');
      const pages = await Promise.all(contexts.map((c) => c.newPage()));
      const errors: string[] = [];
      for (const p of pages) p.on('pageerror', (e) => errors.push(String(e)));
      await Promise.all(pages.map((p, i) => p.goto(`http://${net!.clients[i]!.serverAddress}:8080/r/${roomId}?${viaRelay(row.condition) ? 'relay=1&' : ''}call=auto`)));
      for (const p of pages) await expect.poll(async () => (await report(p))?.call?.status ?? null, { timeout: 120_000, intervals: [1000] }).not.toBeNull();
      const r = (await report(pages[0]!))!;
      const local = r.selectedPair?.local;
      const m = measurementOf(row.name, r.quality, r.call, local ? `${local.type}-${local.relayProtocol ?? local.protocol}` : null);
      if (RESULTS) appendFileSync(RESULTS, `${JSON.stringify(m)}\n`);
      console.log(`quality lab ${row.name}: ${JSON.stringify(m)}`);
      expect(errors).toEqual([]);
      if (r.call?.status !== 'done') {
        // Both sides' view, for the cause: when each step began (ms since each page's start; clocks differ).
        for (const [i, p] of pages.entries()) {
          const x = await report(p);
          console.log(`quality lab ${row.name}: page ${i} link ${x?.quality?.status} ${x?.quality?.startedAt}–${x?.quality?.finishedAt} ms, call ${x?.call?.status} from ${x?.call?.startedAt} ms: ${x?.call?.reason}`);
        }
      }
      expect(r.call?.status, r.call?.reason ?? '').toBe('done');
      const starved = starvation(m, row);
      expect.soft(figureFailures(row, m, starved), `${row.name}: measured vs set`).toEqual([]);
      if (starved) {
        // Reported, not hidden: below the expectation is this computer, not the link (quality-lab-conditions.ts);
        // above it is still wrong.
        test.info().annotations.push({ type: 'judged from above only', description: `${row.name}: ${starved}` });
        console.log(`quality lab ${row.name}: verdicts judged from above only — ${starved}`);
      }
      expect.soft(verdictFailures(row, m, starved !== null), `${row.name}: verdicts (${row.why})`).toEqual([]);
      // What a user reads on the page is the same verdict.
      await expect(pages[0]!.getByTestId('call-in-verdict')).toHaveText(r.call!.incoming!.verdict.label);
    } finally {
      for (const c of contexts) await c.close();
      await net!.clear();
    }
  });
}
