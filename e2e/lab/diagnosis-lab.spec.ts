// "Check my network" behind every NAT of the lab (issue 5): the page's verdict for each host must equal what
// coturn's independent classifier (`turnutils_natdiscovery`, RFC 5780) reports from the same host, the
// UDP-blocked hosts must get their verdict within 5 s, and in a room the path predicted from both sides'
// verdicts must equal the path the connection settles on, for every pair of the matrix.
import { test, expect, type BrowserContext, type Page } from '@playwright/test';
import type { DiagnosisResult } from '../../common/nat/diagnosis-result';
import type { ConnectivityReport } from '../../common/report';
import type { AppProcess } from '../support/app-process';
import { acquireLabLock, labOptIn, clearRestrictedLists, labDown, labPreflight, labSmokeCheck, labUp } from './lab-builder';
import { classifyHost, describeDiscovery, startCoturn, type CoturnHandle, type HostClassification } from './lab-nat-discovery';
import { LabBrowsers, newRoomId, openLabPage } from './lab-pair-runner';
import { pageBuildProblem, startLabServer } from './lab-server';
import { LAB, labPairs, labServerUrl, type LabHost, type LabPair, type NatDiscoveryResult } from './lab-topology';

const skipReason = labOptIn() ?? labPreflight();
test.describe.configure({ mode: 'serial' });
test.skip(skipReason !== null, skipReason ?? '');

const ONLY = process.env.P2L_PAIRS || '';
const CONCURRENCY = Number(process.env.P2L_CONCURRENCY || 3);

let server: AppProcess | null = null;
let coturn: CoturnHandle | null = null;
let releaseLock: (() => void) | null = null;
const browsers = new LabBrowsers();

test.beforeAll(async () => {
  test.setTimeout(12 * 60_000); // may wait for another run's lab
  releaseLock = await acquireLabLock(10 * 60_000);
  labUp();
  expect(await labSmokeCheck(), 'lab smoke check').toEqual([]);
  const problem = pageBuildProblem();
  expect(problem, 'page build').toBeNull();
  server = await startLabServer();
  coturn = await startCoturn();
});

test.afterAll(async () => {
  test.setTimeout(60_000);
  try {
    await browsers.closeAll();
    await coturn?.stop();
    await server?.stop();
  } finally {
    try {
      if (releaseLock) labDown();
    } finally {
      releaseLock?.();
      releaseLock = null;
    }
  }
});

/** The page's words for what natdiscovery found. */
function expectedLabel(r: NatDiscoveryResult): string {
  if (r.udp === 'blocked') return 'UDP blocked (TCP relay only)';
  if (r.mapping === 'no-nat') return 'No NAT (public address)';
  if (r.mapping !== 'EIM') return 'Symmetric NAT';
  return { EIF: 'Full cone NAT', ADF: 'Restricted cone NAT', APDF: 'Port-restricted cone NAT' }[r.filtering];
}

async function checkFromHost(host: LabHost): Promise<{ result: DiagnosisResult; label: string; wallMs: number }> {
  const { page, context } = await openLabPage(browsers, host, '/');
  try {
    const started = Date.now();
    await page.getByTestId('check-network').click();
    await expect(page.getByTestId('diagnosis-json')).toBeAttached({ timeout: 20_000 });
    const wallMs = Date.now() - started;
    const result = JSON.parse((await page.getByTestId('diagnosis-json').textContent()) ?? 'null') as DiagnosisResult;
    const label = (await page.getByTestId('nat-type').textContent()) ?? '';
    return { result, label, wallMs };
  } finally {
    await context.close();
  }
}

