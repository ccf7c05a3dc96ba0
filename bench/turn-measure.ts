// One round of measurements against one server under test: allocation storm (allocations/s, memory per idle
// allocation), relayed packets/s at 0 % loss (rate search), one-way latency at a fixed rate. Each figure says
// whether the server or the load generator was the limit, from CPU time and per-socket drop counters.
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { BenchClient, flood, latency, openPair, percentile } from './turn-load';
import { cpuJiffies, cpuSeconds, dropsBetween, interference, rssBytes, udpDropsByPort } from './proc-stats';
import type { ServerUnderTest } from './turn-servers';
import { cFlood, cLatency } from './udp-flood';

export interface Setup {
  /** Compiled bench/udp-flood.c, or null for the (slower) Node generator. */
  floodBin: string | null;
  generatorCpu: number | null;
  /** CPU the server under test is pinned to (for the interference measurement). */
  serverCpu: number | null;
  allocations: number;
  pairs: number;
  payloadBytes: number;
  stepMs: number;
  latencyPps: number;
  latencyCount: number;
}

export type Limit = 'server' | 'generator' | 'unclear' | 'none';

export interface Step {
  targetPps: number;
  sentPps: number;
  lossPct: number;
  /** Server CPU time ÷ wall time of the step, drain included (1.0 = its one CPU fully busy). */
  serverCpu: number;
  /** Server CPU time per relayed packet, µs (each packet: client → relay → peer relay → client). */
  serverUsPerPacket: number;
  /** Generator CPU time ÷ send time (the C generator's own share; loopback softirq work not included). */
  generatorCpu: number;
  serverDrops: number;
  generatorDrops: number;
  /** Share of the server's CPU used by other processes/softirq work, and stolen by the hypervisor, during the step. */
  otherLoad: number;
  steal: number;
  limit: Limit;
}

