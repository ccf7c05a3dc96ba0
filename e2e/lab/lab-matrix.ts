// Runs the whole pair matrix with bounded parallelism and one retry, and renders it as a table.
// The scheduler never runs two pairs that share a host at once (they would share a router's NAT state).
import { PENDING_ENABLED, describeExpected, pendingPrediction } from './lab-expectations';
import { runPair, type LabBrowsers, type PairRun } from './lab-pair-runner';
import { NAT_KINDS, type LabHost, type LabPair } from './lab-topology';
import type { HostClassification } from './lab-nat-discovery';
import { describeDiscovery } from './lab-nat-discovery';

export type CellStatus = 'pass' | 'flaky' | 'fail';

export interface MatrixCell {
  pair: LabPair;
  relayOnly: boolean;
  /** One run, or two when the first did not meet the expectation. */
  runs: PairRun[];
  status: CellStatus;
  /** The pair's prediction needs a part of issue 17 the page does not have yet (see PENDING_PAIRS). */
  pending?: boolean;
}

export async function runMatrix(
  browsers: LabBrowsers,
  pairs: LabPair[],
  opts: {
    relayOnly: boolean;
    checkPrediction: boolean;
    concurrency: number;
    onCell?: (cell: MatrixCell) => void;
    /** Runs one pair (default: two browsers, runPair); the `p2pcheck join` pairs bring their own (cli-join.ts). */
    run?: (pair: LabPair) => Promise<PairRun>;
  },
): Promise<MatrixCell[]> {
  const queue = pairs.map((pair) => ({ pair, runs: [] as PairRun[] }));
  const busy = new Set<string>();
  const cells = new Map<LabPair, MatrixCell>();

  const worker = async (): Promise<void> => {
    for (;;) {
      if (queue.length === 0) return;
      const i = queue.findIndex((q) => !busy.has(q.pair.a.name) && !busy.has(q.pair.b.name));
      if (i < 0) {
        await new Promise((r) => setTimeout(r, 100)); // every runnable pair shares a host with a running one
        continue;
      }
      const item = queue.splice(i, 1)[0]!;
      busy.add(item.pair.a.name);
      busy.add(item.pair.b.name);
      try {
        const checkPrediction = opts.checkPrediction && (PENDING_ENABLED || pendingPrediction(item.pair) === null);
        const run = opts.run ? await opts.run(item.pair) : await runPair(browsers, item.pair, { ...opts, checkPrediction });
        item.runs.push(run);
      } finally {
        busy.delete(item.pair.a.name);
        busy.delete(item.pair.b.name);
      }
      const last = item.runs[item.runs.length - 1]!;
      if (!last.verdict.ok && item.runs.length === 1) {
        queue.push(item); // one more try, later and under different load
        continue;
      }
      const status: CellStatus = last.verdict.ok ? (item.runs.length === 1 ? 'pass' : 'flaky') : 'fail';
      const cell: MatrixCell = { pair: item.pair, relayOnly: opts.relayOnly, runs: item.runs, status, pending: opts.checkPrediction && pendingPrediction(item.pair) !== null };
      cells.set(item.pair, cell);
      opts.onCell?.(cell);
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, () => worker()));
  return pairs.map((p) => cells.get(p)!).filter(Boolean);
}

export function describeCell(cell: MatrixCell): string {
  const last = cell.runs[cell.runs.length - 1]!;
  const first = cell.runs[0]!;
  const shown = (r: PairRun) => `${r.verdict.observed}${r.verdict.connectMs !== null ? ` · ${r.verdict.connectMs} ms` : ''}`;
  if (cell.status === 'pass') return shown(last);
  if (cell.status === 'flaky') return `${shown(last)} (flaky; 1st run: ${first.verdict.observed})`;
  return `**FAIL** ${cell.runs.map((r) => r.verdict.observed).join(', then ')} (expected ${describeExpected(cell.pair.expected, cell.relayOnly)})`;
}

