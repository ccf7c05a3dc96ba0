// Fuzzing the pure core in-process: ≥ 1,000,000 mutated STUN/TURN/ChannelData messages (from RFC 5769 vectors,
// Chromium and coturn client captures and valid messages of every method), plus mutated peer traffic. The core must never
// throw, its maps must stay bounded and consistent, and afterwards it still answers a Binding request.
import { describe, expect, it } from 'vitest';
import { createRestCredential } from '../auth/rest-credentials';
import { encodeChannelData } from '../stun/channel-data';
import { Attr, StunClass } from '../stun/constants';
import { decodeStunMessage, encodeStunMessage, textAttribute, type StunAttribute } from '../stun/message';
import { appendMessageIntegrity } from '../stun/integrity';
import { CHROMIUM_CAPTURES } from '../stun/testdata/chromium-captures';
import { UCLIENT_CAPTURES } from '../stun/testdata/uclient-captures';
import * as v from '../stun/testdata/rfc5769-vectors';
import {
  allocateRequest, bindingRequest, channelBindRequest, createPermissionRequest, credentialKey, parseMessage, refreshRequest, sendIndication,
  type Credentials,
} from '../testing/client-messages';
import { mutateBytes, mutateStructure, Rng } from '../testing/mutator';
import { TurnCore } from './turn-core';
import { DEFAULT_LIFETIMES, type ClientRef, type TurnAction } from './types';

const ITERATIONS = Number(process.env.TURN_FUZZ_ITERATIONS ?? 1_000_000);
const SEED = Number(process.env.TURN_FUZZ_SEED ?? 0x5eed);
const SECRET = 'fuzz-secret';

