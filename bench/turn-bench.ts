// `npm run bench:turn`: the same load generator against p2pcheck's TURN server and coturn, both running on
// loopback, in one run. Phases alternate between the two servers so both see the same machine conditions.
// Reports relayed packets/s at 0 % loss, added latency p50/p99 at a fixed rate, memory per idle allocation and
// allocations/s, with the ratio p2pcheck/coturn. Bounded to 3 minutes. Results: bench/results/turn-latest.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { BenchClient, flood, latency, openPair, percentile, type FloodResult } from './turn-load';
import { rssBytes, startCoturn, startP2pcheck, type ServerUnderTest } from './turn-servers';

const ALLOCATIONS = Number(process.env.BENCH_ALLOCATIONS ?? 10_000);
const RATES = [5_000, 10_000, 20_000, 30_000, 40_000, 60_000, 80_000, 100_000, 130_000, 160_000, 200_000];
const STEP_MS = 1500;
const PAIRS = 4;
const LATENCY_PPS = 500;
const LATENCY_COUNT = 600;

interface Figures {
  maxPpsZeroLoss: number;
  generatorBound: boolean;
  steps: FloodResult[];
  latencyP50Us: number;
  latencyP99Us: number;
  allocationsPerS: number;
  bytesPerIdleAllocation: number;
  allocationsDone: number;
}

const log = (who: string, msg: string) => console.error(`[${who}] ${msg}`);

async function latencyOf(server: ServerUnderTest, pair: [BenchClient, BenchClient]): Promise<number[]> {
  const [a, b] = pair;
  // ChannelData 0x4000 with the probe payload; it arrives as ChannelData, payload at byte 4.
  return latency((p) => a.socket.send(Buffer.concat([Buffer.from([0x40, 0, 0, p.length]), p]), server.port, '127.0.0.1'), b, LATENCY_PPS, LATENCY_COUNT, 4);
}

async function directLatency(): Promise<number[]> {
  const a = await BenchClient.open(1);
  const b = await BenchClient.open(1);
  const port = b.socket.address().port;
  const s = await latency((p) => a.socket.send(p, port, '127.0.0.1'), b, LATENCY_PPS, LATENCY_COUNT, 0);
  a.close();
  b.close();
  return s;
}

