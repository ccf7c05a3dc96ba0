// Attack tests over real loopback sockets: what a hostile client can make the server do.
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect as netConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRestCredential } from '../auth/rest-credentials';
import { startTurnServer } from '../node/turn-server';
import { Attr, Method, StunClass } from '../stun/constants';
import { textAttribute } from '../stun/message';
import { allocateRequest, bindingRequest, buildRequest, channelBindRequest, createPermissionRequest, parseMessage, refreshRequest, sendIndication, type Credentials } from '../testing/client-messages';
import { StreamTestClient, UdpTestClient } from '../testing/socket-clients';
import { turnConfigFromEnv } from '../turn-config';
import { allocateVia, isResponseTo, startServerForTest, TEST_SECRET, udpTransport } from '../testing/test-server';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  vi.useRealTimers();
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** The adapter hands the core Date.now(): faking only Date moves the server's clock (nonce age, token buckets)
 *  while sockets and timers stay real. */
const freezeServerClock = () => vi.useFakeTimers({ toFake: ['Date'] });

async function openClient(address = '127.0.0.1'): Promise<UdpTestClient> {
  const c = await UdpTestClient.open(address);
  cleanups.push(() => c.close());
  return c;
}

const IPV6_FAMILY = [{ type: Attr.requestedAddressFamily, value: Buffer.from([2, 0, 0, 0]) }];

describe('attack: relaying into the server\'s own networks', () => {
  it('refuses loopback, unspecified, private, link-local, CGNAT, multicast peers (IPv4) with 403', async () => {
    const server = await startServerForTest(cleanups);
    const client = await openClient();
    const t = udpTransport(client, server.udpPort);
    const { creds } = await allocateVia(t);
    for (const address of ['127.0.0.1', '127.255.0.9', '0.0.0.0', '10.1.1.1', '172.16.5.5', '192.168.0.1', '169.254.169.254', '100.64.1.1', '224.0.0.1', '255.255.255.255', '198.18.0.1']) {
      t.send(createPermissionRequest(creds, [{ family: 4, address, port: 22 }]));
      expect([address, parseMessage(await t.next(isResponseTo(Method.createPermission))).error]).toEqual([address, 403]);
    }
    expect(server.counters().permissions).toBe(0);
  });

  it('refuses IPv6 spellings of them on an IPv6 allocation: ::1, ::, ::ffff:127.0.0.1, 6to4, Teredo, NAT64', async () => {
    const server = await startServerForTest(cleanups, { TURN_LISTEN_V6: '::1' });
    const client = await openClient('::1');
    const t = udpTransport(client, server.udpPort, '::1');
    const { creds, relay } = await allocateVia(t, 'v6', IPV6_FAMILY);
    expect(relay).toMatchObject({ family: 6, address: '::1' });
    for (const address of ['::1', '::', '::ffff:127.0.0.1', '::ffff:10.0.0.1', '::127.0.0.1', '2002:7f00:1::1', '2001:0:4136:e378:8000:63bf:80ff:fffe', '64:ff9b::7f00:1', 'fe80::1', 'fd00::2', 'ff02::1']) {
      t.send(createPermissionRequest(creds, [{ family: 6, address, port: 22 }]));
      expect([address, parseMessage(await t.next(isResponseTo(Method.createPermission))).error]).toEqual([address, 403]);
    }
  });

  it('a peer on a denied address receives nothing, even by Send indication without a permission', async () => {
    const server = await startServerForTest(cleanups);
    const client = await openClient();
    const victim = await openClient();
    const t = udpTransport(client, server.udpPort);
    await allocateVia(t);
    t.send(sendIndication(victim.address, Buffer.from('attack')));
    expect(await victim.silentFor(300)).toBe(true);
    expect(server.core.stats.dropped['no-permission']).toBe(1);
  });

  it('relaying between two allocations of this server stays allowed (forced relay on a LAN deployment)', async () => {
    const server = await startServerForTest(cleanups);
    const a = await openClient();
    const b = await openClient();
    const ta = udpTransport(a, server.udpPort);
    const tb = udpTransport(b, server.udpPort);
    const A = await allocateVia(ta, 'a');
    const B = await allocateVia(tb, 'b');
    ta.send(createPermissionRequest(A.creds, [B.relay]));
    tb.send(createPermissionRequest(B.creds, [A.relay]));
    expect(parseMessage(await ta.next(isResponseTo(Method.createPermission))).cls).toBe(StunClass.success);
    expect(parseMessage(await tb.next(isResponseTo(Method.createPermission))).cls).toBe(StunClass.success);
    ta.send(sendIndication(B.relay, Buffer.from('to b')));
    const got = parseMessage(await b.next((m) => parseMessage(m).method === Method.data));
    expect(got.data?.toString()).toBe('to b');
    expect(got.peer).toEqual(A.relay);
    // The same IP on a port that is not one of our relays stays closed.
    const other = await openClient();
    ta.send(sendIndication({ ...B.relay, port: other.address.port }, Buffer.from('sneak')));
    expect(await other.silentFor(300)).toBe(true);
  });
});

