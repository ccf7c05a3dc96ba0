// Runs the whole pair matrix with bounded parallelism and one retry, and renders it as a table.
// The scheduler never runs two pairs that share a host at once (they would share a router's NAT state).
import { describeExpected } from './lab-expectations';
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
}

export async function runMatrix(
  browsers: LabBrowsers,
  pairs: LabPair[],
  opts: { relayOnly: boolean; checkPrediction: boolean; concurrency: number; onCell?: (cell: MatrixCell) => void },
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
        const run = await runPair(browsers, item.pair, opts);
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
      const cell: MatrixCell = { pair: item.pair, relayOnly: opts.relayOnly, runs: item.runs, status };
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
  for (const c of cells) {
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
  const counts = { pass: 0, flaky: 0, fail: 0 };
  for (const c of cells) counts[c.status] += 1;
  lines.push('', `${cells.length} pairs: ${counts.pass} passed, ${counts.flaky} flaky (passed on the 2nd run), ${counts.fail} failed.`);
  return lines.join('\n');
}

export function renderExpectations(pairs: LabPair[]): string {
  const byKinds = new Map<string, string>();
  for (const p of pairs) {
    byKinds.set(`${p.a.kind}|${p.b.kind}`, p.expected);
    byKinds.set(`${p.b.kind}|${p.a.kind}`, p.expected);
  }
  const lines = ['### Expected (from how the NATs behave)', '', `| | ${NAT_KINDS.join(' | ')} |`, `|---|${NAT_KINDS.map(() => '---').join('|')}|`];
  for (const row of NAT_KINDS) lines.push(`| **${row}** | ${NAT_KINDS.map((col) => byKinds.get(`${row}|${col}`) ?? '–').join(' | ')} |`);
  return lines.join('\n');
}

/** One lab host: what natdiscovery reports against p2pcheck's server and against coturn, and what the page's
 * "Check my network" says from the same host. */
export interface HostCheck {
  host: LabHost;
  ours: HostClassification;
  coturn: HostClassification;
  page: { label: string; mapping: string; filtering: string; verdictMs: number | null; udpBlockedMs: number | null } | null;
  problems: string[];
}

export function renderHostChecks(rows: HostCheck[]): string {
  const lines = [
    '### Every host: `turnutils_natdiscovery` (against p2pcheck\'s server and against coturn) and the page\'s verdict',
    '',
    '| host | built as | natdiscovery → p2pcheck | natdiscovery → coturn | page verdict | mapping / filtering | verdict after | |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    const p = r.page;
    lines.push(`| ${r.host.name} | ${r.host.kind} | ${describeDiscovery(r.ours.result)} | ${describeDiscovery(r.coturn.result)} | ${p?.label ?? '-'} | ${p ? `${p.mapping} / ${p.filtering}` : '-'} | ${p?.verdictMs ?? '-'} ms | ${r.problems.length ? '**MISMATCH**' : 'ok'} |`);
  }
  return lines.join('\n');
}
