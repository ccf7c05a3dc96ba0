import { describe, expect, it } from 'vitest';
import { createRestCredential } from '../auth/rest-credentials';
import { xorAddressAttribute } from '../stun/address';
import { encodeChannelData } from '../stun/channel-data';
import { appendFingerprint } from '../stun/fingerprint';
import { Attr, Method, StunClass } from '../stun/constants';
import type { FamilyAddress } from '../../common/net/transport-address';
import { decodeStunMessage, encodeStunMessage, getAttribute, u32Attribute } from '../stun/message';
import {
  allocateRequest, bindingRequest, buildRequest, channelBindRequest, createPermissionRequest, credentialKey, parseMessage,
  refreshRequest, sendIndication, type Credentials,
} from '../testing/client-messages';
import { TurnCore } from './turn-core';
import { DEFAULT_LIFETIMES, type ClientRef, type CoreConfig, type TurnAction } from './types';

const SECRET = 'test-secret';
const T0 = 1_800_000_000_000;
const client: ClientRef = { key: 'u:198.51.100.10:40000', transport: 'udp', address: '198.51.100.10', port: 40000, family: 4, via: 'primary' };
const peer: FamilyAddress = { family: 4, address: '203.0.113.50', port: 5000 };
const publicPeer: FamilyAddress = { family: 4, address: '8.8.4.4', port: 5000 };

function makeCore(over: Partial<CoreConfig> = {}): TurnCore {
  return new TurnCore({
    realm: 'p2pcheck', secret: SECRET, nonceTtlMs: 600_000, ...DEFAULT_LIFETIMES, userQuota: 0, totalQuota: 0, sourceQuota: 0, maxBps: 0,
    maxPermissions: 10, maxChannels: 10, unauthRate: 0, allowPeers: ['203.0.113.0/24'],
    endpoints: { 4: { primary: { family: 4, address: '192.0.2.1', port: 3478 }, 'alt-port': { family: 4, address: '192.0.2.1', port: 3479 } }, 6: {} },
    relayFamilies: { 4: true, 6: false },
    ...over,
  });
}

function sent(actions: TurnAction[]): ReturnType<typeof parseMessage> {
  const s = actions.find((a) => a.type === 'send');
  if (!s || s.type !== 'send') throw new Error(`no send action in ${actions.map((a) => a.type).join(',')}`);
  return parseMessage(s.data);
}

function creds(core: TurnCore, now: number, opts: { ttl?: number; id?: string; password?: string; who?: ClientRef } = {}): Credentials {
  const c = createRestCredential(SECRET, { ttlSeconds: opts.ttl ?? 3600, id: opts.id ?? 'alice', nowMs: now });
  const challenge = sent(core.handleClientPacket(opts.who ?? client, allocateRequest(), now));
  return { username: c.username, password: opts.password ?? c.credential, realm: challenge.realm!, nonce: challenge.nonce! };
}

/** Allocate with credentials and complete the relay bind; returns the credentials and the relayed address. */
function allocate(core: TurnCore, now: number, c = creds(core, now), who = client) {
  const actions = core.handleClientPacket(who, allocateRequest(c), now);
  const bind = actions.find((a) => a.type === 'bind-relay');
  if (!bind || bind.type !== 'bind-relay') throw new Error(`no bind-relay: ${JSON.stringify(sent(actions).error)}`);
  const relay = { family: 4 as const, address: '192.0.2.1', port: 50000 + bind.allocation.id };
  const done = core.relayBound(bind.allocation, { relay, localRelay: relay }, now);
  return { c, allocation: bind.allocation, response: sent(done), relay, actions: done };
}

describe('TurnCore: Binding', () => {
  it('answers with XOR-MAPPED-ADDRESS, RESPONSE-ORIGIN and OTHER-ADDRESS', () => {
    const r = sent(makeCore().handleClientPacket(client, bindingRequest(), T0));
    expect(r.cls).toBe(StunClass.success);
    expect(r.mapped).toEqual({ family: 4, address: client.address, port: client.port });
    expect(r.responseOrigin).toEqual({ family: 4, address: '192.0.2.1', port: 3478 });
    expect(r.otherAddress).toEqual({ family: 4, address: '192.0.2.1', port: 3479 });
  });

  it('CHANGE-REQUEST port answers from the alternate port; change IP without a second IP → 420', () => {
    const core = makeCore();
    const portOnly = core.handleClientPacket(client, bindingRequest([u32Attribute(Attr.changeRequest, 0x02)]), T0);
    expect(portOnly[0]).toMatchObject({ type: 'send', via: 'alt-port' });
    expect(sent(portOnly).responseOrigin?.port).toBe(3479);
    expect(sent(core.handleClientPacket(client, bindingRequest([u32Attribute(Attr.changeRequest, 0x06)]), T0)).error).toBe(420);
  });

  it('unknown comprehension-required attribute → 420; responses and garbage are dropped', () => {
    const core = makeCore();
    expect(sent(core.handleClientPacket(client, bindingRequest([{ type: 0x7777, value: Buffer.alloc(4) }]), T0)).error).toBe(420);
    expect(core.handleClientPacket(client, Buffer.from('\xff\xfehello world, not stun', 'latin1'), T0)).toEqual([]);
    expect(core.stats.dropped.malformed).toBe(1);
  });
});

