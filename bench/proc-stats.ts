// What the kernel says about a process and its sockets (Linux /proc), so the benchmark can tell who was busy
// (server or generator CPU time) and where datagrams were lost (receive-queue drops per UDP port).
import { readFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';

/** Resident memory of a process in bytes. */
export async function rssBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const m = /VmRSS:\s+(\d+) kB/.exec(status);
  if (!m) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(m[1]) * 1024;
}

const TICKS_PER_S = 100; // USER_HZ on Linux

/** User + system CPU seconds of a whole process (all threads: /proc/<pid>/stat of the leader sums them). */
export async function cpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // Fields after the parenthesised command name; utime and stime are fields 14 and 15 (1-based).
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(rest[11]) + Number(rest[12])) / TICKS_PER_S;
}

/** Receive-buffer drops (sk_drops) per local UDP port on 127.0.0.1/0.0.0.0, from /proc/net/udp. */
export async function udpDropsByPort(): Promise<Map<number, number>> {
  const text = await readFile('/proc/net/udp', 'utf8');
  const drops = new Map<number, number>();
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 13) continue;
    const port = parseInt(f[1]!.split(':')[1]!, 16);
    drops.set(port, (drops.get(port) ?? 0) + Number(f[f.length - 1]));
  }
  return drops;
}

/** Sum of drops over ports accepted by `pick`, between two snapshots. */
export function dropsBetween(before: Map<number, number>, after: Map<number, number>, pick: (port: number) => boolean): number {
  let n = 0;
  for (const [port, d] of after) if (pick(port)) n += Math.max(0, d - (before.get(port) ?? 0));
  return n;
}

/**
 * CPUs for a pinned run: the server under test gets the last CPU, the generator (this process and its C helper)
 * the first. Null when `taskset` is missing or the machine has one CPU (then nothing is pinned, and said so).
 */
export function pinningPlan(cpuCount: number): { server: number; generator: number } | null {
  if (cpuCount < 2) return null;
  try {
    execFileSync('taskset', ['-V'], { stdio: 'ignore' });
  } catch {
    return null;
  }
  return { server: cpuCount - 1, generator: 0 };
}

/** Pins an existing process (and its future children) to one CPU. */
export function pinProcess(pid: number, cpu: number): void {
  execFileSync('taskset', ['-a', '-p', '-c', String(cpu), String(pid)], { stdio: 'ignore' });
}

export function median(xs: number[]): number {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Jiffies of one CPU from /proc/stat: busy (user, nice, system, irq, softirq) and steal (taken by the hypervisor). */
export async function cpuJiffies(cpu: number): Promise<{ busy: number; steal: number; total: number }> {
  const text = await readFile('/proc/stat', 'utf8');
  const line = text.split('\n').find((l) => l.startsWith(`cpu${cpu} `));
  if (!line) return { busy: NaN, steal: NaN, total: NaN };
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number) as number[];
  const busy = user! + nice! + system! + irq! + softirq!;
  return { busy, steal: steal!, total: busy + idle! + iowait! + steal! };
}

/**
 * Share of a CPU used by anything but `pid` (other processes, softirq work) and stolen by the hypervisor between
 * two snapshots: how much the machine interfered with a pinned server.
 */
export function interference(before: { busy: number; steal: number; total: number }, after: { busy: number; steal: number; total: number }, pidCpuS: number): { others: number; steal: number } {
  const total = after.total - before.total;
  if (!(total > 0)) return { others: NaN, steal: NaN };
  const othersJ = after.busy - before.busy - pidCpuS * TICKS_PER_S;
  return { others: Math.max(0, othersJ / total), steal: (after.steal - before.steal) / total };
}
