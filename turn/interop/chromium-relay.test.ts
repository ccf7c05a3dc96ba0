// Chromium (Debian's /usr/bin/chromium) relaying through p2pcheck's server on loopback, over UDP and over TCP:
// two peer connections in one page, relay only, a data channel message must arrive.
import { existsSync } from 'node:fs';
import puppeteer, { type Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, CHROMIUM_PATH as CHROMIUM } from '../../e2e/support/chromium-flags';
import { createRestCredential } from '../auth/rest-credentials';
import { decodeStunMessage } from '../stun/message';
import { CHROMIUM_CAPTURES } from '../stun/testdata/chromium-captures';
import { startServerForTest, TEST_SECRET } from '../testing/test-server';

const haveChromium = existsSync(CHROMIUM);
const cleanups: Array<() => Promise<unknown>> = [];
let browser: Browser;

describe.skipIf(!haveChromium)('Chromium relays through p2pcheck' + (haveChromium ? '' : ` — skipped: ${CHROMIUM} missing`), () => {
  beforeAll(async () => {
    browser = await puppeteer.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
    });
  }, 30_000);
  afterAll(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
    await browser?.close();
  });

  it.each(['udp', 'tcp'] as const)('turn:…?transport=%s: relay candidates only, the data channel message arrives', async (transport) => {
    const server = await startServerForTest(cleanups);
    const cred = createRestCredential(TEST_SECRET, { ttlSeconds: 600, id: 'chromium' });
    const page = await browser.newPage();
    cleanups.push(() => page.close());
    const result = await page.evaluate(async (url, username, credential) => {
      const cfg: RTCConfiguration = { iceServers: [{ urls: url, username, credential }], iceTransportPolicy: 'relay' };
      const a = new RTCPeerConnection(cfg);
      const b = new RTCPeerConnection(cfg);
      a.onicecandidate = (e) => void (e.candidate && b.addIceCandidate(e.candidate));
      b.onicecandidate = (e) => void (e.candidate && a.addIceCandidate(e.candidate));
      const ch = a.createDataChannel('x');
      const got = new Promise<string>((resolve) => {
        b.ondatachannel = (e) => { e.channel.onmessage = (m) => resolve(String(m.data)); };
      });
      await a.setLocalDescription(await a.createOffer());
      await b.setRemoteDescription(a.localDescription!);
      await b.setLocalDescription(await b.createAnswer());
      await a.setRemoteDescription(b.localDescription!);
      await new Promise<void>((resolve) => { ch.onopen = () => resolve(); });
      ch.send('through the relay');
      const message = await got;
      const stats = await a.getStats();
      const local: Array<{ type: string; relayProtocol: string; address: string }> = [];
      stats.forEach((r) => { if (r.type === 'local-candidate') local.push({ type: r.candidateType, relayProtocol: r.relayProtocol, address: r.address }); });
      a.close();
      b.close();
      return { message, local };
    }, `turn:127.0.0.1:${server.udpPort}?transport=${transport}`, cred.username, cred.credential);
    expect(result.message).toBe('through the relay');
    expect(result.local.length).toBeGreaterThan(0);
    for (const c of result.local) expect(c).toEqual({ type: 'relay', relayProtocol: transport, address: '127.0.0.1' });
    expect(server.counters().allocationsCreated).toBe(2); // one per peer connection, TURN URL and local interface
    expect(server.counters().packetsToPeer).toBeGreaterThan(0);
    // Closing the peer connections gives the allocations back (Refresh lifetime 0, or the TCP connection's close)
    // at once, not after their 600 s lifetime: closed pages never hold a share of TURN_MAX_ALLOCATIONS_PER_IP.
    await expect.poll(() => server.counters().allocations, { timeout: 5000 }).toBe(0);
  }, 30_000);

  it('the Chromium captures used as fuzzing seeds are well-formed STUN or ChannelData', () => {
    for (const [name, hex] of Object.entries(CHROMIUM_CAPTURES)) {
      const buf = Buffer.from(hex, 'hex');
      if (name.endsWith('channel-data')) expect(buf[0]! & 0xc0).toBe(0x40);
      else expect(decodeStunMessage(buf).ok).toBe(true);
    }
  });
});