describe('TurnCore: Allocate and long-term credentials', () => {
  it('challenges an unauthenticated Allocate with 401, REALM and NONCE, and allocates nothing', () => {
    const core = makeCore();
    const r = sent(core.handleClientPacket(client, allocateRequest(), T0));
    expect(r.error).toBe(401);
    expect(r.realm).toBe('p2pcheck');
    expect(r.nonce).toMatch(/^[0-9a-f]{8}/);
    expect(core.counters().allocations).toBe(0);
  });

  it('allocates with valid REST credentials: XOR-RELAYED-ADDRESS, LIFETIME 600, signed response', () => {
    const core = makeCore();
    const { c, response, relay } = allocate(core, T0);
    expect(response.cls).toBe(StunClass.success);
    expect(response.relayed).toEqual(relay);
    expect(response.mapped).toEqual({ family: 4, address: client.address, port: client.port });
    expect(response.lifetime).toBe(600);
    expect(response.integrity(credentialKey(c))).toBe('ok');
    expect(core.counters().allocations).toBe(1);
  });

  it('wrong password → 401, never allocates', () => {
    const core = makeCore();
    const c = creds(core, T0, { password: 'not-the-password' });
    const actions = core.handleClientPacket(client, allocateRequest(c), T0);
    expect(actions.some((a) => a.type === 'bind-relay')).toBe(false);
    expect(sent(actions).error).toBe(401);
    expect(core.stats.authFailures['bad-integrity']).toBe(1);
    expect(core.counters().allocations).toBe(0);
  });

  it('expired credential → 401, never allocates', () => {
    const core = makeCore();
    const c = creds(core, T0 - 7200_000, { ttl: 3600 }); // expired an hour ago
    c.nonce = sent(core.handleClientPacket(client, allocateRequest(), T0)).nonce!;
    expect(sent(core.handleClientPacket(client, allocateRequest(c), T0)).error).toBe(401);
    expect(core.stats.authFailures.expired).toBe(1);
    expect(core.counters().allocations).toBe(0);
  });

  it('a cached key (user verified before) does not let a wrong password or an expired credential through', () => {
    const core = makeCore({ nonceTtlMs: 10 * 3600_000 });
    const { c } = allocate(core, T0, creds(core, T0, { ttl: 60 }));
    expect(core.keyCache.get(c.username)).toBeDefined();
    const other = { ...client, key: 'u:198.51.100.12:1', address: '198.51.100.12', port: 1 };
    const nonce = sent(core.handleClientPacket(other, allocateRequest(), T0)).nonce!;
    expect(sent(core.handleClientPacket(other, allocateRequest({ ...c, nonce, password: 'guess' }), T0)).error).toBe(401);
    expect(core.stats.authFailures['bad-integrity']).toBe(1);
    const later = sent(core.handleClientPacket(other, allocateRequest(), T0 + 61_000)).nonce!;
    expect(sent(core.handleClientPacket(other, allocateRequest({ ...c, nonce: later }), T0 + 61_000)).error).toBe(401);
    expect(core.stats.authFailures.expired).toBe(1);
    expect(core.counters().allocations).toBe(1);
  });

  it('stale nonce → 438 with a fresh nonce that then works', () => {
    const core = makeCore({ nonceTtlMs: 30_000 });
    const c = creds(core, T0);
    const r = sent(core.handleClientPacket(client, allocateRequest(c), T0 + 31_000));
    expect(r.error).toBe(438);
    expect(r.nonce).not.toBe(c.nonce);
    c.nonce = r.nonce!;
    expect(allocate(core, T0 + 31_000, c).response.cls).toBe(StunClass.success);
  });

  it('retransmitted Allocate gets the same success; a new one on the same 5-tuple → 437', () => {
    const core = makeCore();
    const c = creds(core, T0);
    const tid = Buffer.alloc(12, 7);
    const first = core.handleClientPacket(client, allocateRequest(c, [], tid), T0);
    const bind = first.find((a) => a.type === 'bind-relay')!;
    if (bind.type !== 'bind-relay') throw new Error();
    const relay = { family: 4 as const, address: '192.0.2.1', port: 50001 };
    const ok = core.relayBound(bind.allocation, { relay, localRelay: relay }, T0);
    const again = core.handleClientPacket(client, allocateRequest(c, [], tid), T0 + 100);
    expect(sent(again).msg.raw.equals(sent(ok).msg.raw)).toBe(true);
    expect(sent(core.handleClientPacket(client, allocateRequest(c), T0 + 200)).error).toBe(437);
  });

  it('REQUESTED-TRANSPORT TCP → 442; IPv6 family without IPv6 relay → 440; relay bind failure → 508', () => {
    const core = makeCore();
    const c = creds(core, T0);
    const tcp = Buffer.from([6, 0, 0, 0]);
    expect(sent(core.handleClientPacket(client, buildRequest(Method.allocate, [{ type: Attr.requestedTransport, value: tcp }], { auth: c }), T0)).error).toBe(442);
    expect(sent(core.handleClientPacket(client, allocateRequest(c, [{ type: Attr.requestedAddressFamily, value: Buffer.from([2, 0, 0, 0]) }]), T0)).error).toBe(440);
    const a = core.handleClientPacket(client, allocateRequest(c), T0).find((x) => x.type === 'bind-relay')!;
    if (a.type !== 'bind-relay') throw new Error();
    expect(sent(core.relayBound(a.allocation, null, T0)).error).toBe(508);
    expect(core.allocations.size).toBe(0);
  });

  // The total quota answered 486 before; 486 is the per-user (here also per-source) quota's code, and the page tells
  // the user "too many relays from your network" for it. The server-wide limit is capacity: 508.
  it('quotas: per user → 486, total → 508', () => {
    const core = makeCore({ userQuota: 1, totalQuota: 2 });
    allocate(core, T0);
    const c2 = { ...client, key: 'u:198.51.100.10:40001', port: 40001 };
    const c = creds(core, T0);
    expect(sent(core.handleClientPacket(c2, allocateRequest(c), T0)).error).toBe(486);
    const bob = creds(core, T0, { id: 'bob' });
    allocate(core, T0, bob, c2);
    const c3 = { ...client, key: 'u:198.51.100.10:40002', port: 40002 };
    const carol = creds(core, T0, { id: 'carol' });
    expect(sent(core.handleClientPacket(c3, allocateRequest(carol), T0)).error).toBe(508);
  });
});

describe('TurnCore: Refresh and lifetimes', () => {
  it('Refresh extends the allocation; without it the allocation expires after its lifetime', () => {
    const core = makeCore();
    const { c } = allocate(core, T0);
    expect(sent(core.handleClientPacket(client, refreshRequest(c, 600), T0 + 500_000)).lifetime).toBe(600);
    expect(core.sweep(T0 + 1_000_000)).toEqual([]);
    const closed = core.sweep(T0 + 1_100_001);
    expect(closed.map((a) => a.type)).toEqual(['close-relay', 'allocation-closed']);
    expect(closed[1]).toMatchObject({ reason: 'expired' });
    expect(core.counters().allocations).toBe(0);
  });

  it('Refresh with lifetime 0 deletes the allocation; a later Refresh → 437', () => {
    const core = makeCore();
    const { c } = allocate(core, T0);
    const actions = core.handleClientPacket(client, refreshRequest(c, 0), T0 + 1000);
    expect(sent(actions).lifetime).toBe(0);
    expect(actions.map((a) => a.type)).toEqual(['send', 'close-relay', 'allocation-closed']);
    expect(sent(core.handleClientPacket(client, refreshRequest(c, 600), T0 + 2000)).error).toBe(437);
  });

  it('lifetime is clamped to [600, 3600]', () => {
    const core = makeCore();
    const { c } = allocate(core, T0);
    expect(sent(core.handleClientPacket(client, refreshRequest(c, 99999), T0)).lifetime).toBe(3600);
    expect(sent(core.handleClientPacket(client, refreshRequest(c, 30), T0)).lifetime).toBe(600);
  });

  it('a different username on the allocation → 441', () => {
    const core = makeCore();
    allocate(core, T0);
    const other = creds(core, T0, { id: 'mallory' });
    expect(sent(core.handleClientPacket(client, refreshRequest(other, 600), T0)).error).toBe(441);
  });
});

