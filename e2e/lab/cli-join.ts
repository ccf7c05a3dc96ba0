// `p2pcheck join` (the headless peer, werift) behind each NAT kind of the lab, in a room a Chromium page opened behind
// another host (issue 16): the path both reports settled on must be the one the two NATs allow (expectedPath()), the
// two reports must agree on it, and `--expect` must give the documented exit status. The pairs reuse the matrix's
// scheduler (runMatrix: never two pairs on one host at once, one retry) with a runner of their own.
import type { ConnectivityReport } from '../../common/report';
import { EXIT } from '../../cli/exit-codes';
import { runP2pcheckIn, type CliProcessRun } from './cli-in-host';
import { clearRestrictedLists } from './lab-builder';
import { judgePair } from './lab-expectations';
import type { MatrixCell } from './lab-matrix';
import { newRoomId, type LabBrowsers, type LabPage, type PairRun } from './lab-pair-runner';
import { expectedPath, labHost, type ExpectedPath, type LabHost, type LabPair, type NatKind } from './lab-topology';

export type CliExpect = 'direct' | 'relay';

/** A lab pair whose "a" side is `p2pcheck join` and whose "b" side is a Chromium page (it opens the room). */
export interface CliJoinPair extends LabPair {
  /** What `--expect` the command is given, and the exit status that must follow from the expected path. */
  cliExpect: CliExpect;
  wantExit: number;
}

/** The path class an expected path is, in `--expect`'s words. */
export function expectClassOf(expected: ExpectedPath): CliExpect {
  return expected.startsWith('relay') ? 'relay' : 'direct';
}

function cliPair(cliHost: string, pageHost: string, kind: NatKind, why: string, cliExpect?: CliExpect): CliJoinPair {
  const a = labHost(cliHost);
  const b = labHost(pageHost);
  // tcp443 is built on the udp-blocked kind; the lab's judge (judgePair) asks for TLS on its side by its network.
  const expected: ExpectedPath = a.network === 'tcp-443-only' ? 'relay-tls' : expectedPath(kind, b.kind, false);
  const asked = cliExpect ?? expectClassOf(expected);
  return {
    id: `${cliHost} (p2pcheck join) × ${pageHost}`,
    a,
    b,
    expected,
    extra: true,
    why,
    firefox: null,
    cliExpect: asked,
    // docs/cli.md: 0 when connected on the path --expect asked for, 7 when connected on the other kind.
    wantExit: asked === expectClassOf(expected) ? EXIT.ok : EXIT.pathUnexpected,
  };
}

/** One pair per NAT kind of the lab on the command line's side (and the office firewall), each against a Chromium
 *  behind a host chosen so that every direct boundary and every relay transport shows up once. */
export function cliJoinPairs(): CliJoinPair[] {
  return [
    cliPair('open-a', 'symmetric-b', 'open', 'a public address lets even a symmetric NAT in'),
    cliPair('full-cone-a', 'port-restricted-b', 'full-cone', 'a full cone opens the way for the page'),
    cliPair('restricted-a', 'symmetric-b', 'restricted', 'the boundary on the direct side: an address-restricted filter lets the symmetric NAT\'s new port in'),
    cliPair('port-restricted-a', 'port-restricted-b', 'port-restricted', 'hole punching between werift\'s ICE agent and Chromium\'s'),
    cliPair('symmetric-a', 'symmetric-b', 'symmetric', 'two symmetric NATs: only the relay'),
    // --expect direct on a relayed path: the documented exit 7, with the report still printed.
    cliPair('udp-blocked-a', 'open-b', 'udp-blocked', 'no UDP out: the headless peer must relay over TURN/TCP; --expect direct gives exit 7', 'direct'),
    cliPair('tcp443', 'full-cone-b', 'udp-blocked', 'only TCP to 443 out: the headless peer must relay over TURN/TLS on 443'),
  ];
}

/** What `npm test` runs (at once, three hosts each side apart): a direct pair by hole punching, a UDP relay, and a
 *  TCP relay with --expect direct (exit 7). The rest under `npm run lab` / P2L_FULL=1 / P2L_CLI_JOIN=full. */
export const CLI_JOIN_QUICK = ['port-restricted-a (p2pcheck join) × port-restricted-b', 'symmetric-a (p2pcheck join) × symmetric-b', 'udp-blocked-a (p2pcheck join) × open-b'] as const;

