// `p2pcheck nat` (the command line's "Check my network", werift instead of a browser) behind each lab host: it must
// give the verdict natdiscovery gives there, judged by the same rules as the page (lab-expectations.ts).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { DiagnosisResult } from '../../common/nat/diagnosis-result';
import { EXIT } from '../../cli/exit-codes';
import { pageVerdictProblems, type PageVerdictInput } from './lab-expectations';
import { labTlsFiles } from './lab-server';
import type { LabHost } from './lab-topology';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

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
export function runCliNat(host: LabHost, timeoutMs = 60_000): Promise<CliNatRun> {
  const started = Date.now();
  // The lab's TURN-over-TLS certificate is self-signed; the browsers are told to trust it, so is Node here.
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', NODE_EXTRA_CA_CERTS: labTlsFiles().cert };
  const child = spawn('ip', ['netns', 'exec', host.ns, process.execPath, `${ROOT}bin/p2pcheck.mjs`, 'nat', '--server', host.pageUrl, '--json', '--quiet'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += String(d)));
  child.stderr.on('data', (d: Buffer) => (stderr += String(d)));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve) => {
    child.on('close', (code) => {
      clearTimeout(timer);
      let result: DiagnosisResult | null = null;
      try {
        result = stdout.trim() ? (JSON.parse(stdout) as DiagnosisResult) : null;
      } catch {
        stderr += `\n(stdout was not JSON: ${stdout.slice(0, 200)})`;
      }
      resolve({ code, result, stderr, wallMs: Date.now() - started });
    });
  });
}

/** What is wrong with the command's answer behind `host`, given natdiscovery's result there (empty: nothing). */
export function cliNatProblems(host: LabHost, discovery: PageVerdictInput['discovery'], run: CliNatRun): string[] {
  const who = `${host.name} (p2pcheck nat)`;
  if (!run.result) return [`${who}: exit ${run.code}, no result: ${run.stderr.trim().split('\n')[0] ?? ''}`];
  const label = run.result.verdict?.label ?? '';
  // Same rules as for the pages; the "(chromium)" in their words is replaced by the command's name.
  const judged = pageVerdictProblems({ host, browser: 'chromium', discovery, label, result: run.result });
  const problems = judged.problems.map((p) => p.replace(`${host.name} (chromium)`, who).replace(': page says ', ': it says ').replace(": page's ", ': its '));
  const wantCode = run.result.reachability.udp === 'no-answer' ? EXIT.udpBlocked : EXIT.ok;
  if (run.code !== wantCode) problems.push(`${who}: exit ${run.code}, expected ${wantCode} (UDP ${run.result.reachability.udp})`);
  return problems;
}