describe('TurnCore: permissions, Send/Data and channels', () => {
  it('relays Send → peer and peer → Data indication only with a permission, which expires after 300 s', () => {
    const core = makeCore();
    const { c, allocation } = allocate(core, T0);
    // No permission yet: both directions dropped.
    expect(core.handleClientPacket(client, sendIndication(peer, Buffer.from('hi')), T0)).toEqual([]);
    expect(core.handleRelayPacket(allocation, peer, Buffer.from('yo'), T0)).toBeNull();
    expect(sent(core.handleClientPacket(client, createPermissionRequest(c, [peer]), T0)).cls).toBe(StunClass.success);
    expect(core.counters().permissions).toBe(1);
    const out = core.handleClientPacket(client, sendIndication(peer, Buffer.from('hi')), T0 + 1000);
    expect(out).toEqual([{ type: 'relay-send', allocation, peer, data: Buffer.from('hi') }]);
    // Permissions are per IP: another port of the same peer may answer (RFC 8656 §9).
    const back = core.handleRelayPacket(allocation, { ...peer, port: 6000 }, Buffer.from('yo'), T0 + 2000);
    const data = parseMessage((back as { data: Buffer }).data);
    expect(data.method).toBe(Method.data);
    expect(data.peer).toEqual({ ...peer, port: 6000 });
    expect(data.data?.toString()).toBe('yo');
    core.sweep(T0 + 301_000);
    expect(core.counters().permissions).toBe(0);
    expect(core.handleRelayPacket(allocation, peer, Buffer.from('late'), T0 + 301_000)).toBeNull();
  });

  // Sweeps run about once a second; between two of them each packet checks the expiry itself (RFC 8656 §9, §12).
  it('an expired permission stops Send and Data on the next packet, before any sweep; valid up to its last millisecond', () => {
    const core = makeCore();
    const { c, allocation } = allocate(core, T0);
    core.handleClientPacket(client, createPermissionRequest(c, [peer]), T0);
    const end = T0 + 300_000;
    expect(core.handleClientPacket(client, sendIndication(peer, Buffer.from('a')), end)).toHaveLength(1);
    expect(core.handleRelayPacket(allocation, peer, Buffer.from('b'), end)).not.toBeNull();
    expect(core.handleClientPacket(client, sendIndication(peer, Buffer.from('c')), end + 1)).toEqual([]);
    expect(core.handleRelayPacket(allocation, peer, Buffer.from('d'), end + 1)).toBeNull();
    expect(core.stats.dropped['no-permission']).toBe(2);
    expect(core.stats).toMatchObject({ packetsToPeer: 1, packetsToClient: 1, bytesToPeer: 1, bytesToClient: 1 });
  });

  it('an expired channel stops ChannelData on the next packet, before any sweep; the peer then arrives as Data', () => {
    const core = makeCore({ ...DEFAULT_LIFETIMES, permissionLifetimeS: 3600 });
    const { c, allocation } = allocate(core, T0);
    core.handleClientPacket(client, channelBindRequest(c, 0x4001, peer), T0);
    const end = T0 + 600_000;
    expect(core.handleClientPacket(client, encodeChannelData(0x4001, Buffer.from('a')), end)).toHaveLength(1);
    expect(core.handleRelayPacket(allocation, peer, Buffer.from('b'), end)).toMatchObject({ data: encodeChannelData(0x4001, Buffer.from('b')) });
    expect(core.handleClientPacket(client, encodeChannelData(0x4001, Buffer.from('c')), end + 1)).toEqual([]);
    expect(core.stats.dropped['no-channel']).toBe(1);
    expect(parseMessage((core.handleRelayPacket(allocation, peer, Buffer.from('d'), end + 1) as { data: Buffer }).data).method).toBe(Method.data);
  });

  it('ChannelBind: ChannelData both ways; the channel expires after 600 s and stays reserved 5 more minutes', () => {
    const core = makeCore();
    const { c, allocation } = allocate(core, T0);
    expect(sent(core.handleClientPacket(client, channelBindRequest(c, 0x4001, peer), T0)).cls).toBe(StunClass.success);
    expect(core.counters()).toMatchObject({ channels: 1, permissions: 1 });
    const out = core.handleClientPacket(client, encodeChannelData(0x4001, Buffer.from('abc')), T0 + 10);
    expect(out).toEqual([{ type: 'relay-send', allocation, peer, data: Buffer.from('abc') }]);
    const back = core.handleRelayPacket(allocation, peer, Buffer.from('xyz'), T0 + 20)!;
    expect(back).toMatchObject({ type: 'send', to: client, data: encodeChannelData(0x4001, Buffer.from('xyz')) });
    // Keep the permission alive with CreatePermission but let the channel lapse.
    for (const t of [250_000, 500_000]) core.handleClientPacket(client, createPermissionRequest(c, [peer]), T0 + t);
    core.handleClientPacket(client, refreshRequest(c, 600), T0 + 500_000);
    core.sweep(T0 + 601_000);
    expect(core.handleClientPacket(client, encodeChannelData(0x4001, Buffer.from('abc')), T0 + 601_000)).toEqual([]);
    // The peer now arrives as a Data indication instead.
    expect(parseMessage((core.handleRelayPacket(allocation, peer, Buffer.from('x'), T0 + 601_000) as { data: Buffer }).data).method).toBe(Method.data);
    // For 5 minutes after expiry the number and the peer stay reserved: no rebinding to someone else (§12).
    c.nonce = core.nonces.issue(client.address, T0 + 700_000);
    expect(sent(core.handleClientPacket(client, channelBindRequest(c, 0x4001, { ...peer, port: 7 }), T0 + 700_000)).error).toBe(400);
    core.handleClientPacket(client, refreshRequest(c, 600), T0 + 800_000);
    core.handleClientPacket(client, createPermissionRequest(c, [peer]), T0 + 800_000);
    core.sweep(T0 + 901_001);
    expect(core.counters()).toMatchObject({ channels: 0, permissions: 1 });
    expect(sent(core.handleClientPacket(client, channelBindRequest(c, 0x4001, { ...peer, port: 7 }), T0 + 901_001)).cls).toBe(StunClass.success);
  });

  it('ChannelBind errors: bad number 400, rebinding a channel to another peer 400, too many → 508', () => {
    const core = makeCore({ maxChannels: 1 });
    const { c } = allocate(core, T0);
    expect(sent(core.handleClientPacket(client, channelBindRequest(c, 0x3fff, peer), T0)).error).toBe(400);
    expect(sent(core.handleClientPacket(client, channelBindRequest(c, 0x8000, peer), T0)).error).toBe(400);
    expect(sent(core.handleClientPacket(client, channelBindRequest(c, 0x4000, peer), T0)).cls).toBe(StunClass.success);
    expect(sent(core.handleClientPacket(client, channelBindRequest(c, 0x4000, { ...peer, port: 1 }), T0)).error).toBe(400);
    expect(sent(core.handleClientPacket(client, channelBindRequest(c, 0x4002, peer), T0)).error).toBe(400);
    expect(sent(core.handleClientPacket(client, channelBindRequest(c, 0x4003, { ...peer, port: 2 }), T0)).error).toBe(508);
  });

  it('denied peers → 403; peer family mismatch → 443; too many permissions → 508', () => {
    const core = makeCore({ maxPermissions: 2 });
    const { c } = allocate(core, T0);
    for (const address of ['127.0.0.1', '::ffff:127.0.0.1', '10.0.0.1', '0.0.0.0']) {
      const family = address.includes(':') ? 6 : 4;
      const code = sent(core.handleClientPacket(client, createPermissionRequest(c, [{ family, address, port: 9 }]), T0)).error;
      expect([address, code]).toEqual([address, family === 4 ? 403 : 443]);
    }
    expect(sent(core.handleClientPacket(client, createPermissionRequest(c, [{ family: 6, address: '2001:db8::1', port: 1 }]), T0)).error).toBe(443);
    const three = [1, 2, 3].map((n) => ({ family: 4 as const, address: `8.8.8.${n}`, port: 1 }));
    expect(sent(core.handleClientPacket(client, createPermissionRequest(c, three), T0)).error).toBe(508);
    expect(core.counters().permissions).toBe(0);
  });

  it('relaying to another allocation of this server stays allowed on a denied range', () => {
    const core = makeCore({ allowPeers: [] });
    const a = allocate(core, T0);
    const otherClient = { ...client, key: 'u:198.51.100.11:1', address: '198.51.100.11', port: 1 };
    const b = allocate(core, T0, creds(core, T0, { id: 'bob', who: otherClient }), otherClient);
    expect(a.relay.address).toBe('192.0.2.1'); // documentation range: denied for other ports
    expect(sent(core.handleClientPacket(client, createPermissionRequest(a.c, [b.relay]), T0)).cls).toBe(StunClass.success);
    // B has no permission for A's relay yet: the packet leaves A and is dropped at B (RFC 8656 §9).
    expect(core.handleClientPacket(client, sendIndication(b.relay, Buffer.from('hi')), T0)).toEqual([]);
    expect(core.stats.dropped['no-permission']).toBe(1);
    expect(sent(core.handleClientPacket(otherClient, createPermissionRequest(b.c, [a.relay]), T0)).cls).toBe(StunClass.success);
    // Delivered in-process to B's client as a Data indication from A's relayed address.
    const out = core.handleClientPacket(client, sendIndication(b.relay, Buffer.from('hi')), T0);
    expect(out.map((x) => (x.type === 'send' ? x.to : x.type))).toEqual([otherClient]);
    expect(sent(out)).toMatchObject({ method: Method.data, peer: a.relay });
    expect(sent(out).data?.toString()).toBe('hi');
    expect(core.stats).toMatchObject({ packetsToPeer: 2, packetsToClient: 1 });
    // Same IP, a port that is not one of our relays: not relayed.
    expect(core.handleClientPacket(client, sendIndication({ ...b.relay, port: 22 }, Buffer.from('hi')), T0)).toEqual([]);
    expect(core.stats.dropped['denied-peer']).toBe(1);
  });

  it('bandwidth cap per allocation drops the excess', () => {
    const core = makeCore({ maxBps: 1000 });
    const { c } = allocate(core, T0);
    core.handleClientPacket(client, createPermissionRequest(c, [publicPeer]), T0);
    let relayed = 0;
    for (let i = 0; i < 20; i++) relayed += core.handleClientPacket(client, sendIndication(publicPeer, Buffer.alloc(100)), T0).length;
    expect(relayed).toBe(10);
    expect(core.stats.dropped.bandwidth).toBe(10);
    expect(core.handleClientPacket(client, sendIndication(publicPeer, Buffer.alloc(100)), T0 + 200)).toHaveLength(1);
  });

  it('unauthenticated replies are rate limited per source IP', () => {
    const core = makeCore({ unauthRate: 5 });
    let answered = 0;
    for (let i = 0; i < 50; i++) answered += core.handleClientPacket(client, allocateRequest(), T0).length;
    expect(answered).toBe(10); // burst = 2 × rate
    expect(core.handleClientPacket({ ...client, address: '198.51.100.99' }, allocateRequest(), T0)).toHaveLength(1);
    expect(core.handleClientPacket(client, allocateRequest(), T0 + 1000)).toHaveLength(1);
  });

  it('unauthenticated replies are rate limited per IPv6 /64, not per address (one host owns the whole /64)', () => {
    const core = makeCore({ unauthRate: 5 });
    const v6 = (address: string, port: number): ClientRef => ({ key: `u:${address}:${port}`, transport: 'udp', address, port, family: 6, via: 'primary' });
    let answered = 0;
    // 50 different addresses of one /64, as a host rotating its interface identifier would use.
    for (let i = 0; i < 50; i++) answered += core.handleClientPacket(v6(`2001:db8:1:2::${(i + 1).toString(16)}`, 5000 + i), allocateRequest(), T0).length;
    expect(answered).toBe(10);
    expect(core.handleClientPacket(v6('2001:db8:1:3::1', 6000), allocateRequest(), T0)).toHaveLength(1);
    // Binding successes share the per-/64 budget: rotating addresses gets no more answers (reflection/amplification).
    let bindings = 0;
    for (let i = 0; i < 50; i++) bindings += core.handleClientPacket(v6(`2001:db8:1:4::${(i + 1).toString(16)}`, 7000 + i), bindingRequest(), T0).length;
    expect(bindings).toBe(10);
  });
});