describe('attack: hostile peer addresses', () => {
  it('a Send indication or ChannelBind to port 0 changes nothing and the server keeps relaying', async () => {
    const server = await startServerForTest(cleanups, { TURN_ALLOW_PEERS: '127.0.0.0/8' });
    const client = await openClient();
    const peer = await openClient();
    const t = udpTransport(client, server.udpPort);
    const { creds } = await allocateVia(t);
    t.send(createPermissionRequest(creds, [{ family: 4, address: '127.0.0.1', port: 0 }]));
    expect(parseMessage(await t.next(isResponseTo(Method.createPermission))).cls).toBe(StunClass.success);
    t.send(sendIndication({ family: 4, address: '127.0.0.1', port: 0 }, Buffer.from('port zero')));
    t.send(channelBindRequest(creds, 0x4001, { family: 4, address: '127.0.0.1', port: 0 }));
    expect(parseMessage(await t.next(isResponseTo(Method.channelBind))).error).toBe(400);
    t.send(sendIndication(peer.address, Buffer.from('still here')));
    expect((await peer.next()).toString()).toBe('still here');
    expect(server.counters().allocations).toBe(1);
  });
});

describe('attack: credentials and nonces', () => {
  it('expired and wrong credentials never allocate', async () => {
    const server = await startServerForTest(cleanups);
    const client = await openClient();
    const t = udpTransport(client, server.udpPort);
    t.send(allocateRequest());
    const ch = parseMessage(await t.next(isResponseTo(Method.allocate)));
    const expired = createRestCredential(TEST_SECRET, { ttlSeconds: 0, id: 'x', nowMs: Date.now() - 5000 });
    const wrongSecret = createRestCredential('not-the-secret', { ttlSeconds: 600, id: 'x' });
    for (const c of [expired, wrongSecret]) {
      t.send(allocateRequest({ username: c.username, password: c.credential, realm: ch.realm!, nonce: ch.nonce! }));
      expect(parseMessage(await t.next(isResponseTo(Method.allocate))).error).toBe(401);
    }
    expect(server.counters()).toMatchObject({ allocations: 0, allocationsCreated: 0 });
    expect(server.core.stats.authFailures).toMatchObject({ expired: 1, 'bad-integrity': 1 });
  });

  // The nonce's lifetime rules are the core's (turn-core.test.ts, injected clock); here: TURN_NONCE_TTL reaches
  // them, and the 438 with its new nonce reaches the client.
  it('a nonce older than TURN_NONCE_TTL gets 438 Stale Nonce and a new one', async () => {
    freezeServerClock();
    const server = await startServerForTest(cleanups, { TURN_NONCE_TTL: '1' });
    const client = await openClient();
    const t = udpTransport(client, server.udpPort);
    t.send(allocateRequest());
    const ch = parseMessage(await t.next(isResponseTo(Method.allocate)));
    vi.setSystemTime(Date.now() + 2100);
    const c = createRestCredential(TEST_SECRET, { ttlSeconds: 600, id: 'x' });
    t.send(allocateRequest({ username: c.username, password: c.credential, realm: ch.realm!, nonce: ch.nonce! }));
    const stale = parseMessage(await t.next(isResponseTo(Method.allocate)));
    expect(stale.error).toBe(438);
    expect(stale.nonce).not.toBe(ch.nonce);
  });

  it('per-user quota → 486', async () => {
    const server = await startServerForTest(cleanups, { TURN_USER_QUOTA: '1' });
    await allocateVia(udpTransport(await openClient(), server.udpPort), 'same-user');
    const t = udpTransport(await openClient(), server.udpPort);
    t.send(allocateRequest());
    const ch = parseMessage(await t.next(isResponseTo(Method.allocate)));
    const c = createRestCredential(TEST_SECRET, { ttlSeconds: 600, id: 'same-user' });
    t.send(allocateRequest({ username: c.username, password: c.credential, realm: ch.realm!, nonce: ch.nonce! }));
    expect(parseMessage(await t.next(isResponseTo(Method.allocate))).error).toBe(486);
  });
});

