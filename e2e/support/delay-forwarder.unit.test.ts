// The delay forwarder over real loopback sockets: what a client and the server behind it observe.
import dgram from 'node:dgram';
import net from 'node:net';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { startDelayForwarder, type DelayForwarder } from './delay-forwarder';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function udpEcho(): Promise<{ port: number; sources: Set<number>; received: () => number }> {
  const sock = dgram.createSocket('udp4');
  const sources = new Set<number>();
  let received = 0;
  sock.on('message', (msg, rinfo) => {
    received++;
    sources.add(rinfo.port);
    sock.send(msg, rinfo.port, rinfo.address);
  });
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', r));
  cleanups.push(() => new Promise<void>((r) => sock.close(() => r())));
  return { port: sock.address().port, sources, received: () => received };
}

async function udpClient(): Promise<{ send(b: Buffer, port: number): void; next(n: number): Promise<Buffer[]> }> {
  const sock = dgram.createSocket('udp4');
  const inbox: Buffer[] = [];
  const waiters: Array<() => void> = [];
  sock.on('message', (m) => {
    inbox.push(m);
    for (const w of waiters.splice(0)) w();
  });
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', r));
  cleanups.push(() => new Promise<void>((r) => sock.close(() => r())));
  return {
    send: (b, port) => sock.send(b, port, '127.0.0.1'),
    async next(n) {
      const deadline = Date.now() + 3000;
      while (inbox.length < n) {
        if (Date.now() > deadline) throw new Error(`only ${inbox.length} of ${n} datagrams came back`);
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 100);
        });
      }
      return inbox.splice(0, n);
    },
  };
}

async function forwarder(opts: Parameters<typeof startDelayForwarder>[0]): Promise<DelayForwarder> {
  const fwd = await startDelayForwarder(opts);
  cleanups.push(() => fwd.stop());
  return fwd;
}

describe('delay forwarder, UDP', () => {
  it('adds the up and down delay to a round trip and passes the payload unchanged', async () => {
    const echo = await udpEcho();
    const fwd = await forwarder({ target: { host: '127.0.0.1', port: echo.port }, delayMs: { up: 30, down: 50 }, protocols: ['udp'] });
    const client = await udpClient();
    const t0 = performance.now();
    client.send(Buffer.from('ping-1'), fwd.udp!.port);
    const [reply] = await client.next(1);
    const rtt = performance.now() - t0;
    expect(reply!.toString()).toBe('ping-1');
    expect(rtt).toBeGreaterThanOrEqual(79);
    expect(rtt).toBeLessThan(1000);
    expect(fwd.tcp).toBeNull();
  });

  it('gives each client its own source port at the target (a distinct 5-tuple for TURN)', async () => {
    const echo = await udpEcho();
    const fwd = await forwarder({ target: { host: '127.0.0.1', port: echo.port }, delayMs: 1, protocols: ['udp'] });
    const a = await udpClient();
    const b = await udpClient();
    a.send(Buffer.from('a'), fwd.udp!.port);
    b.send(Buffer.from('b'), fwd.udp!.port);
    expect((await a.next(1))[0]!.toString()).toBe('a');
    expect((await b.next(1))[0]!.toString()).toBe('b');
    expect(echo.sources.size).toBe(2);
  });

  it('keeps order under jitter', async () => {
    const echo = await udpEcho();
    const jitters = [0.9, 0.1, 0.5, 0.0, 0.7];
    let i = 0;
    const fwd = await forwarder({
      target: { host: '127.0.0.1', port: echo.port },
      delayMs: 5,
      jitterMs: 30,
      random: () => jitters[i++ % jitters.length]!,
      protocols: ['udp'],
    });
    const client = await udpClient();
    for (let n = 0; n < 20; n++) client.send(Buffer.from(String(n)), fwd.udp!.port);
    const got = (await client.next(20)).map((b) => Number(b.toString()));
    expect(got).toEqual([...Array(20).keys()]);
  });

  it('drops packets past the queue bound and counts them', async () => {
    const echo = await udpEcho();
    const fwd = await forwarder({
      target: { host: '127.0.0.1', port: echo.port },
      delayMs: { up: 200, down: 1 },
      maxQueuedPackets: 4,
      protocols: ['udp'],
    });
    const client = await udpClient();
    for (let n = 0; n < 10; n++) client.send(Buffer.from(String(n)), fwd.udp!.port);
    const got = (await client.next(4)).map((b) => b.toString());
    expect(got).toEqual(['0', '1', '2', '3']);
    expect(echo.received()).toBe(4);
    expect(fwd.counters().udpDropped).toBe(6);
  });
});