/** The pairs a run covers: P2L_CLI_JOIN=full|quick|0 (default: full under the full lab, quick otherwise), narrowed
 *  by P2L_CLI_PAIRS (comma-separated substrings of pair ids, like P2L_PAIRS). */
export function cliJoinSelection(env: { mode: string | undefined; filter: string | undefined }, fullLab: boolean): CliJoinPair[] {
  const mode = env.mode || (fullLab ? 'full' : 'quick');
  if (mode === '0') return [];
  if (mode !== 'full' && mode !== 'quick') throw new Error(`P2L_CLI_JOIN='${mode}': use full, quick or 0`);
  const all = cliJoinPairs();
  const chosen = mode === 'full' ? all : all.filter((p) => (CLI_JOIN_QUICK as readonly string[]).includes(p.id));
  const filter = env.filter?.trim();
  return filter ? chosen.filter((p) => filter.split(',').some((s) => p.id.includes(s.trim()))) : chosen;
}

export interface CliJoinReports {
  cli: ConnectivityReport | null;
  page: ConnectivityReport | null;
}

const isRelay = (r: ConnectivityReport) => r.path.kind.startsWith('relay-');
const endpoint = (c: { address: string | null; port: number | null }) => `${c.address}:${c.port}`;

/** One end of the selected pair, as its own side names it (`own`) and as the other side sees it (`seen`): the same
 *  endpoint, or — behind a NAT, where a side names its host end — the host's address there and the router's public
 *  address as the other side sees it (the port is the router's choice). */
function sameEnd(host: LabHost, own: EndLike, seen: EndLike): boolean {
  if (endpoint(own) === endpoint(seen)) return true;
  return own.type === 'host' && own.address === host.address && seen.address === host.publicAddress;
}
type EndLike = { type: string; address: string | null; port: number | null };

/** Both reports agree: the same kind of path (a direct one exactly; a relayed path names each side's own way to the
 *  TURN server, so there only "relayed" must agree), and on a direct path the same candidate pair seen from its two
 *  ends. */
export function agreementProblems(pair: { a: LabHost; b: LabHost }, cli: ConnectivityReport, page: ConnectivityReport): string[] {
  const problems: string[] = [];
  if (isRelay(cli) !== isRelay(page) || (!isRelay(cli) && cli.path.kind !== page.path.kind)) {
    problems.push(`the reports disagree: p2pcheck join says ${cli.path.kind}, the page ${page.path.kind}`);
  }
  const c = cli.selectedPair;
  const p = page.selectedPair;
  if (c && p && !isRelay(cli) && !isRelay(page) && (!sameEnd(pair.a, c.local, p.remote) || !sameEnd(pair.b, p.local, c.remote))) {
    problems.push(`the reports name different pairs: p2pcheck join ${c.local.type} ${endpoint(c.local)} → ${c.remote.type} ${endpoint(c.remote)}, the page ${p.local.type} ${endpoint(p.local)} → ${p.remote.type} ${endpoint(p.remote)}`);
  }
  return problems;
}

/** The whole judgement of one run: path (as the lab's pairs are judged), agreement, exit status. */
export function judgeCliJoin(pair: CliJoinPair, reports: CliJoinReports, run: Pick<CliProcessRun, 'code' | 'stderr'>): PairRun['verdict'] {
  const verdict = judgePair(pair, { a: reports.cli, b: reports.page }, false);
  if (reports.cli && reports.page) verdict.problems.push(...agreementProblems(pair, reports.cli, reports.page));
  if (run.code !== pair.wantExit) {
    const said = run.stderr.trim().split('\n').filter((l) => l.startsWith('p2pcheck:')).at(-1) ?? run.stderr.trim().split('\n').at(-1) ?? '';
    verdict.problems.push(`p2pcheck join --expect ${pair.cliExpect}: exit ${run.code}, expected ${pair.wantExit}${said ? ` (${said.slice(0, 300)})` : ''}`);
  }
  verdict.ok = verdict.problems.length === 0;
  return verdict;
}

function parseReport(text: string): ConnectivityReport | null {
  try {
    return text.trim() ? (JSON.parse(text) as ConnectivityReport) : null;
  } catch {
    return null;
  }
}

