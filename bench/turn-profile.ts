// CPU profile of p2pcheck's TURN server on its hot paths: `npx tsx bench/turn-profile.ts [channel|peer|send|allocate]`
// (channel: allocation ↔ allocation ChannelData; peer: ChannelData to and datagrams from external peers).
// Starts the server pinned (like bench:turn) with `node --cpu-prof`, drives one workload for a few seconds from
// the other CPU, stops it and prints the functions with the most self time. Profiles stay in the printed folder.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeStunMessage } from '../turn/stun/message';
import { xorAddressAttribute } from '../turn/stun/address';
import { Attr, Method, StunClass } from '../turn/stun/constants';
import { pinProcess, pinningPlan } from './proc-stats';
import { BenchClient, openPair } from './turn-load';
import { allocationStorm, externalPeers, handOverToC } from './turn-measure';
import { startP2pcheck } from './turn-servers';
import { buildUdpFlood, cFlood } from './udp-flood';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

function topSelf(file: string, n: number): string[] {
  const prof = JSON.parse(readFileSync(file, 'utf8')) as { nodes: ProfileNode[] };
  const self = new Map<string, number>();
  let total = 0;
  for (const node of prof.nodes) {
    const hits = node.hitCount ?? 0;
    total += hits;
    const f = node.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*\/work\/main\//, '').replace(/^file:\/\//, '')}:${f.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + hits);
  }
  return [...self].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => `${((100 * v) / total).toFixed(1).padStart(5)} %  ${k}`);
}

async function main(): Promise<void> {
  const mode = process.argv[2] ?? 'channel';
  const plan = pinningPlan(cpus().length);
  if (plan) pinProcess(process.pid, plan.generator);
  const dir = mkdtempSync(join(tmpdir(), 'turn-prof-'));
  const server = await startP2pcheck(34950, [10000, 21099], plan?.server ?? null, 1, ['--cpu-prof', `--cpu-prof-dir=${dir}`]);
  try {
    if (mode === 'allocate') {
      await allocationStorm(server, 10_000);
    } else if (mode === 'peer') {
      const bin = buildUdpFlood();
      if (!bin) throw new Error('needs a C compiler (bench/udp-flood.c)');
      const flow = handOverToC({ floodBin: bin }, await externalPeers(server, { pairs: 4 }, 0));
      const r = await cFlood(bin, plan?.generator ?? null, server.port, Number(process.env.PROFILE_PPS ?? 40_000), 5000, 100, flow.tx, flow.rx);
      console.error(`peer: sent ${r.sent}, received ${r.received}`);
    } else {
      const pairs: Array<[BenchClient, BenchClient]> = [];
      for (let i = 0; i < 4; i++) pairs.push(await openPair(server.port, `prof${i}`));
      if (mode === 'channel') {
        const bin = buildUdpFlood();
        if (!bin) throw new Error('needs a C compiler (bench/udp-flood.c)');
        const tx = pairs.map(([a]) => a.socket.address().port);
        const rx = pairs.map(([, b]) => b.socket.address().port);
        for (const [a, b] of pairs) {
          a.close();
          b.close();
        }
        const r = await cFlood(bin, plan?.generator ?? null, server.port, Number(process.env.PROFILE_PPS ?? 40_000), 5000, 100, tx, rx);
        console.error(`channel: sent ${r.sent}, received ${r.received}`);
      } else {
        // Send indications from pair i's A to pair i+1's B: permissions exist (ChannelBind installed them for
        // 127.0.0.1) but B has no channel towards that A, so B gets Data indications: both directions as STUN.
        let received = 0;
        for (const [, b] of pairs) b.onData = () => received++;
        const payload = Buffer.alloc(100, 7);
        const msgs = pairs.map(([a], i) => {
          const tid = Buffer.alloc(12, 1);
          const peer = pairs[(i + 1) % pairs.length]![1].relay!;
          return { a, m: encodeStunMessage({ method: Method.send, cls: StunClass.indication, transactionId: tid, attributes: [xorAddressAttribute(Attr.xorPeerAddress, peer, tid), { type: Attr.data, value: payload }] }) };
        });
        let sent = 0;
        const until = performance.now() + 5000;
        while (performance.now() < until) {
          for (let i = 0; i < 20; i++) for (const { a, m } of msgs) (a.socket.send(m, server.port, '127.0.0.1'), sent++);
          await new Promise((r) => setTimeout(r, 2));
        }
        await new Promise((r) => setTimeout(r, 500));
        console.error(`send: sent ${sent}, received ${received}`);
        for (const [a, b] of pairs) {
          a.close();
          b.close();
        }
      }
    }
  } finally {
    await server.stop();
  }
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no profile written in ${dir}`);
  console.log(`${mode}: ${join(dir, file)}`);
  console.log(topSelf(join(dir, file), 35).join('\n'));
}

main().then(() => process.exit(0), (err) => {
  console.error(err);
  process.exit(1);
});
