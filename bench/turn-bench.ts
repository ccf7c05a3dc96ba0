// `npm run bench:turn`: the same load generator against p2pcheck's TURN server and coturn on loopback, in one
// run. The server under test is pinned to one CPU and the generator to another (taskset), both servers get the
// same CPU; each server is measured in BENCH_ROUNDS rounds (fresh process each, order alternating) and the
// report gives the median with the spread, and marks figures the generator (not the server) limited.
// BENCH_CPUS=all runs nothing pinned instead: both servers may use every CPU (p2pcheck with one worker thread per
// CPU, coturn with its default threads), sharing them with the generator — the multi-core comparison.
// Bounded to 5 minutes. Results: bench/results/turn-latest.json (turn-all-cpus.json). Methodology: docs/turn-server.md.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { execFileSync } from 'node:child_process';
import { median, pinProcess, pinningPlan } from './proc-stats';
import { directLatency, measureRound, type RoundResult, type Setup, type Step } from './turn-measure';
import { startCoturn, startP2pcheck, type ServerUnderTest } from './turn-servers';
import { buildUdpFlood } from './udp-flood';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const MAX_PPS = Number(process.env.BENCH_MAX_PPS ?? 400_000);
const BUDGET_MS = 295_000;
const RELAY: Record<ServerUnderTest['name'], [number, number]> = { p2pcheck: [10000, 21099], coturn: [21100, 32199] };
const PORT: Record<ServerUnderTest['name'], number> = { p2pcheck: 34900, coturn: 34910 };
const only = process.env.BENCH_ONLY as ServerUnderTest['name'] | undefined;
const ALL_CPUS = process.env.BENCH_CPUS === 'all';
if (process.env.BENCH_CPUS && !['all', 'pinned'].includes(process.env.BENCH_CPUS)) throw new Error('BENCH_CPUS must be pinned (default) or all');
/** p2pcheck's worker threads: one when pinned to one CPU; one per CPU (or BENCH_WORKERS) with BENCH_CPUS=all. */
const WORKERS = Number(process.env.BENCH_WORKERS ?? (ALL_CPUS ? cpus().length : 1));

const started = new Set<ServerUnderTest>();

async function start(name: ServerUnderTest['name'], cpu: number | null): Promise<ServerUnderTest> {
  const s = name === 'p2pcheck' ? await startP2pcheck(PORT[name], RELAY[name], cpu, WORKERS) : await startCoturn(PORT[name], RELAY[name], cpu);
  started.add(s);
  return s;
}

async function stop(s: ServerUnderTest): Promise<void> {
  await s.stop();
  started.delete(s);
}

interface Summary {
  median: number;
  min: number;
  max: number;
  n: number;
}

function summarize(xs: number[]): Summary {
  const ok = xs.filter(Number.isFinite);
  return { median: median(ok), min: Math.min(...ok), max: Math.max(...ok), n: ok.length };
}

const fmt = (s: Summary, digits = 0) => (s.n === 0 ? 'n/a' : `${s.median.toFixed(digits)} (${s.min.toFixed(digits)}–${s.max.toFixed(digits)})`);
const ratio = (a: Summary, b: Summary) => (b.median > 0 && Number.isFinite(a.median) ? (a.median / b.median).toFixed(2) : 'n/a');

function version(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).split('\n')[0]!.trim();
  } catch {
    return 'unknown';
  }
}