describe('attack: connection flood over TCP', () => {
  it('closes TCP connections beyond TURN_MAX_TCP_PER_IP from one address; a slot freed is usable again', async () => {
    const server = await startServerForTest(cleanups, { TURN_MAX_TCP_PER_IP: '3' });
    const conns = [];
    for (let i = 0; i < 3; i++) conns.push(await StreamTestClient.open(server.tcpPort!));
    for (const c of conns) cleanups.push(() => c.close());
    await expect.poll(() => server.counters().tcpConnections).toBe(3);
    const extra = await StreamTestClient.open(server.tcpPort!);
    cleanups.push(() => extra.close());
    await expect.poll(() => server.counters().tcpRefused).toBe(1);
    expect(server.counters().tcpConnections).toBe(3);
    await conns[0]!.close();
    await expect.poll(() => server.counters().tcpConnections).toBe(2);
    const again = await StreamTestClient.open(server.tcpPort!);
    cleanups.push(() => again.close());
    again.send(bindingRequest());
    expect(parseMessage(await again.next()).cls).toBe(StunClass.success);
  });
});

describe('attack: amplification', () => {
  it('rate-limits replies to unauthenticated requests per source IP, and never answers non-STUN', async () => {
    freezeServerClock(); // nothing refills while the flood is read, however slow the machine: exactly the burst
    const server = await startServerForTest(cleanups, { TURN_UNAUTH_RATE: '5' });
    const client = await openClient();
    for (let i = 0; i < 100; i++) client.send(allocateRequest(), server.udpPort);
    client.send(Buffer.from('\xff\xffnot stun at all'), server.udpPort);
    const stats = server.core.stats;
    await expect.poll(() => stats.dropped['rate-limited'] + (stats.errorResponses.get(401) ?? 0) + stats.dropped.malformed, { timeout: 10_000 }).toBe(101);
    expect(stats.errorResponses.get(401)).toBe(10); // the burst: 2 × TURN_UNAUTH_RATE
    expect(stats.dropped).toMatchObject({ 'rate-limited': 90, malformed: 1 });
    // A second later the bucket holds 5 again: a Binding request is answered, and its answer arrives after every
    // earlier reply (one socket each way over loopback keeps their order) — so the count below is final.
    vi.setSystemTime(Date.now() + 1000);
    client.send(bindingRequest(), server.udpPort);
    await client.next(isResponseTo(Method.binding));
    expect(client.froms.length).toBe(11);
  });
});

