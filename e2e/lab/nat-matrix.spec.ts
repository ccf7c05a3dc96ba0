// The NAT lab matrix (issue 4): real NATs of every kind in network namespaces, Chromium behind each, and
// p2pcheck's own report read from both pages of every pair. Root + iproute2 + iptables only; skipped with
// a one-line reason otherwise. `npm run lab` runs this file and writes docs/lab-matrix.md.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect, type TestInfo } from '@playwright/test';
import type { AppProcess } from '../support/app-process';
import { acquireLabLock, labOptIn, labDown, labPreflight, labSmokeCheck, labUp } from './lab-builder';
import { renderClassification, renderExpectations, renderMatrix, runMatrix, type MatrixCell } from './lab-matrix';
import { classifyLab, describeDiscovery, startCoturn, type HostClassification } from './lab-nat-discovery';
import { LabBrowsers } from './lab-pair-runner';
import { pageBuildProblem, startLabServer } from './lab-server';
import { LAB, labPairs } from './lab-topology';

const skipReason = labOptIn() ?? labPreflight();
const CONCURRENCY = Number(process.env.P2L_CONCURRENCY || 2); // 2 cores: two pairs = four Chromiums
/** Optional comma-separated substrings of pair ids ("symmetric,lan-"), for working on one corner. */
const ONLY = process.env.P2L_PAIRS || '';
const pairs = labPairs().filter((p) => !ONLY || ONLY.split(',').some((s) => p.id.includes(s.trim())));

// Default mode, not serial: a failing normal matrix must not stop the forced-relay one (Playwright then
// restarts the worker, and beforeAll rebuilds the lab). Sections of the doc go to files for that reason.
test.describe.configure({ mode: 'default' });
test.skip(skipReason !== null, skipReason ?? '');

// Per Playwright run (the runner is our parent; a failed test restarts the worker, not the runner). Not in
// test-results/: a concurrent Playwright run elsewhere in the tree would wipe it.
const SECTION_DIR = join(tmpdir(), `p2pcheck-lab-sections-${process.ppid}`);
type Section = 'classification' | 'normal' | 'relay';
function saveSection(name: Section, text: string): void {
  mkdirSync(SECTION_DIR, { recursive: true });
  writeFileSync(`${SECTION_DIR}/${name}.md`, text);
}
function section(name: Section): string | undefined {
  const path = `${SECTION_DIR}/${name}.md`;
  return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
}
let server: AppProcess | null = null;
let serverProblem: string | null = null;
let releaseLock: (() => void) | null = null;
const browsers = new LabBrowsers();

test.beforeAll(async () => {
  test.setTimeout(12 * 60_000); // may wait for another run's lab (npm test and npm run lab at once)
  releaseLock = await acquireLabLock(10 * 60_000);
  labUp(); // removes leftovers of a crashed run first
  const problems = await labSmokeCheck();
  expect(problems, 'lab smoke check').toEqual([]);
  serverProblem = pageBuildProblem();
  if (!serverProblem) {
    try {
      server = await startLabServer();
    } catch (err) {
      serverProblem = `p2pcheck did not start in the lab: ${(err as Error).message.slice(0, 2000)}`;
    }
  }
});

test.afterAll(async () => {
  test.setTimeout(60_000);
  try {
    await browsers.closeAll();
    await server?.stop();
  } finally {
    try {
      if (releaseLock) labDown();
      writeDoc();
    } finally {
      releaseLock?.();
      releaseLock = null;
    }
  }
});

async function attachCells(testInfo: TestInfo, cells: MatrixCell[]): Promise<void> {
  for (const cell of cells.filter((c) => c.status !== 'pass')) {
    for (const [i, run] of cell.runs.entries()) {
      const name = `${cell.status}-${cell.pair.a.name}-${cell.pair.b.name}${cell.relayOnly ? '-relay' : ''}-run${i + 1}.json`;
      const path = testInfo.outputPath(name);
      writeFileSync(path, JSON.stringify({ roomUrl: run.roomUrl, problems: run.verdict.problems, reportA: run.reports.a, reportB: run.reports.b }, null, 2));
      await testInfo.attach(name, { path, contentType: 'application/json' });
    }
  }
}

