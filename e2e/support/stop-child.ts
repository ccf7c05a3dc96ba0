// Stops a child process the way a service manager does: SIGTERM, then SIGKILL if it has not exited after a grace
// period; resolves once it has exited. Idempotent (an exited process resolves at once). The one copy for the e2e
// specs, their helpers (app-process.ts) and the benchmarks (bench/turn-servers.ts).
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';

export const STOP_GRACE_MS = 5000;

export async function stopChild(child: ChildProcess, graceMs = STOP_GRACE_MS): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  try {
    await exited;
  } finally {
    clearTimeout(timer);
  }
}