async function tcpEcho(): Promise<number> {
  const server = net.createServer((s) => {
    s.on('error', () => {});
    s.pipe(s);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
  return (server.address() as net.AddressInfo).port;
}

describe('delay forwarder, TCP', () => {
  it('delays a round trip, carries a large stream intact under a small queue bound, and passes the end on', async () => {
    const port = await tcpEcho();
    const fwd = await forwarder({ target: { host: '127.0.0.1', port }, delayMs: { up: 20, down: 30 }, maxQueuedBytes: 64 * 1024 });
    expect(fwd.tcp!.port).toBe(fwd.udp!.port); // one URL for both transports
    const sock = net.connect(fwd.tcp!.port, '127.0.0.1');
    cleanups.push(() => void sock.destroy());
    await once(sock, 'connect');
    const chunks: Buffer[] = [];
    sock.on('data', (c: Buffer) => chunks.push(c));
    const t0 = performance.now();
    sock.write('x');
    await once(sock, 'data');
    expect(performance.now() - t0).toBeGreaterThanOrEqual(49);

    const big = Buffer.alloc(512 * 1024);
    for (let i = 0; i < big.length; i++) big[i] = i % 251;
    sock.end(big);
    await once(sock, 'end');
    const echoed = Buffer.concat(chunks);
    expect(echoed.length).toBe(1 + big.length);
    expect(echoed.subarray(1).equals(big)).toBe(true);
    expect(fwd.counters().tcpConnections).toBe(1);
  });

  it('resets the client when the target refuses', async () => {
    const closed = net.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const deadPort = (closed.address() as net.AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const fwd = await forwarder({ target: { host: '127.0.0.1', port: deadPort }, delayMs: 1, protocols: ['tcp'] });
    const sock = net.connect(fwd.tcp!.port, '127.0.0.1');
    sock.on('error', () => {});
    await once(sock, 'close');
    expect(sock.destroyed).toBe(true);
  });
});

describe('delay forwarder, lifecycle', () => {
  it('stop() closes the listeners and open connections, and is idempotent', async () => {
    const port = await tcpEcho();
    const fwd = await startDelayForwarder({ target: { host: '127.0.0.1', port }, delayMs: 1 });
    const sock = net.connect(fwd.tcp!.port, '127.0.0.1');
    sock.on('error', () => {});
    await once(sock, 'connect');
    const sockClosed = once(sock, 'close');
    await Promise.all([fwd.stop(), fwd.stop()]);
    await sockClosed;
    const again = net.connect(fwd.tcp!.port, '127.0.0.1');
    const [err] = (await once(again, 'error')) as [NodeJS.ErrnoException];
    expect(err.code).toBe('ECONNREFUSED');
  });

  it('refuses bad options with a clear error', async () => {
    await expect(startDelayForwarder({ target: { host: '127.0.0.1', port: 1 }, delayMs: -1 })).rejects.toThrow(/delays must be finite and >= 0/);
    await expect(
      startDelayForwarder({ target: { host: '127.0.0.1', port: 1 }, delayMs: 1, maxQueuedPackets: 0 }),
    ).rejects.toThrow(/maxQueuedPackets must be a positive integer/);
  });
});