describe('TurnCore: allocations per source (IPv4 address, IPv6 /64) → 486', () => {
  const from = (address: string, port: number): ClientRef => ({ key: `u:${address}:${port}`, transport: 'udp', address, port, family: address.includes(':') ? 6 : 4, via: 'primary' });
  /** Allocate as a new REST user each time (the per-user quota never applies); the answer's error code or null. */
  let user = 0;
  const tryAllocate = (core: TurnCore, who: ClientRef, now = T0): number | null => {
    const c = creds(core, now, { id: `user-${user++}`, who });
    const actions = core.handleClientPacket(who, allocateRequest(c), now);
    const bind = actions.find((a) => a.type === 'bind-relay');
    if (!bind || bind.type !== 'bind-relay') return sent(actions).error;
    const relay = { family: 4 as const, address: '192.0.2.1', port: 50000 + bind.allocation.id };
    return sent(core.relayBound(bind.allocation, { relay, localRelay: relay }, now)).error;
  };

  it('one IPv4 address gets sourceQuota allocations with any number of credentials and ports; another address still allocates', () => {
    const core = makeCore({ sourceQuota: 3 });
    const answers = Array.from({ length: 6 }, (_, i) => tryAllocate(core, from('198.51.100.10', 40000 + i)));
    expect(answers).toEqual([null, null, null, 486, 486, 486]);
    expect(core.stats.quotaRefusals).toEqual({ total: 0, user: 0, source: 3 });
    expect(tryAllocate(core, from('198.51.100.11', 40000))).toBeNull();
    // IPv4-mapped IPv6 (a dual-stack socket) is the same source as the IPv4 address.
    expect(tryAllocate(core, from('::ffff:198.51.100.10', 40100))).toBe(486);
  });

  it('IPv6 sources are counted per /64: new addresses in the same /64 do not help, another /64 is separate', () => {
    const core = makeCore({ sourceQuota: 2 });
    expect(tryAllocate(core, from('2001:db8:0:1::a', 1))).toBeNull();
    expect(tryAllocate(core, from('2001:db8:0:1:ffff:ffff:ffff:ffff', 2))).toBeNull();
    expect(tryAllocate(core, from('2001:db8:0:1::b', 3))).toBe(486);
    expect(tryAllocate(core, from('2001:db8:0:2::a', 4))).toBeNull();
  });

  it('the slot comes back when an allocation ends: Refresh lifetime 0, expiry, a TCP client gone, a relay that never bound', () => {
    const core = makeCore({ sourceQuota: 1 });
    const a = from('198.51.100.20', 1);
    const b = from('198.51.100.20', 2);
    const { c } = allocate(core, T0, creds(core, T0, { id: 'first', who: a }), a);
    expect(tryAllocate(core, b)).toBe(486);
    core.handleClientPacket(a, refreshRequest(c, 0), T0 + 1000);
    expect(tryAllocate(core, b, T0 + 2000)).toBeNull(); // b holds it now
    expect(tryAllocate(core, a, T0 + 2000)).toBe(486);
    core.sweep(T0 + 2000 + 601_000); // b's allocation expired
    expect(tryAllocate(core, a, T0 + 2000 + 601_000)).toBeNull();
    core.clientGone(a.key);
    const pending = core.handleClientPacket(b, allocateRequest(creds(core, T0 + 603_000, { id: 'late', who: b })), T0 + 603_000)
      .find((x) => x.type === 'bind-relay')!;
    if (pending.type !== 'bind-relay') throw new Error('no bind-relay');
    expect(sent(core.relayBound(pending.allocation, null, T0 + 603_000)).error).toBe(508);
    expect(tryAllocate(core, a, T0 + 603_000)).toBeNull();
  });

  it('0 switches the per-source quota off', () => {
    const core = makeCore({ sourceQuota: 0 });
    expect(Array.from({ length: 40 }, (_, i) => tryAllocate(core, from('198.51.100.30', i + 1))).every((e) => e === null)).toBe(true);
  });
});