test('the classifier confirms every router\'s NAT kind', async () => {
  test.setTimeout(180_000);
  let results: HostClassification[] = [];
  let used = 'coturn';
  if (server) {
    // Our own server, when its RFC 5780 answers agree with the lab as built; coturn otherwise.
    const ours = await classifyLab({ address: LAB.server.primary, port: LAB.server.turnPort });
    if (ours.every((r) => r.matches)) {
      results = ours;
      used = 'p2pcheck';
    } else {
      const off = ours.filter((r) => !r.matches).map((r) => `${r.host.name}: ${describeDiscovery(r.result)}`);
      test.info().annotations.push({ type: 'p2pcheck RFC 5780', description: `disagrees with the lab, using coturn: ${off.join('; ')}` });
      console.log(`[lab] p2pcheck's RFC 5780 answers disagree with the lab (${off.join('; ')}); classifying with coturn`);
    }
  }
  if (used === 'coturn') {
    const coturn = await startCoturn();
    try {
      results = await classifyLab({ address: LAB.server.primary, port: coturn.port });
    } finally {
      await coturn.stop();
    }
  }
  const table = renderClassification(results, used === 'p2pcheck' ? "p2pcheck's own server" : "coturn's turnserver");
  saveSection('classification', table);
  console.log(`[lab] classifier: ${used}\n${table}`);
  for (const r of results) {
    expect.soft(describeDiscovery(r.result), `${r.host.name} (${r.host.kind}) classified by ${used}`).toBe(describeDiscovery(r.host.expectedDiscovery));
  }
});

// Forced relay first: a failed test restarts the worker (and the lab), and another lab spec may take the lab
// in between; the normal matrix, the one where Chromium's ICE can be flaky, goes last.
for (const relayOnly of [true, false]) {
  test(`every pair meets its expected path${relayOnly ? ' with ?relay=1 (always relayed)' : ''}`, async ({}, testInfo) => {
    test.setTimeout(600_000);
    expect(serverProblem, 'p2pcheck server in the lab').toBeNull();
    const cells = await runMatrix(browsers, pairs, relayOnly, {
      concurrency: CONCURRENCY,
      onCell: (c) => console.log(`[lab] ${c.status.padEnd(5)} ${c.pair.id}${relayOnly ? ' relay=1' : ''}: ${c.runs.map((r) => `${r.verdict.observed} ${r.verdict.connectMs ?? '-'} ms (run ${Math.round(r.elapsedMs / 1000)} s)`).join(' | ')}`),
    });
    const table = renderMatrix(cells, relayOnly ? 'Forced relay (`?relay=1`)' : 'Normal (ICE chooses)');
    saveSection(relayOnly ? 'relay' : 'normal', table);
    console.log(table);
    await attachCells(testInfo, cells);
    expect(cells.length).toBe(pairs.length);
    for (const cell of cells) {
      const problems = cell.runs.map((r, i) => `run ${i + 1}: ${r.verdict.problems.join('; ') || 'ok'}`).join(' — ');
      expect.soft(cell.status, `${cell.pair.id}${relayOnly ? ' relay=1' : ''} (expected ${cell.pair.expected}): ${problems}`).not.toBe('fail');
    }
  });
}

function writeDoc(): void {
  const sections = { normal: section('normal'), relay: section('relay'), classification: section('classification') };
  if (!sections.normal && !sections.relay && !sections.classification) return;
  const doc = [
    '# NAT lab matrix',
    '',
    `Produced by \`npm run lab\` on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC (see [nat-lab.md](nat-lab.md) for the lab).`,
    'Each cell: the settled path p2pcheck\'s own report shows (both sides agree unless shown as "a / b") and the',
    'connect time (later of the two sides, ms after the second peer joined). Rows are the "-a" host of each kind,',
    'columns the "-b" host (two different routers).',
    ONLY ? `\nOnly pairs matching "${ONLY}" were run.` : '',
    '',
    sections.normal ?? '_normal matrix not run_',
    '',
    sections.relay ?? '_forced-relay matrix not run_',
    '',
    renderExpectations(pairs),
    '',
    sections.classification ?? '_classifier not run_',
    '',
  ].join('\n');
  mkdirSync('test-results', { recursive: true });
  writeFileSync('test-results/lab-matrix.md', doc);
  if (process.env.P2L_WRITE_DOCS === '1') writeFileSync('docs/lab-matrix.md', doc);
}