async function allocationStorm(server: ServerUnderTest): Promise<{ perS: number; bytesEach: number; done: number }> {
  await new Promise((r) => setTimeout(r, 500));
  const before = await rssBytes(server.pid);
  const clients: BenchClient[] = [];
  for (let i = 0; i < ALLOCATIONS; i++) clients.push(await BenchClient.open(server.port));
  let next = 0;
  let done = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: 200 }, async () => {
    while (next < clients.length) {
      const c = clients[next++]!;
      try {
        await c.allocate(`idle${next}`);
        done++;
      } catch {
        /* not done */
      }
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  await new Promise((r) => setTimeout(r, 2000));
  const after = await rssBytes(server.pid);
  log(server.name, `${done}/${ALLOCATIONS} allocations in ${seconds.toFixed(1)} s; RSS ${(before / 1e6).toFixed(1)} → ${(after / 1e6).toFixed(1)} MB`);
  for (const c of clients) c.close();
  return { perS: done / seconds, bytesEach: done ? (after - before) / done : NaN, done };
}

const started: ServerUnderTest[] = [];

async function main(): Promise<void> {
  const deadline = setTimeout(() => {
    console.error('bench:turn: 3-minute budget exceeded, stopping the servers and aborting');
    void Promise.all(started.map((s) => s.stop())).finally(() => process.exit(3));
  }, 180_000);
  started.push(await startP2pcheck(34900, [10000, 21999]));
  started.push(await startCoturn(34910, [22000, 33999]));
  const servers = [...started];
  const load = loadavg()[0]!;
  try {
    const figures = new Map<ServerUnderTest, Figures>();
    const pairs = new Map<ServerUnderTest, Array<[BenchClient, BenchClient]>>();
    for (const s of servers) {
      const list: Array<[BenchClient, BenchClient]> = [];
      for (let i = 0; i < PAIRS; i++) list.push(await openPair(s.port, `pps${i}`));
      pairs.set(s, list);
      figures.set(s, { maxPpsZeroLoss: 0, generatorBound: false, steps: [], latencyP50Us: NaN, latencyP99Us: NaN, allocationsPerS: NaN, bytesPerIdleAllocation: NaN, allocationsDone: 0 });
    }
    // 1. Throughput: ramp each server until its first loss, alternating servers at every step.
    const active = new Set(servers);
    for (const pps of RATES) {
      for (const s of servers) {
        if (!active.has(s)) continue;
        const f = figures.get(s)!;
        const r = await flood(pairs.get(s)!, s.port, pps, STEP_MS);
        f.steps.push(r);
        log(s.name, `target ${pps} pps: sent ${r.sentPps}/s, loss ${r.lossPct.toFixed(3)} %`);
        if (r.lossPct > 0) active.delete(s);
        else f.maxPpsZeroLoss = r.sentPps;
        if (r.sentPps < pps * 0.9) {
          f.generatorBound = true;
          active.delete(s);
        }
      }
      if (active.size === 0) break;
    }
    // 2. Latency at a fixed rate, with the direct loopback path as the baseline.
    const direct = await directLatency();
    log('direct', `one-way p50 ${percentile(direct, 50).toFixed(0)} µs, p99 ${percentile(direct, 99).toFixed(0)} µs`);
    for (const s of servers) {
      const samples = await latencyOf(s, pairs.get(s)![0]!);
      const f = figures.get(s)!;
      f.latencyP50Us = percentile(samples, 50);
      f.latencyP99Us = percentile(samples, 99);
      log(s.name, `one-way p50 ${f.latencyP50Us.toFixed(0)} µs, p99 ${f.latencyP99Us.toFixed(0)} µs (${samples.length}/${LATENCY_COUNT} samples)`);
      for (const [x, y] of pairs.get(s)!) {
        x.close();
        y.close();
      }
    }
    // 3. Allocation storm and memory per idle allocation.
    for (const s of servers) {
      const r = await allocationStorm(s);
      Object.assign(figures.get(s)!, { allocationsPerS: r.perS, bytesPerIdleAllocation: r.bytesEach, allocationsDone: r.done });
    }
    clearTimeout(deadline);
    const p = figures.get(servers[0]!)!;
    const c = figures.get(servers[1]!)!;
    const base = { p50: percentile(direct, 50), p99: percentile(direct, 99) };
    const ratio = (x: number, y: number) => (y > 0 ? (x / y).toFixed(2) : 'n/a');
    const added = (f: Figures, k: 'p50' | 'p99') => (k === 'p50' ? f.latencyP50Us - base.p50 : f.latencyP99Us - base.p99);
    const rows: Array<[string, string, string, string]> = [
      [`relayed packets/s at 0 % loss (100-byte ChannelData, ${PAIRS} pairs)`, String(p.maxPpsZeroLoss), String(c.maxPpsZeroLoss), ratio(p.maxPpsZeroLoss, c.maxPpsZeroLoss)],
      [`added latency p50, µs (${LATENCY_PPS} pps; direct loopback ${base.p50.toFixed(0)} µs)`, added(p, 'p50').toFixed(0), added(c, 'p50').toFixed(0), ratio(added(p, 'p50'), added(c, 'p50'))],
      [`added latency p99, µs (direct loopback ${base.p99.toFixed(0)} µs)`, added(p, 'p99').toFixed(0), added(c, 'p99').toFixed(0), ratio(added(p, 'p99'), added(c, 'p99'))],
      [`memory per idle allocation, bytes (${ALLOCATIONS} allocations)`, p.bytesPerIdleAllocation.toFixed(0), c.bytesPerIdleAllocation.toFixed(0), ratio(p.bytesPerIdleAllocation, c.bytesPerIdleAllocation)],
      ['allocations/s (200 in flight)', p.allocationsPerS.toFixed(0), c.allocationsPerS.toFixed(0), ratio(p.allocationsPerS, c.allocationsPerS)],
    ];
    console.log(['| metric | p2pcheck | coturn | ratio p2pcheck/coturn |', '|---|---|---|---|', ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n'));
    console.log(`\n${cpus().length} CPUs (${cpus()[0]?.model}), load average at start ${load.toFixed(1)}; load generator in this process.`);
    if (p.generatorBound || c.generatorBound) console.log('Generator-bound: the load generator could not send the next rate, so the 0 %-loss figure is a lower bound.');
    const outDir = new URL('./results/', import.meta.url).pathname;
    mkdirSync(outDir, { recursive: true });
    writeFileSync(`${outDir}turn-latest.json`, JSON.stringify({ date: new Date().toISOString(), cpus: cpus().length, loadAverage: load, direct: base, rows, p2pcheck: p, coturn: c }, null, 2));
  } finally {
    for (const s of servers) await s.stop();
  }
}

main().then(() => process.exit(0), async (err) => {
  console.error(err);
  await Promise.all(started.map((s) => s.stop()));
  process.exit(1);
});
