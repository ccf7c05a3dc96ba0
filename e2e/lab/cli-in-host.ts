// Runs the real `p2pcheck` bin inside a lab host's namespace, as a user behind that host's NAT would type it
// (`ip netns exec <host ns> node bin/p2pcheck.mjs …`). Shared by the lab's `p2pcheck nat` and `p2pcheck join` tests.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { labTlsFiles } from './lab-server';
import type { LabHost } from './lab-topology';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface CliProcessRun {
  /** Exit status; null when it was killed at `timeoutMs`. */
  code: number | null;
  stdout: string;
  stderr: string;
  wallMs: number;
}

/** `p2pcheck <args>` in `host`'s namespace; killed (SIGKILL) if it is still running after `timeoutMs`. */
export function runP2pcheckIn(host: LabHost, args: readonly string[], timeoutMs: number): Promise<CliProcessRun> {
  const started = Date.now();
  // The lab's TURN-over-TLS certificate is self-signed; the browsers are told to trust it, so is Node here.
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', NODE_EXTRA_CA_CERTS: labTlsFiles().cert };
  const child = spawn('ip', ['netns', 'exec', host.ns, process.execPath, `${ROOT}bin/p2pcheck.mjs`, ...args], {
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
      resolve({ code, stdout, stderr, wallMs: Date.now() - started });
    });
  });
}
