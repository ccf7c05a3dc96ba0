// The NAT lab's lobby (issue 13): one lobby with a Chromium peer behind each NAT kind of the lab — no NAT, full
// cone, restricted cone, port-restricted cone, symmetric, UDP blocked — 6 peers, 15 links. What each page shows
// is judged against the NATs as built: every cell's settled path is the one expectedPath() derives from the two
// NAT kinds (the pair matrix's rule, nat-lab.spec.ts), every row names the NAT the lab built, no cell contradicts
// its prediction, the summary says who cannot reach whom directly (naming both NAT types), and the host choice
// is one of the peers with the most direct links. One Chromium per host (a browser runs in one network namespace),
// one page each, one lobby: lean enough for `npm test`.
// The lab is shared with nat-lab.spec.ts: the lab project runs with one worker, so the two files' beforeAll/afterAll
// (build, tear down, lock) never overlap; the lock (acquireLabLock) also keeps other runs out.
// P2L_LOBBY_SCREENSHOT=<file.png> saves the first page's answers and matrix (the README's lab lobby picture).
import { test, expect, type Page } from '@playwright/test';
import { NAT_KIND_LABELS, type NatKind as PageNatKind } from '../../common/nat/nat-verdict';
import { natPhraseOf } from '../../web/lobby/lobby-matrix';
import type { AppProcess } from '../support/app-process';
import { acquireLabLock, clearRestrictedLists, labDown, labSkipReason, labSmokeCheck, labUp } from './lab-builder';
import { expectedLabel } from './lab-expectations';
import { LabBrowsers, newRoomId } from './lab-pair-runner';
import { pageBuildProblem, startLabServer } from './lab-server';
import { NAT_KINDS, expectedPath, labHost, type ExpectedPath, type LabHost } from './lab-topology';

const skipReason = labSkipReason();
test.skip(skipReason !== null, skipReason ?? '');
test.skip(process.env.P2L_LOBBY === '0', 'lab lobby turned off (P2L_LOBBY=0)');

/** One host of each NAT kind, in the lobby's join order. */
const HOSTS: LabHost[] = NAT_KINDS.map((kind) => labHost(`${kind}-a`));

/** The cell's `data-path` values (lobby-matrix.ts CellPath) an expectation allows. A cell shows the more cautious
 * of the two sides' paths: with UDP blocked on one side, its TCP allocation makes the pair relay-tcp. */
const CELL_PATHS: Record<ExpectedPath, readonly string[]> = {
  'direct-lan': ['direct-lan'],
  direct: ['p2p-nat', 'direct-public'],
  'direct-ipv6': ['direct-public'],
  // Chromium may settle on its TCP allocation where UDP works (nat-lab.spec.ts's forced-relay note).
  relay: ['relay-udp', 'relay-tcp'],
  'relay-tcp': ['relay-tcp'],
  'relay-tls': ['relay-tls'],
};

let server: AppProcess | null = null;
let setupProblem: string | null = null;
let releaseLock: (() => void) | null = null;
const browsers = new LabBrowsers();

test.beforeAll(async () => {
  test.setTimeout(12 * 60_000); // may wait for another run's lab
  releaseLock = await acquireLabLock(10 * 60_000);
  labUp(); // removes leftovers of a crashed run first
  expect(await labSmokeCheck(), 'lab smoke check').toEqual([]);
  setupProblem = pageBuildProblem();
  if (setupProblem) return;
  try {
    server = await startLabServer();
  } catch (err) {
    setupProblem = `p2pcheck did not start in the lab: ${(err as Error).message.slice(0, 2000)}`;
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
    } finally {
      releaseLock?.();
      releaseLock = null;
    }
  }
});

interface ShownCell {
  id: string;
  path: string | null;
  state: string | null;
  mismatch: string | null;
}

/** What a page's matrix shows: every off-diagonal cell, and each row's name and NAT label. */
async function shownMatrix(page: Page): Promise<{ cells: ShownCell[]; rows: { id: string; name: string; nat: string }[] }> {
  const cells = await page.locator('td[data-testid^="lobby-cell-"]').evaluateAll((els) =>
    els.map((e) => ({ id: e.getAttribute('data-testid')!, path: e.getAttribute('data-path'), state: e.getAttribute('data-state'), mismatch: e.getAttribute('data-mismatch') })));
  const rows = await page.locator('th[data-testid^="lobby-row-"]').evaluateAll((els) =>
    els.map((e) => ({ id: e.getAttribute('data-testid')!.slice('lobby-row-'.length), name: e.querySelector('.lobby-member-name')?.textContent ?? '', nat: e.querySelector('.lobby-member-nat')?.textContent ?? '' })));
  return { cells, rows };
}