export interface RoundResult {
  server: ServerUnderTest['name'];
  round: number;
  maxPpsZeroLoss: number;
  /** What stopped the rate search: the server (a real figure) or the generator (a lower bound). */
  throughputLimit: Limit;
  steps: Step[];
  /** Same search with an external peer (one allocation ↔ a plain UDP socket, both directions). */
  peerMaxPpsZeroLoss: number;
  peerThroughputLimit: Limit;
  peerSteps: Step[];
  latencyP50Us: number;
  latencyP99Us: number;
  latencySamples: number;
  allocationsPerS: number;
  allocationsDone: number;
  allocationGeneratorCpu: number;
  allocationServerCpu: number;
  allocationLimit: Limit;
  bytesPerIdleAllocation: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (who: string, msg: string) => console.error(`[${who}] ${msg}`);

/** 401 challenge + authenticated Allocate, `n` times with 200 in flight; RSS before and after. */
export async function allocationStorm(server: ServerUnderTest, n: number): Promise<Pick<RoundResult, 'allocationsPerS' | 'allocationsDone' | 'allocationGeneratorCpu' | 'allocationServerCpu' | 'allocationLimit' | 'bytesPerIdleAllocation'>> {
  await sleep(500);
  const before = await rssBytes(server.pid);
  const clients: BenchClient[] = [];
  for (let i = 0; i < n; i++) clients.push(await BenchClient.open(server.port));
  let next = 0;
  let done = 0;
  const cpu0 = process.cpuUsage();
  const srv0 = await cpuSeconds(server.pid);
  const started = performance.now();
  await Promise.all(Array.from({ length: 200 }, async () => {
    while (next < clients.length) {
      const c = clients[next++]!;
      try {
        await c.allocate(`idle${next}`);
        done++;
      } catch {
        /* counted as not done */
      }
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const generatorCpu = (cpu.user + cpu.system) / 1e6 / seconds;
  const serverCpu = ((await cpuSeconds(server.pid)) - srv0) / seconds;
  for (const c of clients) c.close();
  await sleep(2000);
  const after = await rssBytes(server.pid);
  const limit: Limit = generatorCpu > 0.9 ? 'generator' : serverCpu > 0.9 ? 'server' : 'unclear';
  log(server.name, `${done}/${n} allocations in ${seconds.toFixed(1)} s (${(done / seconds).toFixed(0)}/s; server CPU ${pct(serverCpu)}, generator CPU ${pct(generatorCpu)}); RSS ${(before / 1e6).toFixed(1)} → ${(after / 1e6).toFixed(1)} MB`);
  return { allocationsPerS: done / seconds, allocationsDone: done, allocationGeneratorCpu: generatorCpu, allocationServerCpu: serverCpu, allocationLimit: limit, bytesPerIdleAllocation: done ? (after - before) / done : NaN };
}

const pct = (x: number) => `${Math.round(x * 100)} %`;

/** Traffic through the server: C generator ports (a tx entry may carry its own destination, `src:dst`). */
interface Flow {
  tx: string[];
  rx: number[];
  /** Node sockets: closed before the C generator binds their ports, or used by the Node generator. */
  clients: BenchClient[];
  nodePairs: Array<[BenchClient, BenchClient]>;
}

/** Two allocations relaying to each other (channel 0x4000 both ways): A → server → B, both clients of the server. */
async function allocationPairs(server: ServerUnderTest, setup: Setup, round: number): Promise<Flow> {
  const nodePairs: Array<[BenchClient, BenchClient]> = [];
  for (let i = 0; i < setup.pairs; i++) nodePairs.push(await openPair(server.port, `r${round}pps${i}`));
  const tx = nodePairs.map(([a]) => String(a.socket.address().port));
  const rx = nodePairs.map(([, b]) => b.socket.address().port);
  return { tx, rx, clients: nodePairs.flat(), nodePairs };
}

/**
 * One allocation per pair with a channel to a plain UDP peer outside the server; the client sends ChannelData to
 * the peer and the peer sends plain datagrams to the relayed address, half the packets each way.
 */
export async function externalPeers(server: ServerUnderTest, setup: Pick<Setup, 'pairs'>, round: number): Promise<Flow> {
  const tx: string[] = [];
  const rx: number[] = [];
  const clients: BenchClient[] = [];
  for (let i = 0; i < setup.pairs; i++) {
    const a = await BenchClient.open(server.port);
    const peer = await BenchClient.open(server.port);
    clients.push(a, peer);
    await a.allocate(`r${round}peer${i}`);
    const peerPort = peer.socket.address().port;
    await a.bindChannel(0x4000, { family: 4, address: '127.0.0.1', port: peerPort });
    const aPort = a.socket.address().port;
    tx.push(String(aPort), `${peerPort}:${a.relay!.port}`);
    rx.push(peerPort, aPort);
  }
  return { tx, rx, clients, nodePairs: [] };
}

/** The allocations live on (UDP has no connection); the C generator binds the same 5-tuples again. */
export function handOverToC(setup: Pick<Setup, 'floodBin'>, flow: Flow): Flow {
  if (!setup.floodBin) return flow;
  for (const c of flow.clients) c.close();
  return { ...flow, clients: [], nodePairs: [] };
}

async function floodStep(server: ServerUnderTest, setup: Setup, pairs: Flow, pps: number, isServerPort: (p: number) => boolean): Promise<Step> {
  const drops0 = await udpDropsByPort();
  const srv0 = await cpuSeconds(server.pid);
  const jiffies0 = setup.serverCpu === null ? null : await cpuJiffies(setup.serverCpu);
  const wall0 = performance.now();
  let sent: number, received: number, seconds: number, generatorCpu: number;
  if (setup.floodBin) {
    const r = await cFlood(setup.floodBin, setup.generatorCpu, server.port, pps, setup.stepMs, setup.payloadBytes, pairs.tx, pairs.rx);
    ({ sent, received, seconds, generatorCpu } = r);
  } else {
    const cpu0 = process.cpuUsage();
    const r = await flood(pairs.nodePairs, server.port, pps, setup.stepMs, setup.payloadBytes);
    const cpu = process.cpuUsage(cpu0);
    ({ sent, received } = r);
    seconds = setup.stepMs / 1000;
    generatorCpu = (cpu.user + cpu.system) / 1e6 / seconds;
  }
  const serverCpuS = (await cpuSeconds(server.pid)) - srv0;
  const serverCpu = serverCpuS / ((performance.now() - wall0) / 1000);
  const serverUsPerPacket = received ? (serverCpuS * 1e6) / received : NaN;
  const noise = jiffies0 && setup.serverCpu !== null ? interference(jiffies0, await cpuJiffies(setup.serverCpu), serverCpuS) : { others: NaN, steal: NaN };
  const drops1 = await udpDropsByPort();
  const genPorts = new Set([...pairs.tx.map((t) => Number(t.split(':')[0])), ...pairs.rx]);
  const serverDrops = dropsBetween(drops0, drops1, isServerPort);
  const generatorDrops = dropsBetween(drops0, drops1, (p) => genPorts.has(p));
  const sentPps = Math.round(sent / seconds);
  const lossPct = sent ? (100 * (sent - received)) / sent : 0;
  let limit: Limit = 'none';
  if (lossPct > 0 || sentPps < pps * 0.95) {
    // The generator is the limit when it could not send the rate or dropped on its own receiving sockets.
    if (sentPps < pps * 0.95 || generatorDrops > 0) limit = 'generator';
    else if (serverDrops > 0 || serverCpu > 0.9) limit = 'server';
    else limit = 'unclear';
  }
  log(server.name, `target ${pps} pps: sent ${sentPps}/s, loss ${lossPct.toFixed(3)} %, server CPU ${pct(serverCpu)}, ${serverUsPerPacket.toFixed(1)} µs/packet (drops ${serverDrops}), generator CPU ${pct(generatorCpu)} (drops ${generatorDrops}), others on server CPU ${pct(noise.others)}, steal ${pct(noise.steal)}${limit === 'none' ? '' : `, limit: ${limit}`}`);
  return { targetPps: pps, sentPps, lossPct, serverCpu, serverUsPerPacket, generatorCpu, serverDrops, generatorDrops, otherLoad: noise.others, steal: noise.steal, limit };
}

/** Geometric ramp until the first lossy step, then two bisections between the last clean and the first lossy rate. */
async function searchMaxPps(server: ServerUnderTest, setup: Setup, pairs: Flow, isServerPort: (p: number) => boolean, maxPps: number) {
  const steps: Step[] = [];
  let good = 0;
  let goodTarget = 0;
  let bad: Step | null = null;
  for (let pps = 10_000; pps <= maxPps; pps = Math.round(pps * 1.6)) {
    const s = await floodStep(server, setup, pairs, pps, isServerPort);
    steps.push(s);
    if (s.limit !== 'none') {
      bad = s;
      break;
    }
    good = s.sentPps;
    goodTarget = pps;
  }
  if (bad && bad.limit !== 'generator' && goodTarget > 0) {
    let lo = goodTarget;
    let hi = bad.targetPps;
    for (let i = 0; i < 2; i++) {
      const mid = Math.round((lo + hi) / 2);
      const s = await floodStep(server, setup, pairs, mid, isServerPort);
      steps.push(s);
      if (s.limit === 'none') {
        lo = mid;
        good = s.sentPps;
      } else {
        hi = mid;
        bad = s;
      }
    }
  }
  const limit: Limit = bad ? bad.limit : 'generator'; // no loss up to the generator's top rate: a lower bound
  return { maxPpsZeroLoss: good, throughputLimit: limit, steps };
}

async function freePort(): Promise<number> {
  const s = createSocket('udp4');
  s.bind(0, '127.0.0.1');
  await once(s, 'listening');
  const port = s.address().port;
  s.close();
  return port;
}

/** One-way latency of the direct loopback path, measured the same way (the baseline to subtract). */
export async function directLatency(setup: Setup): Promise<{ p50: number; p99: number }> {
  if (setup.floodBin) {
    const tx = await freePort();
    const rx = await freePort();
    const r = await cLatency(setup.floodBin, setup.generatorCpu, rx, setup.latencyPps, setup.latencyCount, setup.payloadBytes, tx, rx);
    return { p50: r.p50Us!, p99: r.p99Us! };
  }
  const a = await BenchClient.open(1);
  const b = await BenchClient.open(1);
  const port = b.socket.address().port;
  const s = await latency((p) => a.socket.send(p, port, '127.0.0.1'), b, setup.latencyPps, setup.latencyCount, 0);
  a.close();
  b.close();
  return { p50: percentile(s, 50), p99: percentile(s, 99) };
}

async function relayLatency(server: ServerUnderTest, setup: Setup, pairs: Flow): Promise<{ p50: number; p99: number; samples: number }> {
  if (setup.floodBin) {
    const r = await cLatency(setup.floodBin, setup.generatorCpu, server.port, setup.latencyPps, setup.latencyCount, setup.payloadBytes, Number(pairs.tx[0]), pairs.rx[0]!);
    return { p50: r.p50Us!, p99: r.p99Us!, samples: r.samples! };
  }
  const [a, b] = pairs.nodePairs[0]!;
  // The probe payload arrives as ChannelData: payload at byte 4.
  const s = await latency((p) => a.socket.send(Buffer.concat([Buffer.from([0x40, 0, 0, p.length]), p]), server.port, '127.0.0.1'), b, setup.latencyPps, setup.latencyCount, 4);
  return { p50: percentile(s, 50), p99: percentile(s, 99), samples: s.length };
}

export async function measureRound(server: ServerUnderTest, setup: Setup, round: number, relayRange: [number, number], maxPps: number): Promise<RoundResult> {
  // Flows first, their sockets held open through the storm: a storm client must not reuse a flow's 5-tuple.
  const openedPairs = await allocationPairs(server, setup, round);
  const openedPeers = setup.floodBin ? await externalPeers(server, setup, round) : null;
  const storm = await allocationStorm(server, setup.allocations);
  const pairs = handOverToC(setup, openedPairs);
  const peers = openedPeers && handOverToC(setup, openedPeers);
  const isServerPort = (p: number) => p === server.port || (p >= relayRange[0] && p <= relayRange[1]);
  const search = await searchMaxPps(server, setup, pairs, isServerPort, maxPps);
  log(server.name, `allocation ↔ allocation: max ${search.maxPpsZeroLoss} pps at 0 % loss (limit: ${search.throughputLimit})`);
  const peer = peers ? await searchMaxPps(server, setup, peers, isServerPort, maxPps) : null;
  if (peer) log(server.name, `client ↔ external peer: max ${peer.maxPpsZeroLoss} pps at 0 % loss (limit: ${peer.throughputLimit})`);
  const lat = await relayLatency(server, setup, pairs);
  log(server.name, `one-way p50 ${lat.p50.toFixed(0)} µs, p99 ${lat.p99.toFixed(0)} µs (${lat.samples}/${setup.latencyCount})`);
  for (const c of pairs.clients) c.close();
  return {
    server: server.name, round, ...search,
    peerMaxPpsZeroLoss: peer?.maxPpsZeroLoss ?? NaN, peerThroughputLimit: peer?.throughputLimit ?? 'unclear', peerSteps: peer?.steps ?? [],
    latencyP50Us: lat.p50, latencyP99Us: lat.p99, latencySamples: lat.samples, ...storm,
  };
}
