// A delaying UDP and TCP forwarder for tests: this kernel has no netem qdisc, so a test that needs a far-away
// server puts one of these in front of it. Each direction has its own added delay (and optional jitter); queues
// are bounded (UDP drops past the bound like a full router queue, TCP pauses the sender), and every socket it
// opens is closed by stop().
//
// In-process: `const fwd = await startDelayForwarder({ target, delayMs: { up: 40, down: 40 } })`.
// As a child process (e.g. inside a test namespace): `node --import tsx e2e/support/delay-forwarder.ts '<json
// options>'` prints one JSON line `{"udp":{...},"tcp":{...}}` once it listens and stops on SIGTERM/SIGINT.
import dgram from 'node:dgram';
import net from 'node:net';
import { isIPv6 } from 'node:net';
import { fileURLToPath } from 'node:url';

export interface HostPort {
  host: string;
  port: number;
}

export interface DelayForwarderOptions {
  /** Where packets and connections go. */
  target: HostPort;
  /** Listening address (default 127.0.0.1) and port (default 0: a free UDP port, and the same port for TCP
   *  when it is free there too). */
  listenHost?: string;
  listenPort?: number;
  /** Which transports to forward (default both). */
  protocols?: ReadonlyArray<'udp' | 'tcp'>;
  /** Added one-way delay: `up` is client → target, `down` is target → client. A number applies to both. */
  delayMs: number | { up: number; down: number };
  /** Uniform extra delay in [0, jitterMs) per packet / chunk (default 0). Order is kept, as on one link. */
  jitterMs?: number;
  /** UDP: packets waiting per direction per client flow; past it new packets are dropped (default 1024). */
  maxQueuedPackets?: number;
  /** TCP: bytes waiting per direction per connection; past it the sending side is paused (default 1 MiB). */
  maxQueuedBytes?: number;
  /** UDP: client flows at once (default 256); a new client past it is dropped. */
  maxUdpFlows?: number;
  /** UDP: a flow with no packet either way for this long is closed (default 30 s). */
  udpIdleTimeoutMs?: number;
  /** Randomness for jitter (default Math.random); tests pass a fixed one. */
  random?: () => number;
}

export interface DelayForwarderCounters {
  udpForwarded: number;
  udpDropped: number;
  tcpConnections: number;
  tcpBytes: number;
}

export interface DelayForwarder {
  /** Listening addresses, null for a transport not forwarded. */
  udp: HostPort | null;
  tcp: HostPort | null;
  counters(): DelayForwarderCounters;
  /** Closes every socket and drops whatever is still queued. Idempotent. */
  stop(): Promise<void>;
}

const DEFAULTS = {
  jitterMs: 0,
  maxQueuedPackets: 1024,
  maxQueuedBytes: 1 << 20,
  maxUdpFlows: 256,
  udpIdleTimeoutMs: 30000,
};

/** One direction of one flow: a FIFO released in order, each item no earlier than its arrival plus the delay.
 *  One timer for the head of the queue: separate timers per item fire out of order when their delays differ. */
class DelayLine<T> {
  private readonly queue: Array<{ at: number; item: T }> = [];
  private head = 0;
  private timer: NodeJS.Timeout | null = null;
  constructor(
    private readonly delayMs: number,
    private readonly jitterMs: number,
    private readonly random: () => number,
    private readonly deliver: (item: T) => void,
  ) {}

  get length(): number {
    return this.queue.length - this.head;
  }

  push(item: T): void {
    const jitter = this.jitterMs > 0 ? this.random() * this.jitterMs : 0;
    const last = this.length > 0 ? this.queue[this.queue.length - 1]!.at : 0;
    // Never before an earlier item: one link does not reorder.
    this.queue.push({ at: Math.max(performance.now() + this.delayMs + jitter, last), item });
    if (this.timer === null) this.schedule();
  }

  clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.queue.length = 0;
    this.head = 0;
  }

  private schedule(): void {
    const next = this.queue[this.head];
    if (!next) {
      this.timer = null;
      return;
    }
    this.timer = setTimeout(() => this.release(), Math.max(0, next.at - performance.now()));
  }

  private release(): void {
    const now = performance.now();
    // A timer that fires early by performance.now() just reschedules: the delay is a lower bound.
    while (this.head < this.queue.length && this.queue[this.head]!.at <= now) {
      const { item } = this.queue[this.head++]!;
      this.deliver(item);
    }
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
    this.schedule();
  }
}