function iptables(args: string[]): boolean {
  try {
    execFileSync('iptables', args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('send errors towards a peer', () => {
  const peerIp = '127.0.0.77';
  const rule = ['OUTPUT', '-d', peerIp, '-p', 'udp', '-m', 'comment', '--comment', 'p2pcheck-turn-test', '-j', 'DROP'];
  const haveIptables = process.getuid?.() === 0 && iptables(['-L', 'OUTPUT', '-n']);

  it.skipIf(!haveIptables)('EPERM from a local firewall is counted and the allocation keeps relaying (needs root + iptables)', async () => {
    while (iptables(['-D', ...rule])); // leftovers of a crashed run
    expect(iptables(['-A', ...rule])).toBe(true);
    cleanups.push(async () => { while (iptables(['-D', ...rule])); });
    const server = await startServerForTest(cleanups, { TURN_ALLOW_PEERS: '127.0.0.0/8' });
    const client = await openClient();
    const good = await openClient();
    const t = udpTransport(client, server.udpPort);
    const { creds } = await allocateVia(t);
    t.send(createPermissionRequest(creds, [{ family: 4, address: peerIp, port: 9 }, good.address]));
    await t.next(isResponseTo(Method.createPermission));
    for (let i = 0; i < 5; i++) t.send(sendIndication({ family: 4, address: peerIp, port: 9 }, Buffer.from('blocked')));
    await expect.poll(() => server.core.stats.peerSendErrors.get('EPERM') ?? 0).toBe(5);
    t.send(sendIndication(good.address, Buffer.from('still alive')));
    expect((await good.next()).toString()).toBe('still alive');
    expect(server.counters().allocations).toBe(1);
  });
});

const allocated = new Map<UdpTestClient, Credentials>();

/** 401 challenge, then Allocate as REST user `id`; the answer's error code (null: allocated, credentials kept). */
async function tryAllocate(c: UdpTestClient, port: number, id: string): Promise<number | null> {
  c.send(allocateRequest(), port);
  const challenge = parseMessage(await c.next(isResponseTo(Method.allocate), 5000));
  if (challenge.error !== 401) return challenge.error;
  const rest = createRestCredential(TEST_SECRET, { ttlSeconds: 600, id });
  const creds = { username: rest.username, password: rest.credential, realm: challenge.realm!, nonce: challenge.nonce! };
  c.send(allocateRequest(creds), port);
  const error = parseMessage(await c.next(isResponseTo(Method.allocate), 5000)).error;
  if (error === null) allocated.set(c, creds);
  return error;
}

describe('attack: one source takes the relay port range', () => {
  it('40 credentials on 40 ports of 127.0.0.2 get TURN_MAX_ALLOCATIONS_PER_IP allocations (then 486); 127.0.0.3 still allocates', async () => {
    // A 24-port relay range below the ephemeral ports: without a per-source cap the flood takes all 24 and the
    // second source gets 508 Insufficient Capacity.
    const min = 20_000 + (process.pid % 400) * 24;
    const server = await startServerForTest(cleanups, { TURN_RELAY_MIN_PORT: String(min), TURN_RELAY_MAX_PORT: String(min + 23), TURN_MAX_ALLOCATIONS_PER_IP: '8' });
    const flood = await Promise.all(Array.from({ length: 40 }, () => openClient('127.0.0.2')));
    const answers = await Promise.all(flood.map((c, i) => tryAllocate(c, server.udpPort, `flood-${i}`)));
    expect(answers.filter((a) => a === null)).toHaveLength(8);
    expect(answers.filter((a) => a === 486)).toHaveLength(32);
    expect(server.core.stats.quotaRefusals.source).toBe(32);
    const victim = await openClient('127.0.0.3');
    expect(await tryAllocate(victim, server.udpPort, 'victim')).toBeNull();
    const metrics = await server.registry.metrics();
    expect(metrics).toMatch(/^p2pcheck_turn_quota_refusals_total\{quota="source"\} 32$/m);
  }, 30_000);

  it('the default cap holds too (32 per source), and a slot freed by Refresh lifetime 0 can be taken again', async () => {
    const server = await startServerForTest(cleanups);
    const flood = await Promise.all(Array.from({ length: 34 }, () => openClient('127.0.0.2')));
    const answers = await Promise.all(flood.map((c, i) => tryAllocate(c, server.udpPort, `flood-${i}`)));
    expect(answers.filter((a) => a === null)).toHaveLength(32);
    const refusedAt = answers.indexOf(486);
    const grantedAt = answers.indexOf(null);
    const granted = flood[grantedAt]!;
    // The granted client deletes its allocation (RFC 8656 §7.3); the refused one now gets its slot.
    granted.send(refreshRequest(allocated.get(granted)!, 0), server.udpPort);
    expect(parseMessage(await granted.next(isResponseTo(Method.refresh))).lifetime).toBe(0);
    expect(await tryAllocate(flood[refusedAt]!, server.udpPort, `flood-${refusedAt}`)).toBeNull();
    expect(await tryAllocate(flood[answers.lastIndexOf(486)]!, server.udpPort, 'one-more')).toBe(486);
  }, 30_000);
});

describe('attack: a handler that throws', () => {
  it('an exception on a UDP datagram or a TCP frame drops that input (closes that connection), is counted and logged once; the server keeps answering', async () => {
    const lines: Array<{ where?: string; event?: string }> = [];
    const logger = pino({ level: 'error' }, { write: (l: string) => void lines.push(JSON.parse(l)) });
    const server = await startTurnServer(turnConfigFromEnv({
      TURN_SECRET: TEST_SECRET, TURN_LISTEN: '127.0.0.1', TURN_LISTEN_V6: 'off', TURN_PORT: '0', TURN_ALT_PORT: 'off', TURN_RELAY_MIN_PORT: '0',
    }), { logger });
    cleanups.push(() => server.close());
    // The probe's interceptor (signal/probe) sees ICE checks from anyone on the network: a bug there must not end
    // the process. Likewise a bug in the core on one TCP frame.
    server.probe.setInterceptor(() => {
      throw new Error('probe bug');
    });
    const handle = server.core.handleClientPacket.bind(server.core);
    server.core.handleClientPacket = (client, data, now) => {
      if (client.transport === 'tcp' && data.includes('boom')) throw new Error('core bug');
      return handle(client, data, now);
    };
    const client = await openClient();
    const iceCheck = buildRequest(Method.binding, [textAttribute(Attr.username, 'remote:local')]);
    for (let i = 0; i < 3; i++) client.send(iceCheck, server.udpPort);
    client.send(bindingRequest(), server.udpPort);
    expect(parseMessage(await client.next()).cls).toBe(StunClass.success);

    const tcp = await StreamTestClient.open(server.tcpPort!);
    cleanups.push(() => tcp.close());
    const closed = once(tcp.socket, 'close');
    tcp.send(bindingRequest([textAttribute(Attr.software, 'boom')])); // the injected core bug
    await closed;
    const again = await StreamTestClient.open(server.tcpPort!);
    cleanups.push(() => again.close());
    again.send(bindingRequest());
    expect(parseMessage(await again.next()).cls).toBe(StunClass.success);

    expect(server.counters().handlerErrors).toBe(4);
    const metrics = await server.registry.metrics();
    expect(metrics).toMatch(/^p2pcheck_turn_handler_errors_total\{where="udp-datagram"\} 3$/m);
    expect(metrics).toMatch(/^p2pcheck_turn_handler_errors_total\{where="stream-frame"\} 1$/m);
    expect(lines.filter((l) => l.event === 'turn-handler-error').map((l) => l.where).sort()).toEqual(['stream-frame', 'udp-datagram']);
  });
});

describe('attack: TLS handshakes that never finish', () => {
  const haveOpenssl = (() => {
    try {
      execFileSync('openssl', ['version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();

  it.skipIf(!haveOpenssl)('count against TURN_MAX_TCP_PER_IP while pending and are closed after TURN_TLS_HANDSHAKE_TIMEOUT; the source can connect again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'p2pcheck-turn-tls-'));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
      '-subj', '/CN=localhost', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    const server = await startServerForTest(cleanups, {
      TURN_TLS_CERT: join(dir, 'cert.pem'), TURN_TLS_KEY: join(dir, 'key.pem'), TURN_TLS_PORT: '0', TURN_MAX_TCP_PER_IP: '2', TURN_TLS_HANDSHAKE_TIMEOUT: '1',
    });
    const silent = async () => {
      const s = netConnect({ port: server.tlsPort!, host: '127.0.0.1', localAddress: '127.0.0.2' });
      s.on('error', () => {});
      cleanups.push(async () => void s.destroy());
      await once(s, 'connect');
      return { socket: s, closed: once(s, 'close') };
    };
    const pending = [await silent(), await silent()];
    const third = await silent();
    await third.closed; // closed at once: two handshakes of 127.0.0.2 are pending
    expect(server.counters().tcpRefused).toBe(1);
    const started = Date.now();
    await Promise.all(pending.map((p) => p.closed)); // the server gave up on them
    expect(Date.now() - started).toBeLessThan(5000);
    const tls = await StreamTestClient.open(server.tlsPort!, { tls: true, localAddress: '127.0.0.2' });
    cleanups.push(() => tls.close());
    tls.send(bindingRequest());
    expect(parseMessage(await tls.next()).cls).toBe(StunClass.success);
  }, 20_000);
});
