// The lab's DNS responder on its sockets (UDP and TCP port 53 of one address), the core in lab-dns.ts.
// `startLabDns()` runs it inside the lab's internet namespace; labDown() ends it with every other process there.
import { spawn, spawnSync } from 'node:child_process';
import { openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSocket } from 'node:dgram';
import { createServer, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { answerQuery, type DnsZone } from './lab-dns';

/** A query over TCP is at most this long (RFC 1035 §4.2.2 frames up to 65535; ours are a few dozen bytes). */
const MAX_TCP_BUFFER = 4096;
const TCP_IDLE_MS = 10_000;

/** Serves `zone` on UDP and TCP `address`:53; resolves once both listen. Malformed input is dropped. */
export async function serveLabDns(address: string, zone: DnsZone): Promise<{ close(): void }> {
  const udp = createSocket(address.includes(':') ? 'udp6' : 'udp4');
  udp.on('error', (err) => console.error(`[lab-dns] udp: ${err.message}`));
  udp.on('message', (msg, from) => {
    const answer = answerQuery(msg, zone);
    if (answer) udp.send(answer, from.port, from.address);
  });
  const tcp = createServer((socket: Socket) => {
    let buffered = Buffer.alloc(0);
    socket.setTimeout(TCP_IDLE_MS, () => socket.destroy());
    socket.on('error', () => socket.destroy());
    socket.on('data', (chunk) => {
      buffered = Buffer.concat([buffered, chunk]);
      if (buffered.length > MAX_TCP_BUFFER) return void socket.destroy();
      while (buffered.length >= 2 && buffered.length >= 2 + buffered.readUInt16BE(0)) {
        const len = buffered.readUInt16BE(0);
        const answer = answerQuery(buffered.subarray(2, 2 + len), zone);
        buffered = buffered.subarray(2 + len);
        if (!answer) return void socket.destroy();
        const framed = Buffer.alloc(2 + answer.length);
        framed.writeUInt16BE(answer.length, 0);
        framed.set(answer, 2);
        socket.write(framed);
      }
    });
  });
  tcp.on('error', (err) => console.error(`[lab-dns] tcp: ${err.message}`));
  await Promise.all([
    new Promise<void>((resolve, reject) => udp.once('error', reject).bind(53, address, () => resolve())),
    new Promise<void>((resolve, reject) => tcp.once('error', reject).listen(53, address, () => resolve())),
  ]);
  return {
    close() {
      udp.close();
      tcp.close();
    },
  };
}

const MAIN = fileURLToPath(new URL('./lab-dns-main.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Its output ("ready", errors): a file, as it outlives whoever started it; /tmp/p2l-* goes with the lab. */
export const LAB_DNS_LOG = join(tmpdir(), 'p2l-dns.log');

/** Starts the responder in namespace `ns`, detached: it lives as long as the lab (labDown() kills every process
 * in the lab's namespaces). Returns at once; `labDnsProblem()` says whether it answers. */
export function launchLabDns(ns: string, address: string, zone: DnsZone): void {
  const out = openSync(LAB_DNS_LOG, 'w');
  const child = spawn('ip', ['netns', 'exec', ns, process.execPath, '--import', 'tsx', MAIN, address, JSON.stringify(zone)], {
    cwd: ROOT,
    stdio: ['ignore', out, out],
    detached: true,
  });
  child.unref();
}

/** Null when a lookup of `name` from namespace `ns` (through its resolv.conf, not its hosts file) gives
 * `address`, else what happened — retried for up to `waitMs` while the responder starts. */
export async function labDnsProblem(ns: string, name: string, address: string, waitMs = 0): Promise<string | null> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    // c-ares (dns.resolve4) asks the name servers of /etc/resolv.conf, which `ip netns exec` bind-mounts.
    const r = spawnSync('ip', ['netns', 'exec', ns, process.execPath, '-e',
      `require('dns').promises.resolve4(${JSON.stringify(name)}).then((a) => console.log(a.join(',')), (e) => { console.log(e.code); process.exitCode = 1; })`], { encoding: 'utf8', timeout: 10_000 });
    const got = (r.stdout ?? '').trim();
    if (got === address) return null;
    if (Date.now() > deadline) {
      let log = '';
      try {
        log = readFileSync(LAB_DNS_LOG, 'utf8').trim().slice(-500);
      } catch {
        // no log
      }
      return `${name} from ${ns} over DNS: "${got || r.error?.message || 'nothing'}", want ${address}${log ? ` (lab DNS log: ${log})` : ''}`;
    }
    await new Promise((res) => setTimeout(res, 300));
  }
}