test('every host: the page\u2019s verdict equals turnutils_natdiscovery\u2019s; UDP blocked is known within 5 s', async () => {
  test.setTimeout(8 * 60_000);
  const rows: string[] = ['| host | built as | natdiscovery (coturn) | page verdict | mapping | filtering | verdict after |', '|---|---|---|---|---|---|---|'];
  const queue = [...LAB.hosts];
  const failures: string[] = [];
  const worker = async () => {
    for (let host = queue.shift(); host; host = queue.shift()) {
      // natdiscovery first (filtering before mapping), then the page; the restricted filter is reset before
      // each, since the mapping tests contact the second address.
      clearRestrictedLists([host]);
      const nd: HostClassification = await classifyHost(host, { address: LAB.server.primary, port: coturn!.port });
      clearRestrictedLists([host]);
      const page = await checkFromHost(host);
      const v = page.result.verdict;
      const ndLabel = nd.result.udp === 'unknown' ? `unknown (${nd.result.detail})` : expectedLabel(nd.result);
      rows.push(`| ${host.name} | ${host.kind} | ${describeDiscovery(nd.result)} | ${page.label} | ${v?.mapping.behavior ?? '-'} | ${v?.filtering.behavior ?? '-'} | ${page.result.verdictMs} ms |`);
      if (!nd.matches) failures.push(`${host.name}: natdiscovery says ${describeDiscovery(nd.result)}, the lab was built as ${describeDiscovery(host.expectedDiscovery)}`);
      if (page.label !== ndLabel) failures.push(`${host.name}: page says "${page.label}", natdiscovery "${ndLabel}"`);
      if (nd.result.udp === 'ok' && nd.result.mapping !== 'no-nat' && v) {
        if (v.mapping.behavior !== nd.result.mapping) failures.push(`${host.name}: mapping ${v.mapping.behavior} vs natdiscovery ${nd.result.mapping}`);
        if (v.filtering.behavior !== nd.result.filtering) failures.push(`${host.name}: filtering ${v.filtering.behavior} vs natdiscovery ${nd.result.filtering}`);
      }
      // Within 5 s of the tests starting (once the page knows the server's endpoints), by our own deadline, not
      // Chromium's ~40 s STUN timeout; the wall-clock bound is looser because lab machines can be busy.
      const started = page.result.timeline.find((t) => t.step === 'servers known')?.at ?? 0;
      if (host.kind === 'udp-blocked' && !(page.result.verdictMs !== null && page.result.verdictMs - started < 5000 && page.wallMs < 15_000)) {
        failures.push(`${host.name}: UDP-blocked verdict after ${page.result.verdictMs} ms (page, ${started} ms of it fetching the server config) / ${page.wallMs} ms (wall), want < 5 s`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(3, CONCURRENCY) }, () => worker()));
  console.log(`[lab] check my network, per host:\n${rows.join('\n')}`);
  await test.info().attach('diagnosis-per-host.md', { body: rows.join('\n'), contentType: 'text/markdown' });
  expect(failures).toEqual([]);
});

interface PairOutcome {
  pair: LabPair;
  reports: [ConnectivityReport | null, ConnectivityReport | null];
  error?: string;
}

async function readReport(page: Page): Promise<ConnectivityReport | null> {
  const text = await page.getByTestId('report-json').textContent({ timeout: 2000 }).catch(() => null);
  try {
    return text ? (JSON.parse(text) as ConnectivityReport) : null;
  } catch {
    return null;
  }
}

const finished = (r: ConnectivityReport | null) =>
  !!r && ((r.path.settled && r.diagnosis?.prediction?.check != null) || r.peerState === 'failed' || r.peerState === 'peer-left');

async function runPairWithDiagnosis(pair: LabPair): Promise<PairOutcome> {
  try {
    return await runPairOnce(pair);
  } catch (err) {
    return { pair, reports: [null, null], error: (err as Error).message.split('\n')[0] };
  }
}

async function runPairOnce(pair: LabPair): Promise<PairOutcome> {
  clearRestrictedLists([pair.a, pair.b]);
  const url = `${labServerUrl()}/r/${newRoomId()}`;
  const contexts: BrowserContext[] = [];
  try {
    const pages: Page[] = [];
    for (const host of [pair.a, pair.b]) {
      const ctx = await (await browsers.get(host)).newContext();
      contexts.push(ctx);
      const p = await ctx.newPage();
      await p.goto(url, { timeout: 15_000 });
      pages.push(p);
    }
    const deadline = Date.now() + 45_000;
    let reports: [ConnectivityReport | null, ConnectivityReport | null] = [null, null];
    while (Date.now() < deadline) {
      reports = [await readReport(pages[0]!), await readReport(pages[1]!)];
      if (reports.every(finished)) break;
      await new Promise((r) => setTimeout(r, 300));
    }
    return { pair, reports };
  } finally {
    await Promise.all(contexts.map((c) => c.close().catch(() => undefined)));
  }
}

test('every pair: the path predicted from both verdicts equals the settled path', async () => {
  test.setTimeout(20 * 60_000);
  const pairs = labPairs().filter((p) => p.id.includes(ONLY));
  const queue = [...pairs];
  const outcomes: PairOutcome[] = [];
  const busy = new Set<string>();
  const worker = async () => {
    while (queue.length > 0) {
      // Never two pairs on one host at once (one Chromium per host, one NAT mapping table per router).
      const i = queue.findIndex((p) => !busy.has(p.a.name) && !busy.has(p.b.name));
      if (i < 0) {
        await new Promise((r) => setTimeout(r, 200));
        continue;
      }
      const [pair] = queue.splice(i, 1);
      busy.add(pair!.a.name).add(pair!.b.name);
      try {
        let out = await runPairWithDiagnosis(pair!);
        if (!out.reports.every((r) => r?.diagnosis?.prediction?.check === 'agree')) out = await runPairWithDiagnosis(pair!); // once more, as the matrix does
        outcomes.push(out);
        const [ra, rb] = out.reports;
        const brief = (r: ConnectivityReport | null) =>
          out.error ? `error: ${out.error}` : r ? `${r.peerState}/${r.path.kind}${r.path.settled ? '' : '(unsettled)'} local=${r.diagnosis?.local?.verdict?.kind ?? '-'} remote=${r.diagnosis?.remote?.verdict?.kind ?? '-'} check=${r.diagnosis?.prediction?.check ?? '-'}` : 'no report';
        console.log(`[lab] ${pair!.id}: a ${brief(ra)} | b ${brief(rb)}`);
      } finally {
        busy.delete(pair!.a.name);
        busy.delete(pair!.b.name);
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, () => worker()));
  const rows = ['| pair | verdicts | predicted | settled (a / b) | check |', '|---|---|---|---|---|'];
  const failures: string[] = [];
  for (const { pair, reports, error } of outcomes.sort((x, y) => pairs.indexOf(x.pair) - pairs.indexOf(y.pair))) {
    const [a, b] = reports;
    const pa = a?.diagnosis?.prediction;
    const pb = b?.diagnosis?.prediction;
    const verdicts = `${a?.diagnosis?.local?.verdict?.label ?? '?'} / ${b?.diagnosis?.local?.verdict?.label ?? '?'}`;
    rows.push(`| ${pair.id} | ${verdicts} | ${pa?.predictedLabel ?? '-'} | ${a?.path.label ?? '-'} / ${b?.path.label ?? '-'} | ${pa?.check ?? '-'} / ${pb?.check ?? '-'} |`);
    for (const [who, p] of [['a', pa], ['b', pb]] as const) {
      if (p?.check !== 'agree') failures.push(`${pair.id} (${who}): ${p ? `predicted ${p.prediction.path}, settled ${p.actual ?? 'not'}: ${p.check}` : 'no prediction in the report'}${error ? ` (${error})` : ''}`);
    }
  }
  console.log(`[lab] prediction vs settled path:\n${rows.join('\n')}`);
  await test.info().attach('prediction-per-pair.md', { body: rows.join('\n'), contentType: 'text/markdown' });
  expect(outcomes.length).toBe(pairs.length);
  expect(failures).toEqual([]);
});