describe('TurnCore: counters and the adapter’s notes', () => {
  it('counts packets and bytes each way, peer send errors by code, malformed streams; clientGone and closeAll close', () => {
    const core = makeCore();
    const { c, allocation } = allocate(core, T0);
    core.handleClientPacket(client, createPermissionRequest(c, [peer]), T0);
    expect(core.handleClientPacket(client, sendIndication(peer, Buffer.from('hello')), T0)).toHaveLength(1);
    expect(core.handleClientPacket(client, sendIndication(peer, Buffer.from('abc')), T0)).toHaveLength(1);
    expect(core.handleRelayPacket(allocation, peer, Buffer.from('yo'), T0)).not.toBeNull();
    expect(core.counters()).toMatchObject({ packetsToPeer: 2, bytesToPeer: 8, packetsToClient: 1, bytesToClient: 2, allocationsCreated: 1, allocationsClosed: 0 });
    expect(allocation.bytesToPeer).toBe(8);
    expect(allocation.bytesToClient).toBe(2);

    core.notePeerSendError('ENETUNREACH');
    core.notePeerSendError('ENETUNREACH');
    core.notePeerSendError('EPERM');
    expect([...core.stats.peerSendErrors]).toEqual([['ENETUNREACH', 2], ['EPERM', 1]]);
    const malformed = core.stats.dropped.malformed;
    core.noteMalformedStream();
    expect(core.stats.dropped.malformed).toBe(malformed + 1);

    expect(core.clientGone('no-such-client')).toEqual([]);
    expect(core.counters().allocations).toBe(1);
    expect(core.clientGone(client.key).length).toBeGreaterThan(0);
    expect(core.counters()).toMatchObject({ allocations: 0, allocationsClosed: 1, permissions: 0 });
    expect(core.handleClientPacket(client, sendIndication(peer, Buffer.from('late')), T0)).toEqual([]);

    const other: ClientRef = { ...client, key: 'u:198.51.100.11:40001', address: '198.51.100.11', port: 40001 };
    allocate(core, T0, creds(core, T0, { who: other }), other);
    expect(core.counters().allocations).toBe(1);
    expect(core.closeAll().length).toBeGreaterThan(0);
    expect(core.counters()).toMatchObject({ allocations: 0, allocationsClosed: 2 });
  });
});