async function main(): Promise<void> {
  const deadline = setTimeout(() => {
    console.error('bench:turn: 5-minute budget exceeded, stopping the servers and aborting');
    void Promise.all([...started].map((s) => s.stop())).finally(() => process.exit(3));
  }, BUDGET_MS);
  const plan = ALL_CPUS ? null : pinningPlan(cpus().length);
  if (plan) pinProcess(process.pid, plan.generator);
  else if (!ALL_CPUS) console.error('bench:turn: not pinned (one CPU or no taskset): server and generator share the CPU, figures are indicative only');
  const floodBin = buildUdpFlood();
  if (!floodBin) console.error('bench:turn: no C compiler, using the Node generator (tops out near 50k packets/s: expect generator-bound figures)');
  const setup: Setup = {
    floodBin,
    generatorCpu: plan?.generator ?? null,
    serverCpu: plan?.server ?? null,
    allocations: Number(process.env.BENCH_ALLOCATIONS ?? 10_000),
    pairs: Number(process.env.BENCH_PAIRS ?? (ALL_CPUS ? 16 : 4)),
    payloadBytes: 100,
    stepMs: 1000,
    latencyPps: 500,
    latencyCount: 1000,
  };
  const load = loadavg()[0]!;
  const names: Array<ServerUnderTest['name']> = only ? [only] : ['p2pcheck', 'coturn'];
  const rounds: RoundResult[] = [];
  const direct: Array<{ p50: number; p99: number }> = [];
  for (let r = 1; r <= ROUNDS; r++) {
    direct.push(await directLatency(setup));
    const order = r % 2 === 1 ? names : [...names].reverse();
    for (const name of order) {
      const server = await start(name, plan?.server ?? null);
      try {
        rounds.push(await measureRound(server, setup, r, RELAY[name], MAX_PPS));
      } finally {
        await stop(server);
      }
    }
  }
  clearTimeout(deadline);

  const base = { p50: summarize(direct.map((d) => d.p50)), p99: summarize(direct.map((d) => d.p99)) };
  const of = (name: string) => rounds.filter((x) => x.server === name);
  const stat = (name: string, pick: (x: RoundResult) => number) => summarize(of(name).map(pick));
  const limits = (name: string, pick: (x: RoundResult) => string) => {
    const l = of(name).map(pick);
    const g = l.filter((x) => x === 'generator').length;
    return g === 0 ? '' : ` [generator-bound in ${g}/${l.length}]`;
  };
  const metrics: Array<{ name: string; pick: (x: RoundResult) => number; limit?: (x: RoundResult) => string }> = [
    { name: `relayed packets/s at 0 % loss, allocation ↔ allocation (${setup.payloadBytes}-byte ChannelData, ${setup.pairs} pairs)`, pick: (x) => x.maxPpsZeroLoss, limit: (x) => x.throughputLimit },
    { name: 'server CPU per relayed packet at that rate, µs (lower is better)', pick: (x) => lastClean(x.steps, x.maxPpsZeroLoss)?.serverUsPerPacket ?? NaN },
    { name: `relayed packets/s at 0 % loss, client ↔ external peer (${setup.pairs} clients, half each way)`, pick: (x) => x.peerMaxPpsZeroLoss, limit: (x) => x.peerThroughputLimit },
    { name: 'server CPU per relayed packet at that rate, µs', pick: (x) => lastClean(x.peerSteps, x.peerMaxPpsZeroLoss)?.serverUsPerPacket ?? NaN },
    { name: `added latency p50, µs (${setup.latencyPps} pps; direct loopback ${base.p50.median.toFixed(0)} µs)`, pick: (x) => x.latencyP50Us - direct[x.round - 1]!.p50 },
    { name: `added latency p99, µs (direct loopback ${base.p99.median.toFixed(0)} µs)`, pick: (x) => x.latencyP99Us - direct[x.round - 1]!.p99 },
    { name: `memory per idle allocation, bytes (${setup.allocations} allocations)`, pick: (x) => x.bytesPerIdleAllocation },
    { name: 'allocations/s (200 in flight)', pick: (x) => x.allocationsPerS, limit: (x) => x.allocationLimit },
  ];
  const [p, c] = ['p2pcheck', 'coturn'];
  const rows = metrics.map((m) => {
    const a = stat(p, m.pick);
    const b = stat(c, m.pick);
    return {
      metric: m.name,
      p2pcheck: fmt(a, m.name.startsWith('server CPU') ? 1 : 0) + (m.limit ? limits(p, m.limit) : ''),
      coturn: fmt(b, m.name.startsWith('server CPU') ? 1 : 0) + (m.limit ? limits(c, m.limit) : ''),
      ratio: ratio(a, b),
      summary: { p2pcheck: a, coturn: b },
    };
  });
  console.log('| metric | p2pcheck median (min–max) | coturn median (min–max) | ratio of medians |');
  console.log('|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.metric} | ${r.p2pcheck} | ${r.coturn} | ${r.ratio} |`);
  for (const name of names) {
    const loads = of(name).flatMap((x) => [...x.steps, ...x.peerSteps].map((st) => st.otherLoad));
    const o = summarize(loads);
    if (o.n) console.log(`${name}: other work on the server's CPU during rate steps: median ${(o.median * 100).toFixed(0)} %, max ${(o.max * 100).toFixed(0)} %`);
  }
  const machine = `${cpus().length} CPUs (${cpus()[0]?.model}), load average at start ${load.toFixed(1)}, ${version(process.execPath, ['--version'])}, ${version('/usr/bin/turnserver', ['--version']).replace(/^Coturn-/, 'coturn ')}`;
  const pinning = plan
    ? `server under test pinned to CPU ${plan.server}, generator to CPU ${plan.generator}`
    : `not pinned: servers and generator share all ${cpus().length} CPUs; p2pcheck TURN_WORKERS=${WORKERS}, coturn default threads`;
  console.log(`\n${machine}; ${pinning}; ${ROUNDS} rounds; generator: ${floodBin ? 'bench/udp-flood.c (sendmmsg/recvmmsg)' : 'Node dgram'}.`);
  const outDir = new URL('./results/', import.meta.url).pathname;
  mkdirSync(outDir, { recursive: true });
  writeFileSync(`${outDir}${ALL_CPUS ? 'turn-all-cpus.json' : 'turn-latest.json'}`, JSON.stringify({
    date: new Date().toISOString(), machine, pinning, workers: WORKERS, rounds: ROUNDS, generator: floodBin ? 'udp-flood.c' : 'node', loadAverage: load,
    setup: { ...setup, floodBin: undefined }, direct, rows, perRound: rounds,
  }, null, 2));
}

function lastClean(steps: Step[], pps: number) {
  return [...steps].reverse().find((s) => s.limit === 'none' && s.sentPps === pps);
}

main().then(() => process.exit(0), async (err) => {
  console.error(err);
  await Promise.all([...started].map((s) => s.stop()));
  process.exit(1);
});