describe('fuzz: TurnCore', () => {
  it(`survives ${ITERATIONS.toLocaleString('en')} mutated messages without throwing, leaking or losing Binding`, () => {
    let now = 1_800_000_000_000;
    const maxPermissions = 8;
    const maxChannels = 8;
    const core = new TurnCore({
      realm: 'p2pcheck', secret: SECRET, nonceTtlMs: 600_000, ...DEFAULT_LIFETIMES, userQuota: 0, totalQuota: 0, sourceQuota: 0, maxBps: 0,
      maxPermissions, maxChannels, unauthRate: 0, allowPeers: ['203.0.113.0/24'],
      endpoints: { 4: { primary: { family: 4, address: '192.0.2.1', port: 3478 }, 'alt-port': { family: 4, address: '192.0.2.1', port: 3479 } }, 6: {} },
      relayFamilies: { 4: true, 6: false },
    });
    const clients: ClientRef[] = [];
    for (let i = 0; i < 24; i++) {
      const transport = i % 3 === 0 ? 'tcp' : 'udp';
      clients.push({ key: `${transport}-${i}`, transport, address: `198.51.100.${i % 6}`, port: 40000 + i, family: 4, via: i % 5 === 0 ? 'alt-port' : 'primary' });
    }
    let relayPort = 50000;
    const apply = (actions: TurnAction[]) => {
      for (const a of actions) {
        if (a.type === 'bind-relay') {
          const relay = { family: 4 as const, address: '192.0.2.1', port: relayPort++ };
          apply(core.relayBound(a.allocation, relayPort % 50 === 0 ? null : { relay, localRelay: relay }, now));
        }
      }
    };
    // Valid credentials per client (nonce bound to the client IP), and a corpus of valid messages.
    const creds = clients.map((c, i): Credentials => {
      const challenge = core.handleClientPacket(c, allocateRequest(), now).find((a) => a.type === 'send')!;
      const nonce = parseMessage((challenge as { data: Buffer }).data).nonce!;
      const rest = createRestCredential(SECRET, { ttlSeconds: 86400, id: `user${i % 4}`, nowMs: now });
      return { username: rest.username, password: rest.credential, realm: 'p2pcheck', nonce };
    });
    const peers = [1, 2, 3].map((n) => ({ family: 4 as const, address: `203.0.113.${n}`, port: 5000 + n }));
    const resign = (hex: string, c: Credentials): Buffer => {
      const r = decodeStunMessage(Buffer.from(hex, 'hex'));
      if (!r.ok) return Buffer.from(hex, 'hex');
      const keep = r.message.attributes.filter((a) => ![Attr.username, Attr.realm, Attr.nonce, Attr.messageIntegrity, Attr.fingerprint].includes(a.type as never));
      const attrs: StunAttribute[] = [...keep, textAttribute(Attr.username, c.username), textAttribute(Attr.realm, c.realm), textAttribute(Attr.nonce, c.nonce)];
      return appendMessageIntegrity(encodeStunMessage({ ...r.message, attributes: attrs }), credentialKey(c));
    };
    const corpusFor = (i: number): Buffer[] => {
      const c = creds[i]!;
      return [
        allocateRequest(c), refreshRequest(c, 600), refreshRequest(c, 0), createPermissionRequest(c, peers),
        channelBindRequest(c, 0x4000 + (i % 4), peers[i % 3]!), sendIndication(peers[0]!, Buffer.from('data')),
        encodeChannelData(0x4000 + (i % 4), Buffer.alloc(32, i), c === creds[0]), bindingRequest([{ type: Attr.changeRequest, value: Buffer.from([0, 0, 0, 6]) }]),
        ...[...Object.values(UCLIENT_CAPTURES), ...Object.values(CHROMIUM_CAPTURES)].map((hex) => resign(hex, c)),
      ];
    };
    const corpora = clients.map((_, i) => corpusFor(i));
    const keys = creds.map(credentialKey);
    const raw = [v.sampleRequest, v.sampleIPv4Response, v.sampleIPv6Response, v.sampleLongTermRequest, ...[...Object.values(UCLIENT_CAPTURES), ...Object.values(CHROMIUM_CAPTURES)].map((h) => Buffer.from(h, 'hex'))];
    const everything = [...raw, ...corpora.flat()];
    const rng = new Rng(SEED);

    // Start with every client allocated and bound, so mutations reach the allocation paths.
    clients.forEach((c, i) => {
      apply(core.handleClientPacket(c, allocateRequest(creds[i]), now));
      apply(core.handleClientPacket(c, createPermissionRequest(creds[i]!, peers), now));
    });
    expect(core.counters().allocations).toBeGreaterThan(20);

    const checkInvariants = () => {
      let perms = 0;
      let chans = 0;
      for (const a of core.allocations.values()) {
        expect(a.permissions.size).toBeLessThanOrEqual(maxPermissions);
        expect(a.channels?.size ?? 0).toBeLessThanOrEqual(maxChannels);
        expect(a.channelByPeer?.size ?? 0).toBe(a.channels?.size ?? 0);
        perms += a.permissions.size;
        chans += a.channels?.size ?? 0;
      }
      expect(core.allocations.size).toBeLessThanOrEqual(clients.length);
      expect(core.permissionCount).toBe(perms);
      expect(core.channelCount).toBe(chans);
      expect(core.unauthLimiter.size).toBeLessThanOrEqual(100_000);
    };

    for (let i = 0; i < ITERATIONS; i++) {
      const ci = rng.int(clients.length);
      const client = clients[ci]!;
      const corpus = corpora[ci]!;
      // Mostly cheap byte-level mutations; re-signed structural ones (3 HMACs each) and valid traffic less often.
      const kind = rng.int(100);
      let packet: Buffer;
      if (kind < 80) packet = mutateBytes(rng, (kind < 30 ? raw : corpus)[rng.int(kind < 30 ? raw.length : corpus.length)]!, everything);
      else if (kind < 92) packet = mutateStructure(rng, corpus[rng.int(corpus.length)]!, keys[ci]!);
      else if (kind < 96) packet = corpus[rng.int(corpus.length)]!; // valid traffic keeps allocations alive
      else {
        const allocation = core.allocations.get(client.key);
        if (allocation?.relay) {
          const from = rng.int(4) ? peers[rng.int(3)]! : { family: 4 as const, address: `203.0.113.${rng.int(256)}`, port: rng.int(65536) };
          core.handleRelayPacket(allocation, from, rng.bytes(rng.int(64)), now);
        }
        continue;
      }
      apply(core.handleClientPacket(client, packet, now));
      if (i % 5000 === 0) {
        now += 7_000;
        apply(core.sweep(now));
        checkInvariants();
      }
    }
    checkInvariants();
    expect(core.stats.dropped.malformed).toBeGreaterThan(ITERATIONS / 20);
    expect(core.stats.allocationsCreated).toBeGreaterThan(24);
    expect(core.stats.packetsToPeer).toBeGreaterThan(0);

    // Still answers a Binding request.
    const probe: ClientRef = { key: 'u-probe', transport: 'udp', address: '198.51.100.200', port: 1234, family: 4, via: 'primary' };
    const answer = core.handleClientPacket(probe, bindingRequest(), now).find((a) => a.type === 'send');
    expect(answer && parseMessage((answer as { data: Buffer }).data).cls).toBe(StunClass.success);
    // No leak: once everything has expired, nothing is left.
    apply(core.sweep(now + 2 * 3600_000));
    expect(core.counters()).toMatchObject({ allocations: 0, permissions: 0, channels: 0 });
    expect(core.allocations.size).toBe(0);
    expect(core.ledger.total()).toBe(0);
  }, 300_000);
});