/** NAT kind × NAT kind (hosts "-a" in rows, "-b" in columns; the table is symmetric), plus the same-LAN row. */
export function renderMatrix(cells: MatrixCell[], title: string): string {
  const byKinds = new Map<string, MatrixCell>();
  let lan: MatrixCell | undefined;
  const extra = cells.filter((c) => c.pair.extra);
  for (const c of cells.filter((c) => !c.pair.extra)) {
    if (c.pair.a.name.startsWith('lan-')) lan = c;
    else {
      byKinds.set(`${c.pair.a.kind}|${c.pair.b.kind}`, c);
      byKinds.set(`${c.pair.b.kind}|${c.pair.a.kind}`, c);
    }
  }
  const lines = [`### ${title}`, '', `| | ${NAT_KINDS.join(' | ')} |`, `|---|${NAT_KINDS.map(() => '---').join('|')}|`];
  for (const row of NAT_KINDS) {
    const cols = NAT_KINDS.map((col) => {
      const c = byKinds.get(`${row}|${col}`);
      return c ? describeCell(c) : '–';
    });
    lines.push(`| **${row}** | ${cols.join(' | ')} |`);
  }
  if (lan) lines.push('', `Same LAN (lan-a × lan-b behind one port-restricted router): ${describeCell(lan)}`);
  if (extra.length > 0) {
    lines.push('', 'Issue 17\u2019s networks and the Firefox pairs (Chromium unless marked):', '', '| pair | expected | why | result |', '|---|---|---|---|');
    for (const c of extra) lines.push(`| ${c.pair.id}${c.pending ? ` (prediction ${PENDING_ENABLED ? 'checked' : 'not checked'}: needs ${pendingPrediction(c.pair)})` : ''} | ${describeExpected(c.pair.expected, c.relayOnly)} | ${c.pair.why ?? ''} | ${describeCell(c)} |`);
  }
  const counts = { pass: 0, flaky: 0, fail: 0 };
  for (const c of cells) counts[c.status] += 1;
  const pendingFails = cells.filter((c) => c.pending && c.status === 'fail').length;
  lines.push('', `${cells.length} pairs: ${counts.pass} passed, ${counts.flaky} flaky (passed on the 2nd run), ${counts.fail} failed${pendingFails ? ` (${pendingFails} of them pending)` : ''}.`);
  return lines.join('\n');
}

export function renderExpectations(pairs: LabPair[]): string {
  const byKinds = new Map<string, string>();
  for (const p of pairs.filter((q) => !q.extra)) {
    byKinds.set(`${p.a.kind}|${p.b.kind}`, p.expected);
    byKinds.set(`${p.b.kind}|${p.a.kind}`, p.expected);
  }
  const lines = ['### Expected (from how the NATs behave)', '', `| | ${NAT_KINDS.join(' | ')} |`, `|---|${NAT_KINDS.map(() => '---').join('|')}|`];
  for (const row of NAT_KINDS) lines.push(`| **${row}** | ${NAT_KINDS.map((col) => byKinds.get(`${row}|${col}`) ?? '–').join(' | ')} |`);
  return lines.join('\n');
}

/** One lab host: what natdiscovery reports against p2pcheck's server and against coturn, and what the page's
 * "Check my network" says from the same host (in Chromium; in Firefox in the Firefox rows). */
export interface HostCheck {
  host: LabHost;
  browser: 'chromium' | 'firefox';
  ours: HostClassification | null;
  coturn: HostClassification | null;
  /** Dual-stack hosts: natdiscovery against coturn's IPv6 addresses. */
  coturn6: HostClassification | null;
  /** Hosts behind the hairpin routers: `natdiscovery -H`, and a datagram from the other host to this one's
   * public address (where it arrived from, or null). */
  hairpin: { natdiscovery: boolean; between: string | null } | null;
  page: { label: string; mapping: string; filtering: string; verdictMs: number | null; udpBlockedMs: number | null; ipv6: string; tlsRelay: string } | null;
  /** Dual-stack hosts: the page's verdict on the IPv6-only server's page (its label and IPv6 verdict). */
  page6: { label: string; ipv6: string } | null;
  problems: string[];
  /** Issue 17 checks that count only with P2L_PENDING=1. */
  pending: string[];
}

export function renderHostChecks(rows: HostCheck[]): string {
  const lines = [
    '### Every host: `turnutils_natdiscovery` (against p2pcheck\'s server and against coturn) and the page\'s verdict',
    '',
    '| host | network | built as | natdiscovery → p2pcheck | natdiscovery → coturn | extra (IPv6 / hairpin) | browser | page verdict | mapping / filtering | TLS relay / IPv6 | verdict after | |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    const p = r.page;
    const extra = [
      r.coturn6 ? `IPv6: ${describeDiscovery(r.coturn6.result)}` : '',
      r.page6 ? `page over IPv6: ${r.page6.label}, ${r.page6.ipv6}` : '',
      r.hairpin ? `-H: ${r.hairpin.natdiscovery ? 'loops back' : 'no answer'}; from the other host: ${r.hairpin.between ? `arrives from ${r.hairpin.between}` : 'never arrives'}` : '',
    ].filter(Boolean).join('; ');
    const nd = (c: HostClassification | null) => (c ? describeDiscovery(c.result) : '(not rerun)');
    const status = r.problems.length ? '**MISMATCH**' : r.pending.length ? 'ok (pending: issue 17)' : 'ok';
    lines.push(`| ${r.host.name} | ${r.host.network} | ${r.host.kind} | ${nd(r.ours)} | ${nd(r.coturn)} | ${extra || '–'} | ${r.browser} | ${p?.label ?? '-'} | ${p ? `${p.mapping} / ${p.filtering}` : '-'} | ${p ? `${p.tlsRelay} / ${p.ipv6}` : '-'} | ${p?.verdictMs ?? '-'} ms | ${status} |`);
  }
  return lines.join('\n');
}
