// Builds and runs bench/udp-flood.c (the batching load generator) pinned to the generator CPU. Null from
// `buildUdpFlood` when no C compiler is available: the benchmark then falls back to the Node generator.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SOURCE = new URL('./udp-flood.c', import.meta.url).pathname;

export function buildUdpFlood(): string | null {
  const dir = join(tmpdir(), 'p2pcheck-bench');
  const bin = join(dir, 'udp-flood');
  mkdirSync(dir, { recursive: true });
  if (existsSync(bin) && statSync(bin).mtimeMs >= statSync(SOURCE).mtimeMs) return bin;
  try {
    execFileSync('cc', ['-O2', '-Wall', '-o', bin, SOURCE], { stdio: ['ignore', 'ignore', 'inherit'] });
    return bin;
  } catch {
    return null;
  }
}

export interface CFloodResult {
  sent: number;
  received: number;
  seconds: number;
  /** sendmmsg calls that sent fewer than asked (socket send buffer full). */
  shortSends: number;
  /** Generator user+system CPU ÷ wall time while sending (softirq work on loopback is not included). */
  generatorCpu: number;
  samples?: number;
  p50Us?: number;
  p90Us?: number;
  p99Us?: number;
}

function run(bin: string, cpu: number | null, args: string[], timeoutMs: number): Promise<CFloodResult> {
  const [cmd, argv] = cpu === null ? [bin, args] : ['taskset', ['-c', String(cpu), bin, ...args]];
  return new Promise((resolve, reject) => {
    execFile(cmd, argv, { timeout: timeoutMs }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`udp-flood ${args[0]} failed: ${stderr.trim() || err.message}`));
      try {
        resolve(JSON.parse(stdout) as CFloodResult);
      } catch {
        reject(new Error(`udp-flood printed no result: ${stdout.slice(0, 200)}`));
      }
    });
  });
}

/** ChannelData 0x4000 from every tx port (`src` or `src:dst`) to `dstPort` (or its own dst) at `pps` in total for `ms`; counts arrivals on rx ports. */
export function cFlood(bin: string, cpu: number | null, dstPort: number, pps: number, ms: number, size: number, tx: Array<number | string>, rx: number[]): Promise<CFloodResult> {
  return run(bin, cpu, ['flood', String(dstPort), String(pps), String(ms), String(size), tx.join(','), rx.join(',')], ms + 10_000);
}

/** `count` timestamped probes at `pps` from `tx` to `dstPort`, one-way latency observed on `rx`. */
export function cLatency(bin: string, cpu: number | null, dstPort: number, pps: number, count: number, size: number, tx: number, rx: number): Promise<CFloodResult> {
  return run(bin, cpu, ['latency', String(dstPort), String(pps), String(count), String(size), String(tx), String(rx)], (count / pps) * 1000 + 10_000);
}
