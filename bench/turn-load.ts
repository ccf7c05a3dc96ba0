// The Node side of the load generator, shared by both servers: TURN clients on UDP sockets (allocations, channel
// bindings, the allocation storm), plus Node ChannelData floods and latency probes, used only when
// bench/udp-flood.c cannot be built. Same code, same packets for p2pcheck and coturn.
import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { createRestCredential } from '../turn/auth/rest-credentials';
import { encodeChannelData } from '../turn/stun/channel-data';
import { Method } from '../turn/stun/constants';
import type { FamilyAddress } from '../common/net/transport-address';
import { allocateRequest, channelBindRequest, parseMessage, type Credentials } from '../turn/testing/client-messages';
import { BENCH_SECRET } from './turn-servers';

export class BenchClient {
  private pending = new Map<string, (m: Buffer) => void>();
  onData: ((m: Buffer) => void) | null = null;
  creds: Credentials | null = null;
  relay: FamilyAddress | null = null;

  private constructor(readonly socket: Socket, private readonly port: number) {
    socket.on('message', (m: Buffer) => {
      if ((m[0]! & 0xc0) === 0 && m.length >= 20) {
        const key = m.subarray(8, 20).toString('hex');
        const waiter = this.pending.get(key);
        if (waiter) {
          this.pending.delete(key);
          waiter(m);
          return;
        }
      }
      this.onData?.(m);
    });
  }

  static async open(serverPort: number): Promise<BenchClient> {
    const socket = createSocket({ type: 'udp4', recvBufferSize: 8 << 20, sendBufferSize: 8 << 20 });
    socket.bind(0, '127.0.0.1');
    await once(socket, 'listening');
    return new BenchClient(socket, serverPort);
  }

  request(packet: Buffer, timeoutMs = 3000): Promise<ReturnType<typeof parseMessage>> {
    const key = packet.subarray(8, 20).toString('hex');
    return new Promise((resolve, reject) => {
      let tries = 0;
      const send = () => this.socket.send(packet, this.port, '127.0.0.1');
      const retry = setInterval(() => (++tries * 500 >= timeoutMs ? fail() : send()), 500);
      const fail = () => {
        clearInterval(retry);
        this.pending.delete(key);
        reject(new Error('no response'));
      };
      this.pending.set(key, (m) => {
        clearInterval(retry);
        resolve(parseMessage(m));
      });
      send();
    });
  }

  /** 401 challenge, then an authenticated Allocate. */
  async allocate(id: string): Promise<void> {
    const challenge = await this.request(allocateRequest());
    const rest = createRestCredential(BENCH_SECRET, { ttlSeconds: 3600, id });
    this.creds = { username: rest.username, password: rest.credential, realm: challenge.realm!, nonce: challenge.nonce! };
    const ok = await this.request(allocateRequest(this.creds));
    if (ok.error !== null || !ok.relayed) throw new Error(`allocate failed: ${ok.error}`);
    this.relay = ok.relayed;
  }

  async bindChannel(channel: number, peer: FamilyAddress): Promise<void> {
    const r = await this.request(channelBindRequest(this.creds!, channel, peer));
    if (r.error !== null || r.method !== Method.channelBind) throw new Error(`ChannelBind failed: ${r.error}`);
  }

  close(): void {
    this.socket.close();
  }
}

/** Two clients whose allocations relay to each other over channel 0x4000. */
export async function openPair(serverPort: number, id: string): Promise<[BenchClient, BenchClient]> {
  const a = await BenchClient.open(serverPort);
  const b = await BenchClient.open(serverPort);
  await a.allocate(`${id}a`);
  await b.allocate(`${id}b`);
  await a.bindChannel(0x4000, b.relay!);
  await b.bindChannel(0x4000, a.relay!);
  return [a, b];
}

export interface FloodResult {
  targetPps: number;
  sentPps: number;
  received: number;
  sent: number;
  lossPct: number;
}

/** Sends ChannelData A→B on every pair at `pps` in total for `ms`, counts what arrives at the B sides. */
export async function flood(pairs: Array<[BenchClient, BenchClient]>, serverPort: number, pps: number, ms: number, size = 100): Promise<FloodResult> {
  let received = 0;
  for (const [, b] of pairs) b.onData = () => received++;
  const packet = encodeChannelData(0x4000, Buffer.alloc(size, 7));
  let sent = 0;
  const start = performance.now();
  await new Promise<void>((resolve) => {
    const tick = () => {
      const elapsed = performance.now() - start;
      if (elapsed >= ms) return resolve();
      // Small bursts: loopback socket buffers (net.core.rmem_max) hold only a few hundred small datagrams.
      const due = Math.min(Math.floor((elapsed / 1000) * pps) - sent, 64);
      for (let i = 0; i < due; i++) {
        pairs[sent % pairs.length]![0].socket.send(packet, serverPort, '127.0.0.1');
        sent++;
      }
      setImmediate(tick);
    };
    tick();
  });
  const elapsedS = (performance.now() - start) / 1000;
  // Stragglers count; then wait for silence so a backlog does not spill into the next measurement.
  let last = received;
  for (let waited = 0; waited < 4000; waited += 300) {
    await new Promise((r) => setTimeout(r, 300));
    if (received === last) break;
    last = received;
  }
  const counted = received;
  for (const [, b] of pairs) b.onData = null;
  received = counted;
  return { targetPps: pps, sentPps: Math.round(sent / elapsedS), received, sent, lossPct: sent ? (100 * (sent - received)) / sent : 0 };
}

const LATENCY_MAGIC = 0x4c415459;

/** One-way latency samples (µs) of `count` packets at `pps`, through `send` and observed on `receiver`. */
export async function latency(send: (payload: Buffer) => void, receiver: { onData: ((m: Buffer) => void) | null }, pps: number, count: number, offset: number): Promise<number[]> {
  const samples: number[] = [];
  receiver.onData = (m) => {
    if (m.length < offset + 12 || m.readUInt32BE(offset) !== LATENCY_MAGIC) return; // not a probe (a late flood packet)
    const sentAt = m.readBigUInt64BE(offset + 4);
    samples.push(Number(process.hrtime.bigint() - sentAt) / 1000);
  };
  for (let i = 0; i < count; i++) {
    const payload = Buffer.alloc(100);
    payload.writeUInt32BE(LATENCY_MAGIC, 0);
    payload.writeBigUInt64BE(process.hrtime.bigint(), 4);
    send(payload);
    await new Promise((r) => setTimeout(r, 1000 / pps));
  }
  await new Promise((r) => setTimeout(r, 300));
  receiver.onData = null;
  return samples.sort((x, y) => x - y);
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