describe('TurnCore: malformed Allocate and Refresh attributes', () => {
  const u32x2 = (type: number, first: number) => { const v = Buffer.alloc(8); v.writeUInt32BE(first, 0); return { type, value: v }; };

  it('Allocate: a LIFETIME that is not 4 bytes is ignored (default granted); a REQUESTED-ADDRESS-FAMILY that is not 4 bytes → 440', () => {
    const core = makeCore();
    const c = creds(core, T0);
    const bad = core.handleClientPacket(client, allocateRequest(c, [{ type: Attr.requestedAddressFamily, value: Buffer.from([1, 0, 0, 0, 0, 0, 0, 0]) }]), T0);
    expect(sent(bad).error).toBe(440);
    expect(core.counters().allocations).toBe(0);
    const actions = core.handleClientPacket(client, allocateRequest(c, [u32x2(Attr.lifetime, 3000), { type: Attr.requestedAddressFamily, value: Buffer.from([1, 0, 0, 0]) }]), T0);
    const bind = actions.find((a) => a.type === 'bind-relay');
    if (!bind || bind.type !== 'bind-relay') throw new Error('no bind-relay');
    const relay = { family: 4 as const, address: '192.0.2.1', port: 50001 };
    expect(sent(core.relayBound(bind.allocation, { relay, localRelay: relay }, T0)).lifetime).toBe(600);
  });

  it('Allocate: REQUESTED-TRANSPORT missing or not 4 bytes → 400, TCP → 442; an address family with a RESERVATION-TOKEN → 400', () => {
    const core = makeCore();
    const c = creds(core, T0);
    expect(sent(core.handleClientPacket(client, buildRequest(Method.allocate, [], { auth: c }), T0)).error).toBe(400);
    expect(sent(core.handleClientPacket(client, buildRequest(Method.allocate, [{ type: Attr.requestedTransport, value: Buffer.from([17, 0, 0, 0, 0, 0, 0, 0]) }], { auth: c }), T0)).error).toBe(400);
    expect(sent(core.handleClientPacket(client, buildRequest(Method.allocate, [{ type: Attr.requestedTransport, value: Buffer.from([6, 0, 0, 0]) }], { auth: c }), T0)).error).toBe(442);
    const withToken = allocateRequest(c, [{ type: Attr.requestedAddressFamily, value: Buffer.from([1, 0, 0, 0]) }, { type: Attr.reservationToken, value: Buffer.alloc(8) }]);
    expect(sent(core.handleClientPacket(client, withToken, T0)).error).toBe(400);
    expect(core.counters().allocations).toBe(0);
  });

  it('a retransmitted Allocate gets nothing while the relay binds, the same success after; another transaction → 437', () => {
    const core = makeCore();
    const c = creds(core, T0);
    const tid = Buffer.alloc(12, 7);
    const first = core.handleClientPacket(client, allocateRequest(c, [], tid), T0);
    const bind = first.find((a) => a.type === 'bind-relay');
    if (!bind || bind.type !== 'bind-relay') throw new Error('no bind-relay');
    expect(core.handleClientPacket(client, allocateRequest(c, [], tid), T0)).toEqual([]);
    const relay = { family: 4 as const, address: '192.0.2.1', port: 50002 };
    const done = sent(core.relayBound(bind.allocation, { relay, localRelay: relay }, T0));
    const again = sent(core.handleClientPacket(client, allocateRequest(c, [], tid), T0 + 10));
    expect(again.cls).toBe(StunClass.success);
    expect(again.relayed).toEqual(done.relayed);
    expect(sent(core.handleClientPacket(client, allocateRequest(c), T0 + 20)).error).toBe(437);
  });

  it('Refresh: a LIFETIME that is not 4 bytes neither deletes nor sets (default); a bad address family → 440, the other family → 443', () => {
    const core = makeCore();
    const { c } = allocate(core, T0);
    const r = sent(core.handleClientPacket(client, buildRequest(Method.refresh, [u32x2(Attr.lifetime, 0)], { auth: c }), T0 + 1000));
    expect(r.cls).toBe(StunClass.success);
    expect(r.lifetime).toBe(600);
    expect(core.counters().allocations).toBe(1);
    expect(sent(core.handleClientPacket(client, buildRequest(Method.refresh, [{ type: Attr.requestedAddressFamily, value: Buffer.from([1, 0, 0]) }], { auth: c }), T0)).error).toBe(440);
    expect(sent(core.handleClientPacket(client, buildRequest(Method.refresh, [{ type: Attr.requestedAddressFamily, value: Buffer.from([2, 0, 0, 0]) }], { auth: c }), T0)).error).toBe(443);
    expect(sent(core.handleClientPacket(client, buildRequest(Method.refresh, [{ type: Attr.requestedAddressFamily, value: Buffer.from([1, 0, 0, 0]) }], { auth: c }), T0)).cls).toBe(StunClass.success);
    expect(core.counters().allocations).toBe(1);
  });
});

describe('TurnCore: refused requests and indications', () => {
  it('420 lists the unknown comprehension-required attributes (UNKNOWN-ATTRIBUTES), CHANGE-REQUEST over TCP included', () => {
    const core = makeCore();
    const unknownOf = (buf: Buffer) => {
      const r = decodeStunMessage(buf);
      if (!r.ok) throw new Error(r.reason);
      const v = getAttribute(r.message, Attr.unknownAttributes)!.value;
      return Array.from({ length: v.length / 2 }, (_, i) => v.readUInt16BE(i * 2));
    };
    const send = (actions: TurnAction[]) => { const s = actions[0]; if (s?.type !== 'send') throw new Error('no send'); return s.data; };
    expect(unknownOf(send(core.handleClientPacket(client, bindingRequest([{ type: 0x7777, value: Buffer.alloc(4) }, { type: 0x7778, value: Buffer.alloc(4) }]), T0)))).toEqual([0x7777, 0x7778]);
    const tcp: ClientRef = { ...client, key: 't:1', transport: 'tcp' };
    expect(unknownOf(send(core.handleClientPacket(tcp, bindingRequest([u32Attribute(Attr.changeRequest, 0)]), T0)))).toEqual([Attr.changeRequest]);
  });

  it('a Send indication without DATA, to port 0, or an indication of another method is dropped and counted', () => {
    const core = makeCore();
    const { c } = allocate(core, T0);
    core.handleClientPacket(client, createPermissionRequest(c, [peer]), T0);
    const before = core.stats.dropped['bad-indication'];
    expect(core.handleClientPacket(client, sendIndication({ ...peer, port: 0 }, Buffer.from('x')), T0)).toEqual([]);
    const noData = encodeStunMessage({ method: Method.send, cls: StunClass.indication, transactionId: Buffer.alloc(12, 1), attributes: [] });
    expect(core.handleClientPacket(client, noData, T0)).toEqual([]);
    const dataInd = encodeStunMessage({ method: Method.data, cls: StunClass.indication, transactionId: Buffer.alloc(12, 2), attributes: [] });
    expect(core.handleClientPacket(client, dataInd, T0)).toEqual([]);
    expect(core.stats.dropped['bad-indication']).toBe(before + 3);
    expect(core.counters().packetsToPeer).toBe(0);
  });
});