test('a lobby with a peer behind every NAT kind: each cell settles on the path the NATs allow, the summary and the host choice say so', async () => {
  test.setTimeout(3 * 60_000);
  expect(setupProblem, 'lab server').toBeNull();
  clearRestrictedLists();
  const roomId = newRoomId();
  const started = Date.now();
  const pages = await Promise.all(HOSTS.map((h) => browsers.page(h)));
  // All at once (one after the other took 133 s on a machine at load 35), each named after its host once it has
  // joined: the summary's sentences then name the NAT kinds twice over.
  await Promise.all(HOSTS.map(async (host, i) => {
    const page = pages[i]!;
    await page.goto(`${host.pageUrl}/lobby/${roomId}`, { timeout: 30_000 });
    await expect(page.getByTestId('lobby-status')).not.toHaveText('Joining the lobby…', { timeout: 30_000 });
    await page.getByTestId('lobby-name').fill(host.name);
    await page.getByTestId('lobby-name-save').click();
    await expect(page.getByTestId('lobby-name-save')).toBeDisabled(); // saved (a problem would keep the draft)
  }));
  const n = HOSTS.length;
  const links = (n * (n - 1)) / 2;
  // Every page: all links settled, every member's NAT checked, and the host chosen (not "pending").
  for (const page of pages) {
    await expect(page.getByTestId('lobby-status')).toHaveAttribute('data-settled', String(links), { timeout: 90_000 });
    await expect(page.locator('th[data-testid^="lobby-row-"][data-nat="unknown"]')).toHaveCount(0, { timeout: 60_000 });
    await expect(page.getByTestId('lobby-host')).not.toHaveAttribute('data-state', 'pending', { timeout: 30_000 });
  }
  const settledMs = Date.now() - started;

  const first = await shownMatrix(pages[0]!);
  const idOf = new Map(first.rows.map((r) => [r.name, r.id]));
  const hostOf = new Map(first.rows.map((r) => [r.id, labHost(r.name)]));
  expect([...idOf.keys()].sort()).toEqual(HOSTS.map((h) => h.name).sort());
  /** Every page's rows and cells against the NATs as built; one line per disagreement. */
  const judge = async (): Promise<string[]> => {
    const problems: string[] = [];
    for (const [i, page] of pages.entries()) {
      const who = HOSTS[i]!.name;
      const { cells, rows } = await shownMatrix(page);
      for (const row of rows) {
        const want = expectedLabel(hostOf.get(row.id)!.expectedDiscovery);
        if (row.nat !== want) problems.push(`${who}'s page: ${row.name} shows "${row.nat}", the lab built ${want}`);
      }
      expect(cells, `${who}'s page: ${n}×${n - 1} cells`).toHaveLength(n * (n - 1));
      for (const cell of cells) {
        const [a, b] = splitIds(cell.id, [...hostOf.keys()]);
        const ha = hostOf.get(a)!;
        const hb = hostOf.get(b)!;
        const expected = expectedPath(ha.kind, hb.kind, false);
        if (cell.state !== 'connected' || !CELL_PATHS[expected].includes(cell.path ?? '')) problems.push(`${who}'s page: ${ha.name} × ${hb.name} shows ${cell.state}/${cell.path}, the NATs allow ${expected}`);
        if (cell.mismatch !== 'false') problems.push(`${who}'s page: ${ha.name} × ${hb.name} contradicts its prediction`);
      }
    }
    return problems;
  };
  // A cell may first settle on a relay pair and move to the direct one later: under CI's load (fresh-clone run of
  // 2 December) restricted-a × port-restricted-a held its relay pair for the 3 s settle time (SETTLE_MS) before the
  // hole-punched pair answered, every page showed relay at the first read. Chromium keeps checking the better pairs
  // and switches; the page follows (the cell unsettles, then settles on the direct path). So the judgement is what
  // the cells settle on within 60 s; a cell stuck on the wrong path still fails, and the first read's disagreements
  // are printed so a slow convergence is visible in the log.
  const firstRead = await judge();
  if (firstRead.length > 0) console.log(`[lab] lobby first read ${Math.round((Date.now() - started) / 1000)} s: ${firstRead.length} disagreements, e.g. ${firstRead[0]}; waiting for the cells to move`);
  if (firstRead.length > 0) await expect.poll(judge, { timeout: 60_000, intervals: [2_000] }).toEqual([]);
  if (firstRead.length > 0) console.log(`[lab] lobby cells agreed ${Math.round((Date.now() - started) / 1000)} s after the first page opened`);

  // The answers above the matrix, from the first page (every page builds them from the same broadcast views).
  const page = pages[0]!;
  const relayedPairs = HOSTS.flatMap((a, i) => HOSTS.slice(i + 1).filter((b) => !expectedPath(a.kind, b.kind, false).startsWith('direct')).map((b) => [a, b] as const));
  await expect(page.getByTestId('lobby-headline')).toHaveText(`all ${links} links work (${links - relayedPairs.length} direct, ${relayedPairs.length} relayed)`);
  const blocked = (await page.getByTestId('lobby-blocked').locator('li').allTextContents()).join('\n');
  // Who cannot reach whom directly, naming both NAT types: the UDP-blocked peer (relayed to all) and the
  // port-restricted/symmetric pair.
  for (const [a, b] of relayedPairs) {
    const line = blocked.split('\n').find((l) => l.includes(`${a.name} (`) && l.includes(`${b.name} (`));
    expect(line, `"who cannot reach whom" names ${a.name} and ${b.name}:\n${blocked}`).toBeDefined();
    expect(line!).toContain('relayed through TURN');
    for (const h of [a, b]) expect(line!).toContain(`${h.name} (${natPhrase(h)})`);
  }
  expect(blocked.split('\n')).toHaveLength(2);

  // The host: the peers with the most direct links (no NAT, full cone, restricted cone: 4 of 5 each), then RTT.
  const directCount = (h: LabHost) => HOSTS.filter((o) => o !== h && expectedPath(h.kind, o.kind, false).startsWith('direct')).length;
  const most = Math.max(...HOSTS.map(directCount));
  const best = HOSTS.filter((h) => directCount(h) === most).map((h) => idOf.get(h.name)!);
  const hostPanel = page.getByTestId('lobby-host');
  const chosen = ((await hostPanel.getAttribute('data-hosts')) ?? '').split(' ').filter(Boolean);
  expect(['chosen', 'tie']).toContain(await hostPanel.getAttribute('data-state'));
  expect(chosen.length).toBeGreaterThan(0);
  for (const id of chosen) expect(best, `host ${hostOf.get(id)?.name}`).toContain(id);
  await expect(hostPanel).toContainText(`reaches ${most} of ${n - 1} directly (1 relayed)`);
  console.log(`[lab] lobby of ${n}: ${links} links settled and judged ${Math.round(settledMs / 1000)} s after the first page opened; host ${chosen.map((id) => hostOf.get(id)!.name).join(', ')}`);

  const shot = process.env.P2L_LOBBY_SCREENSHOT;
  if (shot) {
    await page.setViewportSize({ width: 1280, height: 900 });
    const top = (await page.getByTestId('lobby-summary').boundingBox())!;
    const matrix = (await page.getByTestId('lobby-matrix').boundingBox())!;
    await page.screenshot({ path: shot, fullPage: true, clip: { x: 0, y: Math.max(0, top.y - 8), width: 1280, height: matrix.y + matrix.height - top.y + 16 } });
  }
});

/** The words a page uses inside a sentence for the NAT the lab built (its kind found by the label). */
function natPhrase(h: LabHost): string {
  const label = expectedLabel(h.expectedDiscovery);
  const kind = (Object.keys(NAT_KIND_LABELS) as PageNatKind[]).find((k) => NAT_KIND_LABELS[k] === label);
  if (!kind) throw new Error(`no page NAT kind labelled "${label}"`);
  return natPhraseOf(kind);
}

/** A cell's test id is lobby-cell-<row id>-<column id>; peer ids may hold '-', so match against the known ids. */
function splitIds(testId: string, ids: string[]): [string, string] {
  const rest = testId.slice('lobby-cell-'.length);
  for (const a of ids) if (rest.startsWith(`${a}-`) && ids.includes(rest.slice(a.length + 1))) return [a, rest.slice(a.length + 1)];
  throw new Error(`cell ${testId}: no two known peer ids`);
}