function checkOptions(o: DelayForwarderOptions): void {
  const delays = typeof o.delayMs === 'number' ? [o.delayMs] : [o.delayMs.up, o.delayMs.down];
  for (const d of [...delays, o.jitterMs ?? 0]) {
    if (!Number.isFinite(d) || d < 0) throw new Error(`delay-forwarder: delays must be finite and >= 0, got ${d}`);
  }
  for (const [name, v] of Object.entries({
    maxQueuedPackets: o.maxQueuedPackets,
    maxQueuedBytes: o.maxQueuedBytes,
    maxUdpFlows: o.maxUdpFlows,
    udpIdleTimeoutMs: o.udpIdleTimeoutMs,
  })) {
    if (v !== undefined && (!Number.isInteger(v) || v < 1)) throw new Error(`delay-forwarder: ${name} must be a positive integer, got ${v}`);
  }
}

export async function startDelayForwarder(options: DelayForwarderOptions): Promise<DelayForwarder> {
  checkOptions(options);
  const up = typeof options.delayMs === 'number' ? options.delayMs : options.delayMs.up;
  const down = typeof options.delayMs === 'number' ? options.delayMs : options.delayMs.down;
  const cfg = { ...DEFAULTS, ...dropUndefined(options) };
  const random = options.random ?? Math.random;
  const protocols = options.protocols ?? ['udp', 'tcp'];
  const listenHost = options.listenHost ?? '127.0.0.1';
  const counters: DelayForwarderCounters = { udpForwarded: 0, udpDropped: 0, tcpConnections: 0, tcpBytes: 0 };
  const stops: Array<() => Promise<void>> = [];
  let udp: HostPort | null = null;
  let tcp: HostPort | null = null;
  try {
    if (protocols.includes('udp')) {
      const u = await startUdp();
      udp = u.address;
      stops.push(u.stop);
    }
    if (protocols.includes('tcp')) {
      const t = await startTcp();
      tcp = t.address;
      stops.push(t.stop);
    }
  } catch (err) {
    await Promise.all(stops.map((s) => s()));
    throw err;
  }
  let stopped: Promise<void> | null = null;
  return {
    udp,
    tcp,
    counters: () => ({ ...counters }),
    stop: () => (stopped ??= Promise.all(stops.map((s) => s())).then(() => undefined)),
  };

  async function startUdp(): Promise<{ address: HostPort; stop: () => Promise<void> }> {
    const type = isIPv6(listenHost) ? 'udp6' : 'udp4';
    const listener = dgram.createSocket(type);
    interface Flow {
      upstream: dgram.Socket;
      toTarget: DelayLine<Buffer>;
      toClient: DelayLine<Buffer>;
      idle: NodeJS.Timeout | undefined;
    }
    const flows = new Map<string, Flow>();
    let closed = false;
    const closeFlow = (key: string) => {
      const flow = flows.get(key);
      if (!flow) return;
      flows.delete(key);
      clearTimeout(flow.idle);
      flow.toTarget.clear();
      flow.toClient.clear();
      flow.upstream.close();
    };
    const touch = (key: string, flow: Flow) => {
      clearTimeout(flow.idle);
      flow.idle = setTimeout(() => closeFlow(key), cfg.udpIdleTimeoutMs);
    };
    listener.on('error', () => {}); // ICMP errors on a send: UDP is lossy, carry on.
    listener.on('message', (msg, rinfo) => {
      if (closed) return;
      const key = `${rinfo.address}|${rinfo.port}`;
      let flow = flows.get(key);
      if (!flow) {
        if (flows.size >= cfg.maxUdpFlows) {
          counters.udpDropped++;
          return;
        }
        // One upstream socket per client: the target sees a distinct 5-tuple per client, as TURN needs.
        const upstream = dgram.createSocket(isIPv6(options.target.host) ? 'udp6' : 'udp4');
        upstream.on('error', () => {});
        const toTarget = new DelayLine<Buffer>(up, cfg.jitterMs, random, (b) => {
          counters.udpForwarded++;
          upstream.send(b, options.target.port, options.target.host);
        });
        const toClient = new DelayLine<Buffer>(down, cfg.jitterMs, random, (b) => {
          counters.udpForwarded++;
          if (!closed) listener.send(b, rinfo.port, rinfo.address);
        });
        const created: Flow = { upstream, toTarget, toClient, idle: undefined };
        flow = created;
        upstream.on('message', (reply) => {
          if (flows.get(key) !== created) return;
          touch(key, created);
          if (created.toClient.length >= cfg.maxQueuedPackets) counters.udpDropped++;
          else created.toClient.push(reply);
        });
        flows.set(key, flow);
      }
      touch(key, flow);
      if (flow.toTarget.length >= cfg.maxQueuedPackets) counters.udpDropped++;
      else flow.toTarget.push(msg);
    });
    await new Promise<void>((resolve, reject) => {
      listener.once('error', reject);
      listener.bind(options.listenPort ?? 0, listenHost, () => {
        listener.off('error', reject);
        resolve();
      });
    });
    const { port } = listener.address();
    return {
      address: { host: listenHost, port },
      stop: async () => {
        closed = true;
        for (const key of [...flows.keys()]) closeFlow(key);
        await new Promise<void>((resolve) => listener.close(() => resolve()));
      },
    };
  }

  async function startTcp(): Promise<{ address: HostPort; stop: () => Promise<void> }> {
    const sockets = new Set<net.Socket>();
    const lines = new Set<DelayLine<Buffer | null>>();
    // Half-open on both sides: one side's FIN is passed on after the delay, and the other direction keeps flowing.
    const server = net.createServer({ allowHalfOpen: true }, (client) => {
      counters.tcpConnections++;
      const upstream = net.connect({ host: options.target.host, port: options.target.port, allowHalfOpen: true });
      sockets.add(client);
      sockets.add(upstream);
      const destroyBoth = () => {
        client.destroy();
        upstream.destroy();
        lines.delete(toTarget);
        lines.delete(toClient);
        toTarget.clear();
        toClient.clear();
      };
      // null in a line is the sender's end-of-stream, delivered after the data queued before it.
      const pipe = (from: net.Socket, to: net.Socket, delay: number) => {
        let queuedBytes = 0;
        const line: DelayLine<Buffer | null> = new DelayLine(delay, cfg.jitterMs, random, (chunk) => {
          if (to.destroyed) return;
          if (chunk === null) {
            to.end();
            return;
          }
          queuedBytes -= chunk.length;
          counters.tcpBytes += chunk.length;
          to.write(chunk);
          if (from.isPaused() && queuedBytes < cfg.maxQueuedBytes) from.resume();
        });
        from.on('data', (chunk: Buffer) => {
          queuedBytes += chunk.length;
          line.push(chunk);
          if (queuedBytes >= cfg.maxQueuedBytes) from.pause();
        });
        from.on('end', () => line.push(null));
        lines.add(line);
        return line;
      };
      const toTarget = pipe(client, upstream, up);
      const toClient = pipe(upstream, client, down);
      for (const s of [client, upstream]) {
        s.on('error', destroyBoth);
        s.on('close', (hadError) => {
          sockets.delete(s);
          // A reset on one side resets the other; a clean end was already passed on through the line.
          if (hadError) destroyBoth();
        });
      }
    });
    server.on('error', () => {});
    const listen = (port: number) =>
      new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, listenHost, () => {
          server.off('error', reject);
          resolve();
        });
      });
    // UDP's port when free, so one `turn:host:port` URL serves both transports.
    if (options.listenPort !== undefined || udp === null) await listen(options.listenPort ?? 0);
    else await listen(udp.port).catch(() => listen(0));
    const { port } = server.address() as net.AddressInfo;
    return {
      address: { host: listenHost, port },
      stop: async () => {
        for (const l of lines) l.clear();
        lines.clear();
        for (const s of sockets) s.destroy();
        sockets.clear();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      },
    };
  }
}

function dropUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

// Child-process mode: one JSON argument, one JSON line out, stop on a signal.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const options = JSON.parse(process.argv[2] ?? '{}') as DelayForwarderOptions;
  startDelayForwarder(options).then(
    (fwd) => {
      process.stdout.write(`${JSON.stringify({ udp: fwd.udp, tcp: fwd.tcp })}\n`);
      const stop = () => void fwd.stop().then(() => process.exit(0));
      process.on('SIGTERM', stop);
      process.on('SIGINT', stop);
    },
    (err: Error) => {
      process.stderr.write(`delay-forwarder: ${err.message}\n`);
      process.exit(2);
    },
  );
}