describe('TurnCore: what a client sees for odd packets', () => {
  const tcpClient: ClientRef = { ...client, key: 't:198.51.100.10:40000', transport: 'tcp' };

  it('a request whose FINGERPRINT is wrong is dropped as malformed; with the right one it is answered', () => {
    const core = makeCore();
    const good = appendFingerprint(bindingRequest());
    expect(sent(core.handleClientPacket(client, good, T0)).cls).toBe(StunClass.success);
    const bad = Buffer.from(good);
    bad[bad.length - 1]! ^= 0xff;
    expect(core.handleClientPacket(client, bad, T0)).toEqual([]);
    expect(core.stats.dropped.malformed).toBe(1);
  });

  it('a response sent to the server is dropped and counted as a response, not as a bad indication', () => {
    const core = makeCore();
    const response = encodeStunMessage({ method: Method.binding, cls: StunClass.success, transactionId: Buffer.alloc(12, 3), attributes: [] });
    expect(core.handleClientPacket(client, response, T0)).toEqual([]);
    expect(core.stats.dropped).toMatchObject({ response: 1, 'bad-indication': 0 });
  });

  it('comprehension-optional attributes (0x8000 and up) are ignored; UNKNOWN-ATTRIBUTES lists at most 16 of the unknown required ones', () => {
    const core = makeCore();
    expect(sent(core.handleClientPacket(client, bindingRequest([{ type: 0x8000, value: Buffer.alloc(4) }]), T0)).cls).toBe(StunClass.success);
    const many = Array.from({ length: 20 }, (_, i) => ({ type: 0x7000 + i, value: Buffer.alloc(4) }));
    const r = sent(core.handleClientPacket(client, bindingRequest(many), T0));
    expect(r.error).toBe(420);
    const listed = getAttribute(r.msg, Attr.unknownAttributes)!.value;
    expect(Array.from({ length: listed.length / 2 }, (_, i) => listed.readUInt16BE(i * 2))).toEqual(many.slice(0, 16).map((a) => a.type));
  });

  it('a request of a method the server does not know → 400', () => {
    const core = makeCore();
    const r = sent(core.handleClientPacket(client, buildRequest(0x0ff, []), T0));
    expect(r.cls).toBe(StunClass.error);
    expect(r.error).toBe(400);
  });

  it('ChannelData without an allocation, or shorter than its length field, is dropped and nothing reaches a peer', () => {
    const core = makeCore();
    expect(core.handleClientPacket(client, encodeChannelData(0x4001, Buffer.from('abc')), T0)).toEqual([]);
    expect(core.stats.dropped['no-allocation']).toBe(1);
    const { c } = allocate(core, T0);
    core.handleClientPacket(client, channelBindRequest(c, 0x4001, peer), T0);
    const truncated = encodeChannelData(0x4001, Buffer.alloc(100, 1)).subarray(0, 4 + 10);
    expect(core.handleClientPacket(client, truncated, T0)).toEqual([]);
    expect(core.stats.dropped.malformed).toBe(1);
    expect(core.counters().packetsToPeer).toBe(0);
  });

  it('a Send indication with a peer but no DATA, or DATA but no peer, is dropped and counted', () => {
    const core = makeCore();
    const { c } = allocate(core, T0);
    core.handleClientPacket(client, createPermissionRequest(c, [peer]), T0);
    const tid = Buffer.alloc(12, 4);
    const noData = encodeStunMessage({ method: Method.send, cls: StunClass.indication, transactionId: tid, attributes: [xorAddressAttribute(Attr.xorPeerAddress, peer, tid)] });
    const noPeer = encodeStunMessage({ method: Method.send, cls: StunClass.indication, transactionId: tid, attributes: [{ type: Attr.data, value: Buffer.from('x') }] });
    expect(core.handleClientPacket(client, noData, T0)).toEqual([]);
    expect(core.handleClientPacket(client, noPeer, T0)).toEqual([]);
    expect(core.stats.dropped['bad-indication']).toBe(2);
    expect(core.counters().packetsToPeer).toBe(0);
  });

  it('the bandwidth cap holds for what peers send too', () => {
    const core = makeCore({ maxBps: 1000 });
    const { c, allocation } = allocate(core, T0);
    core.handleClientPacket(client, createPermissionRequest(c, [peer]), T0);
    let delivered = 0;
    for (let i = 0; i < 20; i++) if (core.handleRelayPacket(allocation, peer, Buffer.alloc(100), T0)) delivered++;
    expect(delivered).toBe(10);
    expect(core.stats.dropped.bandwidth).toBe(10);
    expect(core.counters()).toMatchObject({ packetsToClient: 10, bytesToClient: 1000 });
  });

  it('a peer\u2019s datagram still in flight when the allocation closed is dropped without counting a missing permission', () => {
    const core = makeCore();
    const { c, allocation } = allocate(core, T0);
    core.handleClientPacket(client, createPermissionRequest(c, [peer]), T0);
    core.handleClientPacket(client, refreshRequest(c, 0), T0 + 1000);
    expect(core.handleRelayPacket(allocation, peer, Buffer.from('late'), T0 + 1001)).toBeNull();
    expect(core.stats.dropped['no-permission']).toBe(0);
  });

  it('ChannelData to a TCP client is padded to a multiple of 4 bytes (RFC 8656 §12.5); over UDP it is not', () => {
    for (const [who, length] of [[client, 4 + 3], [tcpClient, 8]] as const) {
      const core = makeCore();
      const { c, allocation } = allocate(core, T0, creds(core, T0, { who }), who);
      core.handleClientPacket(who, channelBindRequest(c, 0x4001, peer), T0);
      const out = core.handleRelayPacket(allocation, peer, Buffer.from('abc'), T0);
      expect(out).toMatchObject({ type: 'send', to: who });
      const data = (out as { data: Buffer }).data;
      expect([who.transport, data.length]).toEqual([who.transport, length]);
      expect(data.subarray(4, 7).toString()).toBe('abc');
    }
  });

  it('every Data indication carries a transaction ID of its own, past the wrap of its last byte', () => {
    const core = makeCore();
    const { c, allocation } = allocate(core, T0);
    core.handleClientPacket(client, createPermissionRequest(c, [peer]), T0);
    const ids = new Set<string>();
    for (let i = 0; i < 600; i++) {
      const out = core.handleRelayPacket(allocation, peer, Buffer.from('x'), T0);
      const data = parseMessage((out as { data: Buffer }).data);
      expect(data.method).toBe(Method.data);
      ids.add(data.msg.transactionId.toString('hex'));
    }
    expect(ids.size).toBe(600);
  });

  it('a TCP client gone: its allocation closes with the reason the adapter logs', () => {
    const core = makeCore();
    allocate(core, T0, creds(core, T0, { who: tcpClient }), tcpClient);
    expect(core.clientGone(tcpClient.key).find((a) => a.type === 'allocation-closed')).toMatchObject({ reason: 'client-gone' });
  });

  it('counters() sums the authentication failures of every kind', () => {
    const core = makeCore();
    const wrong = creds(core, T0, { password: 'wrong' });
    core.handleClientPacket(client, allocateRequest(wrong), T0);
    const expired = creds(core, T0 - 7200_000, { ttl: 3600 });
    expired.nonce = sent(core.handleClientPacket(client, allocateRequest(), T0)).nonce!;
    core.handleClientPacket(client, allocateRequest(expired), T0);
    expect(core.stats.authFailures).toMatchObject({ 'bad-integrity': 1, expired: 1 });
    expect(core.counters().authFailures).toBe(2);
  });
});

