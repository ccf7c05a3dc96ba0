// Signaling relay latency: one node (rooms in memory) vs two nodes on one Redis (REDIS_URL).
// 2,000 sockets in 1,000 two-person rooms; in each room one peer sends timestamped messages to the other; we
// measure send → receive latency, p50/p99: one node (same-node), two nodes with both peers on the same node
// (same-node through the cluster code) and with the peers on different nodes (cross-node, through Redis).
// Usage: npx tsx scripts/bench-signaling.ts [rooms=1000] [messagesPerRoom=5] [inFlight=20]
// inFlight: rooms relaying at the same moment (all 2,000 sockets stay open); a large value measures queueing in
// the one event loop rather than relay latency.
// Needs redis-server on PATH; starts it on a private port and stops it. Servers and clients share this process
// (one event loop), so figures include client-side work: compare the rows with each other, not with production.
// Ends with same-node and cross-node side by side: p50, p99, the cross/same p99 ratio against the issue's targets
// (cross-node p99 within 2× of same-node, and at most 20 ms), and the load average before and after.
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { WebSocket } from 'ws';
import { startApp, type RunningApp } from '../signal/app';
import { startTestRedis } from '../signal/reports/test-redis';

const ROOMS = Number(process.argv[2] ?? 1000);
const PER_ROOM = Number(process.argv[3] ?? 5);
const IN_FLIGHT = Number(process.argv[4] ?? 20);

const staticDirs: string[] = [];

async function node(extra: NodeJS.ProcessEnv): Promise<RunningApp> {
  const staticDir = mkdtempSync(join(tmpdir(), 'p2pcheck-bench-'));
  staticDirs.push(staticDir);
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html>');
  return startApp({
    HOST: '127.0.0.1', PORT: '0', STATIC_DIR: staticDir, LOG_LEVEL: 'silent', TURN_ENABLED: 'false',
    WS_MAX_PER_CLIENT: '0', WS_MESSAGES_PER_SECOND: '1000', WS_MESSAGE_BURST: '1000', ...extra,
  });
}

interface Peer { ws: WebSocket; onMessage: (m: { type: string; [k: string]: unknown }) => void }

async function open(app: RunningApp): Promise<Peer> {
  const ws = new WebSocket(`ws://127.0.0.1:${app.httpPort}/ws`);
  const peer: Peer = { ws, onMessage: () => {} };
  ws.on('message', (d) => peer.onMessage(JSON.parse(String(d)) as { type: string }));
  await once(ws, 'open');
  return peer;
}

function next(peer: Peer, type: string): Promise<{ type: string; [k: string]: unknown }> {
  return new Promise((resolve) => {
    peer.onMessage = (m) => {
      if (m.type === type) resolve(m);
    };
  });
}

interface Row { label: string; p50: number; p99: number; cpuUs: number }

async function run(label: string, nodeOfA: RunningApp, nodeOfB: RunningApp): Promise<Row> {
  const pairs: [Peer, Peer][] = [];
  for (let r = 0; r < ROOMS; r += 100) {
    const batch = await Promise.all(Array.from({ length: Math.min(100, ROOMS - r) }, async (_, i) => {
      const roomId = `benchroom${label.replace(/\W/g, '')}${String(r + i).padStart(6, '0')}`.padEnd(22, 'x');
      const a = await open(nodeOfA);
      const joinedA = next(a, 'joined');
      a.ws.send(JSON.stringify({ type: 'join', roomId }));
      await joinedA;
      const b = await open(nodeOfB);
      const joinedB = next(b, 'joined');
      b.ws.send(JSON.stringify({ type: 'join', roomId }));
      await joinedB;
      return [a, b] as [Peer, Peer];
    }));
    pairs.push(...batch);
  }
  const samples: number[] = [];
  // CPU per relayed message (servers and clients together): steadier than latency on a shared machine.
  const cpu0 = process.cpuUsage();
  for (let k = 0; k < PER_ROOM; k++) {
    // At most IN_FLIGHT rooms relay at once, one message per room in flight.
    for (let i = 0; i < pairs.length; i += IN_FLIGHT) {
      await Promise.all(pairs.slice(i, i + IN_FLIGHT).map(async ([a, b]) => {
        const got = next(b, 'description');
        const t0 = performance.now();
        a.ws.send(JSON.stringify({ type: 'description', description: { type: 'offer', sdp: `v=0\r\no=- ${k} 0 IN IP4 0.0.0.0\r\n` } }));
        await got;
        samples.push(performance.now() - t0);
      }));
    }
  }
  const cpu = process.cpuUsage(cpu0);
  const cpuPerMessage = (cpu.user + cpu.system) / samples.length;
  samples.sort((x, y) => x - y);
  const q = (p: number) => samples[Math.min(samples.length - 1, Math.floor(p * samples.length))]!;
  console.log(`${label.padEnd(34)} sockets ${pairs.length * 2}  messages ${samples.length}  p50 ${q(0.5).toFixed(2)} ms  p99 ${q(0.99).toFixed(2)} ms  CPU ${cpuPerMessage.toFixed(0)} µs/message`);
  for (const [a, b] of pairs) {
    a.ws.terminate();
    b.ws.terminate();
  }
  return { label, p50: q(0.5), p99: q(0.99), cpuUs: cpuPerMessage };
}

/** Same-node and cross-node side by side, with the issue's targets. */
function summary(one: Row, same: Row, cross: Row, loadBefore: number[], loadAfter: number[]): string {
  const ms = (x: number) => `${x.toFixed(2)} ms`;
  const ratio = cross.p99 / same.p99;
  const load = (l: number[]) => l.map((x) => x.toFixed(1)).join(' ');
  return [
    '',
    `${''.padEnd(34)} ${'p50'.padStart(10)} ${'p99'.padStart(10)} ${'CPU/msg'.padStart(10)}`,
    ...[one, same, cross].map((r) => `${r.label.padEnd(34)} ${ms(r.p50).padStart(10)} ${ms(r.p99).padStart(10)} ${`${r.cpuUs.toFixed(0)} µs`.padStart(10)}`),
    '',
    `p99 same-node ${ms(same.p99)} | cross-node ${ms(cross.p99)} | cross/same ${ratio.toFixed(2)}× (target ≤ 2×: ${ratio <= 2 ? 'met' : 'NOT met'}) | cross-node ≤ 20 ms: ${cross.p99 <= 20 ? 'met' : 'NOT met'}`,
    `rooms ${ROOMS}, messages per room ${PER_ROOM}, in flight ${IN_FLIGHT}; load average before ${load(loadBefore)}, after ${load(loadAfter)} (${process.platform}, Node ${process.version})`,
  ].join('\n');
}

async function main(): Promise<void> {
  for (const [name, value] of [['rooms', ROOMS], ['messagesPerRoom', PER_ROOM], ['inFlight', IN_FLIGHT]] as const) {
    if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got ${value} (usage: npx tsx scripts/bench-signaling.ts [rooms=1000] [messagesPerRoom=5] [inFlight=20])`);
  }
  const loadBefore = loadavg();
  const redis = await startTestRedis();
  try {
    const single = await node({});
    const one = await run('one node (in memory)', single, single);
    await single.close();
    const env = { REDIS_URL: redis.url };
    const [n1, n2] = [await node(env), await node(env)];
    const same = await run('two nodes on Redis, same node', n1, n1);
    const cross = await run('two nodes on Redis, cross-node', n1, n2);
    await n1.close();
    await n2.close();
    console.log(summary(one, same, cross, loadBefore, loadavg()));
  } finally {
    await redis.stop();
    for (const dir of staticDirs) rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
