// `p2pcheck nat` (the command line's "Check my network", werift instead of a browser) behind each lab host: it must
// give the verdict natdiscovery gives there, judged by the same rules as the page (lab-expectations.ts).
import type { DiagnosisResult } from '../../common/nat/diagnosis-result';
import { EXIT } from '../../cli/exit-codes';
import { pageVerdictProblems, type PageVerdictInput } from './lab-expectations';
import { runP2pcheckIn } from './cli-in-host';
import type { LabHost } from './lab-topology';

/** `npm test`'s hosts, run at once: a symmetric NAT, UDP blocked, a port-restricted cone NAT with hairpinning (no NAT:
 *  cli/nat/nat-command.test.ts); every host under `npm run lab`. */
export const CLI_NAT_QUICK_HOSTS = ['symmetric-a', 'udp-blocked-a', 'hairpin-a'] as const;

export interface CliNatRun {
  code: number | null;
  result: DiagnosisResult | null;
  stderr: string;
  wallMs: number;
}

/** `p2pcheck nat --server <the host's page> --json` inside the host's namespace, as a user there would type it. */
export async function runCliNat(host: LabHost, timeoutMs = 60_000): Promise<CliNatRun> {
  // Not --quiet: the progress lines (each step with its time) go to stderr, and say where a failed run stopped.
  const run = await runP2pcheckIn(host, ['nat', '--server', host.pageUrl, '--json'], timeoutMs);
  let result: DiagnosisResult | null = null;
  let stderr = run.stderr;
  try {
    result = run.stdout.trim() ? (JSON.parse(run.stdout) as DiagnosisResult) : null;
  } catch {
    stderr += `\n(stdout was not JSON: ${run.stdout.slice(0, 200)})`;
  }
  return { code: run.code, result, stderr, wallMs: run.wallMs };
}

/** What is wrong with the command's answer behind `host`, given natdiscovery's result there (empty: nothing). */
export function cliNatProblems(host: LabHost, discovery: PageVerdictInput['discovery'], run: CliNatRun): string[] {
  const who = `${host.name} (p2pcheck nat)`;
  if (!run.result) return [`${who}: exit ${run.code}, no result: ${run.stderr.trim().split('\n').slice(-4).join(' / ')}`];
  const label = run.result.verdict?.label ?? '';
  // Same rules as for the pages; the "(chromium)" in their words is replaced by the command's name.
  const judged = pageVerdictProblems({ host, browser: 'chromium', discovery, label, result: run.result });
  const problems = judged.problems.map((p) => p.replace(`${host.name} (chromium)`, who).replace(': page says ', ': it says ').replace(": page's ", ': its '));
  const wantCode = run.result.reachability.udp === 'no-answer' ? EXIT.udpBlocked : EXIT.ok;
  if (run.code !== wantCode) problems.push(`${who}: exit ${run.code}, expected ${wantCode} (UDP ${run.result.reachability.udp})`);
  return problems;
}