describe('TurnCore: Allocate and Refresh details a client or the adapter sees', () => {
  it('an address family byte that is neither IPv4 nor IPv6 → 440, even where IPv6 relays exist', () => {
    const core = makeCore({ relayFamilies: { 4: true, 6: true } });
    const c = creds(core, T0);
    const r = core.handleClientPacket(client, allocateRequest(c, [{ type: Attr.requestedAddressFamily, value: Buffer.from([3, 0, 0, 0]) }]), T0);
    expect(sent(r).error).toBe(440);
    expect(core.handleClientPacket(client, allocateRequest(c, [{ type: Attr.requestedAddressFamily, value: Buffer.from([2, 0, 0, 0]) }]), T0)).toMatchObject([{ type: 'bind-relay', family: 6 }]);
  });

  it('EVEN-PORT asks the adapter for an even relay port; without it any port', () => {
    const core = makeCore();
    const c = creds(core, T0);
    expect(core.handleClientPacket(client, allocateRequest(c, [{ type: Attr.evenPort, value: Buffer.from([0, 0, 0, 0]) }]), T0)).toMatchObject([{ type: 'bind-relay', evenPort: true }]);
    const other: ClientRef = { ...client, key: 'u:198.51.100.10:40009', port: 40009 };
    expect(core.handleClientPacket(other, allocateRequest(creds(core, T0, { who: other })), T0)).toMatchObject([{ type: 'bind-relay', evenPort: false }]);
  });

  it('a TCP client gone while its relay binds: the bound socket is closed and the client gets nothing', () => {
    const core = makeCore();
    const tcp: ClientRef = { ...client, key: 't:198.51.100.10:40000', transport: 'tcp' };
    const bind = core.handleClientPacket(tcp, allocateRequest(creds(core, T0, { who: tcp })), T0).find((a) => a.type === 'bind-relay');
    if (!bind || bind.type !== 'bind-relay') throw new Error('no bind-relay');
    expect(core.clientGone(tcp.key)).toEqual([]);
    const relay = { family: 4 as const, address: '192.0.2.1', port: 50001 };
    expect(core.relayBound(bind.allocation, { relay, localRelay: relay }, T0)).toEqual([{ type: 'close-relay', allocation: bind.allocation }]);
    expect(core.counters()).toMatchObject({ allocations: 0, allocationsCreated: 0 });
  });

  it('Refresh without credentials is challenged (401 with a nonce) and changes nothing; Refresh 0 closes with its own reason', () => {
    const core = makeCore();
    const { c } = allocate(core, T0);
    const r = sent(core.handleClientPacket(client, buildRequest(Method.refresh, [u32Attribute(Attr.lifetime, 0)]), T0 + 1000));
    expect(r.error).toBe(401);
    expect(r.nonce).not.toBeNull();
    expect(core.counters().allocations).toBe(1);
    const closed = core.handleClientPacket(client, refreshRequest(c, 0), T0 + 2000);
    expect(closed.find((a) => a.type === 'allocation-closed')).toMatchObject({ reason: 'refresh-0' });
  });
});

describe('TurnCore: secret rotation and indications from clients', () => {
  it('during a rotation (previousSecret) a credential made with the old secret still allocates; one made with neither does not', () => {
    const core = makeCore({ secret: 'new-secret', previousSecret: SECRET });
    expect(allocate(core, T0).response.cls).toBe(StunClass.success);
    const other: ClientRef = { ...client, key: 'u:198.51.100.13:1', address: '198.51.100.13', port: 1 };
    const nonce = sent(core.handleClientPacket(other, allocateRequest(), T0)).nonce!;
    const stranger = createRestCredential('some-other-secret', { ttlSeconds: 3600, id: 'eve', nowMs: T0 });
    expect(sent(core.handleClientPacket(other, allocateRequest({ username: stranger.username, password: stranger.credential, realm: 'p2pcheck', nonce }), T0)).error).toBe(401);
  });

  it('a Data indication from a client (only the server sends those) is not relayed, even with a peer and data', () => {
    const core = makeCore();
    const { c } = allocate(core, T0);
    core.handleClientPacket(client, createPermissionRequest(c, [peer]), T0);
    const tid = Buffer.alloc(12, 5);
    const data = encodeStunMessage({ method: Method.data, cls: StunClass.indication, transactionId: tid, attributes: [xorAddressAttribute(Attr.xorPeerAddress, peer, tid), { type: Attr.data, value: Buffer.from('x') }] });
    expect(core.handleClientPacket(client, data, T0)).toEqual([]);
    expect(core.stats.dropped['bad-indication']).toBe(1);
    expect(core.counters().packetsToPeer).toBe(0);
  });
});