/** Polls the page until it is connected on a settled path, or `stop()` says to give up. */
async function pageSettled(page: LabPage, deadline: number, stop: () => boolean): Promise<void> {
  while (Date.now() < deadline && !stop()) {
    const [state, settled] = await Promise.all([page.attr('status-line', 'data-peer-state'), page.attr('status-line', 'data-settled')]);
    // Not on "failed": the page restarts ICE and may still connect (three runs read a page "connecting" with no
    // connection after a passing "failed", while the command went on to finish its link test with it).
    if (state === 'connected' && settled === 'yes') return;
    await new Promise((r) => setTimeout(r, 400));
  }
}

/** The page's report (tens of kilobytes: one read at the end, as the matrix does). */
async function pageReport(page: LabPage): Promise<ConnectivityReport | null> {
  const text = await page.text('report-json', 15_000);
  return text ? parseReport(text) : null;
}

/** One pair for real: the Chromium behind `pair.b` opens a room, `p2pcheck join --json` behind `pair.a` joins it; the
 *  page's report is read once its path settled (while the command still runs the link test and relay check: once it
 *  ends, the page shows "peer left"), the command's when it exits. */
export async function runCliJoinPair(browsers: LabBrowsers, pair: CliJoinPair, timeoutS = 60): Promise<PairRun & { cli: CliProcessRun | null }> {
  const started = Date.now();
  clearRestrictedLists([pair.a, pair.b]);
  const id = newRoomId();
  const pageUrl = `${pair.b.pageUrl}/r/${id}?call=off`;
  const roomUrl = `${pair.a.pageUrl}/r/${id}`; // the same room, as the command's host reaches the server
  let cli: CliProcessRun | null = null;
  try {
    const page = await browsers.labPage(pair.b, 'chromium');
    await page.goto(pageUrl);
    // In the room before the command starts (its start-up alone takes a second or two), so the page offers.
    for (const until = Date.now() + 15_000; Date.now() < until && (await page.attr('status-line', 'data-peer-state')) === null; ) await new Promise((r) => setTimeout(r, 200));
    // Not --quiet: its progress on stderr says where a failed run stopped. Killed only well after its own --timeout
    // (on a machine at load 40, starting Node and tsx alone took 20 s).
    const running = runP2pcheckIn(pair.a, ['join', roomUrl, '--json', '--expect', pair.cliExpect, '--timeout', String(timeoutS)], (timeoutS + 60) * 1000);
    let exited = false;
    void running.then(() => (exited = true));
    await pageSettled(page, Date.now() + (timeoutS + 5) * 1000, () => exited);
    const seen = await pageReport(page);
    cli = await running;
    const reports = { cli: parseReport(cli.stdout), page: seen };
    const verdict = judgeCliJoin(pair, reports, cli);
    if (!reports.cli) verdict.problems.push(`p2pcheck join printed no report (exit ${cli.code}${cli.code === null ? `, killed after ${Math.round(cli.wallMs / 1000)} s` : ''}): ${cli.stderr.trim().split('\n').slice(-3).join(' / ').slice(0, 400)}`);
    verdict.ok = verdict.problems.length === 0;
    return { verdict, reports: { a: reports.cli, b: reports.page }, roomUrl, elapsedMs: Date.now() - started, cli };
  } catch (err) {
    const verdict = judgePair(pair, { a: null, b: null }, false);
    verdict.problems.unshift(`run error: ${(err as Error).message.split('\n')[0]}`);
    return { verdict: { ...verdict, ok: false }, reports: { a: null, b: null }, roomUrl, elapsedMs: Date.now() - started, cli };
  } finally {
    await browsers.release(pair.b, 'chromium');
  }
}

/** The table for docs/nat-lab.md and the test's attachment. */
export function renderCliJoin(cells: MatrixCell[]): string {
  const lines = [
    '| p2pcheck join behind | Chromium behind | expected | `--expect` → exit | result (command / page) | connect | wall |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const c of cells) {
    const p = c.pair as CliJoinPair;
    const last = c.runs.at(-1)!;
    const status = c.status === 'pass' ? 'ok' : c.status === 'flaky' ? `ok on the 2nd run (1st: ${c.runs[0]!.verdict.problems.join('; ')})` : `**FAIL**: ${last.verdict.problems.join('; ')}`;
    lines.push(`| ${p.a.name} (${p.a.network === 'plain' ? p.a.kind : p.a.network}) | ${p.b.name} (${p.b.kind}) | ${p.expected} | ${p.cliExpect} → ${p.wantExit} | ${last.verdict.observed}, ${status} | ${last.verdict.connectMs ?? '-'} ms | ${Math.round(last.elapsedMs / 1000)} s |`);
  }
  return lines.join('\n');
}
