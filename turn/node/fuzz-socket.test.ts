// The bounded over-the-wire share of the fuzzing: mutated datagrams to the UDP listener and mutated streams to the
// TCP listener of a running server. Afterwards it still answers Binding over both, nothing was allocated, and no
// input needed the adapter boundary's catch (handler errors 0).
import { afterEach, describe, expect, it } from 'vitest';
import { StunClass } from '../stun/constants';
import { encodeChannelData } from '../stun/channel-data';
import { CHROMIUM_CAPTURES } from '../stun/testdata/chromium-captures';
import { UCLIENT_CAPTURES } from '../stun/testdata/uclient-captures';
import * as v from '../stun/testdata/rfc5769-vectors';
import { allocateRequest, bindingRequest, parseMessage } from '../testing/client-messages';
import { mutateBytes, Rng } from '../testing/mutator';
import { StreamTestClient, UdpTestClient } from '../testing/socket-clients';
import { startServerForTest } from '../testing/test-server';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const DATAGRAMS = 20_000;
const STREAM_CONNECTIONS = 200;

describe('fuzz over sockets', () => {
  it(`${DATAGRAMS} mutated datagrams and ${STREAM_CONNECTIONS} mutated TCP streams: no crash, no allocation, still answering`, async () => {
    const server = await startServerForTest(cleanups, { TURN_ALT_PORT: '0' });
    const corpus = [v.sampleRequest, v.sampleLongTermRequest, v.sampleIPv4Response, bindingRequest(), allocateRequest(),
      encodeChannelData(0x4000, Buffer.alloc(20)), ...[...Object.values(UCLIENT_CAPTURES), ...Object.values(CHROMIUM_CAPTURES)].map((h) => Buffer.from(h, 'hex'))];
    const rng = new Rng(0xf00d);
    const attacker = await UdpTestClient.open();
    cleanups.push(() => attacker.close());
    for (let i = 0; i < DATAGRAMS; i++) {
      const packet = mutateBytes(rng, corpus[rng.int(corpus.length)]!, corpus);
      if (packet.length) attacker.send(packet, i % 2 ? server.udpPort : server.altPort!);
      if (i % 500 === 0) await new Promise((r) => setImmediate(r));
    }
    for (let i = 0; i < STREAM_CONNECTIONS; i++) {
      const c = await StreamTestClient.open(server.tcpPort!);
      for (let j = 0; j < 5; j++) c.send(mutateBytes(rng, corpus[rng.int(corpus.length)]!, corpus));
      await c.close();
    }
    // Answers a Binding over UDP (from another source IP: the attacker's own IP is rate limited) and over TCP.
    const probe = await UdpTestClient.open('127.0.0.3');
    cleanups.push(() => probe.close());
    // Retransmitted like a real STUN client (RFC 8489 §6.2.1): one datagram may be lost while the server
    // still works through the flood's backlog; what matters is that it answers.
    let answer: Buffer | null = null;
    for (let attempt = 0; attempt < 5 && !answer; attempt++) {
      probe.send(bindingRequest(), server.udpPort);
      answer = await probe.next(() => true, 2000).catch(() => null);
    }
    expect(answer && parseMessage(answer).cls).toBe(StunClass.success);
    const tcp = await StreamTestClient.open(server.tcpPort!);
    cleanups.push(() => tcp.close());
    // The TCP probe comes from the flood's own source IP, whose unauthenticated replies are rate limited
    // (by design): a request is answered again once its token bucket has refilled.
    let tcpAnswer: Buffer | null = null;
    for (let attempt = 0; attempt < 5 && !tcpAnswer; attempt++) {
      tcp.send(bindingRequest());
      tcpAnswer = await tcp.next(() => true, 2000).catch(() => null);
    }
    expect(tcpAnswer && parseMessage(tcpAnswer).cls).toBe(StunClass.success);
    expect(server.counters()).toMatchObject({ allocations: 0, allocationsCreated: 0, permissions: 0, channels: 0 });
    await expect.poll(() => server.counters().tcpConnections).toBe(1);
    expect(server.core.stats.dropped.malformed).toBeGreaterThan(DATAGRAMS / 10);
    // Nothing reached the adapter boundary (handler-guard.ts): every mutated input was handled, not caught.
    expect(server.counters().handlerErrors).toBe(0);
  }, 60_000);
});
