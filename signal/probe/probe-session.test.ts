import { describe, expect, it } from 'vitest';
import { decodeXorAddress, xorAddressAttribute } from '../../turn/stun/address';
import { Attr, Method, StunClass } from '../../turn/stun/constants';
import { errorCodeAttribute } from '../../turn/stun/error-code';
import { appendFingerprint, checkFingerprint } from '../../turn/stun/fingerprint';
import { appendMessageIntegrity, checkMessageIntegrity } from '../../turn/stun/integrity';
import { familyAddress } from '../../common/net/transport-address';
import { decodeStunMessage, encodeStunMessage, getAttribute, textAttribute, u32Attribute, type DecodedStunMessage } from '../../turn/stun/message';
import { buildLiteAnswer, parseOffer } from './ice-lite-sdp';
import { ProbeRegistry } from './probe-registry';
import { ProbeService, type ProbeClock, type ProbeTransport } from './probe-service';
import { CHECK_BUDGET_MS, CHECK_MIN_WAIT_MS, CHECK_SCHEDULE_MS, ProbeSession } from './probe-session';
import type { EndpointRole } from '../../common/net/endpoint-role';

// A data-channel offer as Chromium writes it (trimmed to what matters; credentials are made up).
const BROWSER_UFRAG = 'Xy7q';
const BROWSER_PWD = 'f3Kq9ZtB1mYw2sVd8LpR0aHc';
const OFFER = [
  'v=0',
  'o=- 4611731400430051336 2 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'a=group:BUNDLE 0',
  'a=extmap-allow-mixed',
  'a=msid-semantic: WMS',
  'm=application 9 UDP/DTLS/SCTP webrtc-datachannel',
  'c=IN IP4 0.0.0.0',
  `a=ice-ufrag:${BROWSER_UFRAG}`,
  `a=ice-pwd:${BROWSER_PWD}`,
  'a=ice-options:trickle',
  'a=fingerprint:sha-256 9B:1F:6E:57:5B:2E:45:3C:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77',
  'a=setup:actpass',
  'a=mid:0',
  'a=sctp-port:5000',
  'a=max-message-size:262144',
  '',
].join('\r\n');

const decode = (b: Buffer): DecodedStunMessage => {
  const d = decodeStunMessage(b);
  if (!d.ok) throw new Error(`not STUN: ${d.reason}`);
  return d.message;
};

let txCounter = 0;
/** The browser's check to the probe: USERNAME "<probe>:<browser>", signed with the probe's pwd. */
function browserCheck(probeUfrag: string, probePwd: string, opts: { pwd?: string; username?: string } = {}): Buffer {
  const transactionId = Buffer.alloc(12, ++txCounter);
  const body = encodeStunMessage({
    method: Method.binding,
    cls: StunClass.request,
    transactionId,
    attributes: [
      textAttribute(Attr.username, opts.username ?? `${probeUfrag}:${BROWSER_UFRAG}`),
      u32Attribute(Attr.priority, 1845501695),
      { type: Attr.iceControlling, value: Buffer.alloc(8, 7) },
      { type: Attr.useCandidate, value: Buffer.alloc(0) },
    ],
  });
  return appendFingerprint(appendMessageIntegrity(body, Buffer.from(opts.pwd ?? probePwd, 'utf8')));
}

/** What Chromium sends back for one of the probe's checks: success signed with the browser's pwd. */
function browserAnswer(check: Buffer, opts: { pwd?: string; error?: number } = {}): Buffer {
  const msg = decode(check);
  const body = encodeStunMessage({
    method: Method.binding,
    cls: opts.error ? StunClass.error : StunClass.success,
    transactionId: msg.transactionId,
    attributes: opts.error ? [errorCodeAttribute(opts.error)] : [xorAddressAttribute(Attr.xorMappedAddress, familyAddress('198.51.100.1', 3479), msg.transactionId)],
  });
  return appendFingerprint(appendMessageIntegrity(body, Buffer.from(opts.pwd ?? BROWSER_PWD, 'utf8')));
}

const BROWSER_NAT = { address: '198.51.100.15', port: 40123 };

function newSession(now = 0) {
  const parsed = parseOffer(OFFER);
  if (!parsed.ok) throw new Error(parsed.error);
  return new ProbeSession({ local: { ufrag: 'prb1', pwd: 'probepasswordprobepassw' }, remote: parsed.ice, now });
}

describe('parseOffer / buildLiteAnswer', () => {
  it('reads the data channel section\u2019s credentials and mid', () => {
    expect(parseOffer(OFFER)).toEqual({ ok: true, ice: { ufrag: BROWSER_UFRAG, pwd: BROWSER_PWD, mid: '0' } });
  });
  it('session-level credentials apply when the m-line has none', () => {
    const moved = OFFER.replace(`a=ice-ufrag:${BROWSER_UFRAG}\r\n`, '').replace('t=0 0\r\n', `t=0 0\r\na=ice-ufrag:${BROWSER_UFRAG}\r\n`);
    expect(parseOffer(moved)).toMatchObject({ ok: true, ice: { ufrag: BROWSER_UFRAG } });
  });
  it('rejects offers without a data channel or with bad credentials, saying what is missing', () => {
    expect(parseOffer('v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=ice-ufrag:abcd\r\n')).toMatchObject({ ok: false, error: expect.stringMatching(/createDataChannel/) });
    expect(parseOffer(OFFER.replace(BROWSER_PWD, 'short'))).toMatchObject({ ok: false, error: expect.stringMatching(/ice-pwd/) });
    expect(parseOffer(OFFER.replace(`ice-ufrag:${BROWSER_UFRAG}`, 'ice-ufrag:a b'))).toMatchObject({ ok: false, error: expect.stringMatching(/ice-ufrag/) });
    expect(parseOffer('')).toMatchObject({ ok: false });
    expect(parseOffer('x'.repeat(70000))).toMatchObject({ ok: false });
  });
  it('the answer is ICE-lite with one host candidate, the offer\u2019s mid and a sha-256 fingerprint', () => {
    const sdp = buildLiteAnswer({ offer: { ufrag: 'abcd', pwd: BROWSER_PWD, mid: 'dc' }, local: { ufrag: 'prb1', pwd: 'probepasswordprobepassw' }, candidate: { address: '198.51.100.1', port: 3478 } });
    expect(sdp).toMatch(/^a=ice-lite$/m);
    expect(sdp).toMatch(/^a=mid:dc$/m);
    expect(sdp).toMatch(/^a=group:BUNDLE dc$/m);
    expect(sdp).toMatch(/^a=fingerprint:sha-256 ([0-9A-F]{2}:){31}[0-9A-F]{2}$/m);
    expect(sdp.match(/^a=candidate:.*$/gm)).toEqual(['a=candidate:1 1 udp 2130706431 198.51.100.1 3478 typ host']);
    expect(sdp).toMatch(/^a=setup:active$/m);
    expect(sdp.endsWith('\r\n')).toBe(true);
    const v6 = buildLiteAnswer({ offer: { ufrag: 'abcd', pwd: BROWSER_PWD, mid: '0' }, local: { ufrag: 'prb1', pwd: 'probepasswordprobepassw' }, candidate: { address: '2001:db8::1', port: 3478 } });
    expect(v6).toMatch(/^c=IN IP6 2001:db8::1$/m);
  });
});

describe('ProbeSession: answering the browser\u2019s checks', () => {
  it('answers a correctly signed check with XOR-MAPPED-ADDRESS = its source, signed with the probe pwd', () => {
    const s = newSession();
    const out = s.handleRequest(decode(browserCheck('prb1', s.local.pwd)), BROWSER_NAT, 'primary', 5);
    if (typeof out === 'string') throw new Error(out);
    expect(out.to).toEqual(BROWSER_NAT);
    expect(out.via).toBe('primary');
    const res = decode(out.packet);
    expect(res.cls).toBe(StunClass.success);
    expect(checkFingerprint(res)).toBe(true);
    expect(checkMessageIntegrity(res, Buffer.from(s.local.pwd))).toBe('ok');
    expect(decodeXorAddress(getAttribute(res, Attr.xorMappedAddress)!, res.transactionId)).toMatchObject(BROWSER_NAT);
    expect(s.observedSources()).toEqual([{ from: BROWSER_NAT, via: 'primary', checks: 1, firstAt: 5 }]);
  });

  it('ignores checks with the wrong password, wrong username, or a broken fingerprint — and records nothing', () => {
    const s = newSession();
    expect(s.handleRequest(decode(browserCheck('prb1', s.local.pwd, { pwd: 'wrongwrongwrongwrongwrong' })), BROWSER_NAT, 'primary', 0)).toBe('bad-integrity');
    expect(s.handleRequest(decode(browserCheck('prb1', s.local.pwd, { username: `prb1:other` })), BROWSER_NAT, 'primary', 0)).toBe('wrong-username');
    const broken = Buffer.from(browserCheck('prb1', s.local.pwd));
    broken[broken.length - 1]! ^= 0xff;
    expect(s.handleRequest(decode(broken), BROWSER_NAT, 'primary', 0)).toBe('bad-fingerprint');
    expect(s.observedSources()).toEqual([]);
  });
});

describe('ProbeSession: the filtering checks', () => {
  it('sends one check per source, USERNAME "<browser>:<probe>" signed with the browser\u2019s pwd, as the controlled agent', () => {
    const s = newSession();
    const sends = s.startFiltering(BROWSER_NAT, ['primary', 'alt-port', 'alt-ip'], 0);
    expect(sends.map((x) => x.via)).toEqual(['primary', 'alt-port', 'alt-ip']);
    for (const send of sends) {
      const m = decode(send.packet);
      expect(send.to).toEqual(BROWSER_NAT);
      expect(getAttribute(m, Attr.username)?.value.toString()).toBe(`${BROWSER_UFRAG}:prb1`);
      expect(checkMessageIntegrity(m, Buffer.from(BROWSER_PWD))).toBe('ok');
      expect(checkFingerprint(m)).toBe(true);
      expect(getAttribute(m, Attr.iceControlled)?.value.length).toBe(8);
      expect(getAttribute(m, Attr.iceControlling)).toBeUndefined();
      expect(getAttribute(m, Attr.priority)?.value.readUInt32BE(0)).toBe(1862270975);
    }
    expect(new Set(sends.map((x) => decode(x.packet).transactionId.toString('hex'))).size).toBe(3);
  });

  it('records answers (success or error) and retransmits the rest on schedule; stops 700 ms after a fast control answer', () => {
    const s = newSession();
    const [primary, altPort, altIp] = s.startFiltering(BROWSER_NAT, ['primary', 'alt-port', 'alt-ip'], 1000);
    expect(s.handleResponse(decode(browserAnswer(primary!.packet)), 1030)).toBe(true);
    expect(s.handleResponse(decode(browserAnswer(altPort!.packet, { error: 487 })), 1040)).toBe(true);
    expect(s.handleResponse(decode(browserAnswer(altIp!.packet, { pwd: 'notthebrowserpasswordxx' })), 1040)).toBe('bad-integrity');
    const resent: EndpointRole[] = [];
    let doneAt: number | null = null;
    for (let t = 1000; t <= 1000 + CHECK_BUDGET_MS + 100 && doneAt === null; t += 10) {
      for (const x of s.poll(t)) resent.push(x.via);
      if (s.filteringDone(t)) doneAt = t;
    }
    expect(doneAt).toBe(1000 + CHECK_MIN_WAIT_MS);
    expect(resent).toEqual(CHECK_SCHEDULE_MS.filter((ms) => ms > 0 && ms <= CHECK_MIN_WAIT_MS).map(() => 'alt-ip'));
    expect(s.filteringResults()).toEqual([
      { role: 'primary', answered: true, sent: 1, rttMs: 30, response: 'success' },
      { role: 'alt-port', answered: true, sent: 1, rttMs: 40, response: 487 },
      { role: 'alt-ip', answered: false, sent: 1 + resent.length, rttMs: null, response: null },
    ]);
  });

  it('waits longer when the control answer is slow, and the whole budget when it never comes', () => {
    const slow = newSession();
    const [p1] = slow.startFiltering(BROWSER_NAT, ['primary', 'alt-port'], 0);
    slow.handleResponse(decode(browserAnswer(p1!.packet)), 200); // 5 × 200 + 300 = 1300 ms
    expect(slow.filteringDone(1299)).toBe(false);
    expect(slow.filteringDone(1300)).toBe(true);
    const lost = newSession();
    lost.startFiltering(BROWSER_NAT, ['primary', 'alt-port'], 0);
    for (let t = 0; t < CHECK_BUDGET_MS; t += 10) lost.poll(t);
    expect(lost.filteringDone(CHECK_BUDGET_MS - 1)).toBe(false);
    expect(lost.filteringDone(CHECK_BUDGET_MS)).toBe(true);
    expect(lost.filteringResults().map((r) => r.sent)).toEqual([CHECK_SCHEDULE_MS.length, CHECK_SCHEDULE_MS.length]);
  });

  it('is done as soon as every check is answered', () => {
    const s = newSession();
    const [only] = s.startFiltering(BROWSER_NAT, ['primary'], 0);
    expect(s.filteringDone(0)).toBe(false);
    s.handleResponse(decode(browserAnswer(only!.packet)), 12);
    expect(s.filteringDone(12)).toBe(true);
  });
});

describe('ProbeRegistry + ProbeService against a simulated NAT', () => {
  /** A fake clock and a "network" where the browser sits behind a NAT that admits only `admits` sources. */
  function harness(admits: EndpointRole[], vias: EndpointRole[] = ['primary', 'alt-port', 'alt-ip', 'alt-ip-port']) {
    let now = 0;
    const clock: ProbeClock = { now: () => now, sleep: async (ms) => void (now += ms) };
    const service = new ProbeService({ clock });
    const sent: { via: EndpointRole; to: unknown }[] = [];
    const transport: ProbeTransport = {
      vias: () => vias,
      sendFrom(via, to, packet) {
        sent.push({ via, to });
        const m = decode(packet);
        if (m.cls === StunClass.request && admits.includes(via)) {
          // The browser answers; its answer reaches the socket the check left from.
          queueMicrotask(() => service.onDatagram(browserAnswer(packet), to, via));
        }
      },
    };
    service.attach(transport);
    return { service, sent, advance: (ms: number) => (now += ms) };
  }

  function offerAndCheck(h: ReturnType<typeof harness>) {
    const created = h.service.registry.create(OFFER, { address: '198.51.100.1', port: 3478 }, 0);
    if (!created.ok) throw new Error(created.error);
    const ufrag = /a=ice-ufrag:(\S+)/.exec(created.answer)![1]!;
    const pwd = /a=ice-pwd:(\S+)/.exec(created.answer)![1]!;
    expect(h.service.onDatagram(browserCheck(ufrag, pwd), BROWSER_NAT, 'primary')).toBe(true);
    return created.id;
  }

  for (const [name, admits, expected] of [
    ['full cone', ['primary', 'alt-port', 'alt-ip', 'alt-ip-port'], [true, true, true, true]],
    ['restricted cone', ['primary', 'alt-port'], [true, true, false, false]],
    ['port-restricted cone', ['primary'], [true, false, false, false]],
  ] as const) {
    it(`${name}: answers arrive exactly from the admitted sources`, async () => {
      const h = harness([...admits]);
      const id = offerAndCheck(h);
      const r = await h.service.run(id, BROWSER_NAT);
      if ('code' in r) throw new Error(r.error);
      expect(r.target).toEqual(BROWSER_NAT);
      expect(r.hintMatched).toBe(true);
      expect(r.checks.map((c) => c.answered)).toEqual(expected);
      expect(h.sent.every((s) => JSON.stringify(s.to) === JSON.stringify(BROWSER_NAT))).toBe(true);
    });
  }

  it('never sends to an address the browser\u2019s checks did not come from (no reflection)', async () => {
    const h = harness(['primary']);
    const created = h.service.registry.create(OFFER, { address: '198.51.100.1', port: 3478 }, 0);
    if (!created.ok) throw new Error(created.error);
    const r = await h.service.run(created.id, { address: '192.0.2.99', port: 53 }, { waitForCheckMs: 300 });
    expect(r).toMatchObject({ code: 'no-check-received' });
    expect(h.sent.filter((s) => JSON.stringify(s.to).includes('192.0.2.99'))).toEqual([]);
  });

  it('falls back to the observed source when the browser\u2019s srflx hint does not match', async () => {
    const h = harness(['primary']);
    const id = offerAndCheck(h);
    const r = await h.service.run(id, { address: '203.0.113.9', port: 1 }, { waitForCheckMs: 200 });
    if ('code' in r) throw new Error(r.error);
    expect(r.target).toEqual(BROWSER_NAT);
    expect(r.hintMatched).toBe(false);
  });

  it('unknown probe, garbage datagrams and foreign STUN are not claimed; nothing crashes', async () => {
    const h = harness(['primary']);
    expect(await h.service.run('A'.repeat(22), null)).toMatchObject({ code: 'no-such-probe' });
    expect(h.service.onDatagram(Buffer.from('hello'), BROWSER_NAT, 'primary')).toBe(false);
    expect(h.service.onDatagram(browserCheck('nope', 'probepasswordprobepassw'), BROWSER_NAT, 'primary')).toBe(false);
    for (let i = 0; i < 2000; i++) {
      const junk = Buffer.from(browserCheck('prb1', 'probepasswordprobepassw'));
      junk[Math.floor(Math.random() * junk.length)] = Math.floor(Math.random() * 256);
      h.service.onDatagram(junk, BROWSER_NAT, 'primary');
    }
  });

  it('caps the number of sessions and expires old ones', () => {
    const reg = new ProbeRegistry({ maxSessions: 2, ttlMs: 1000 });
    expect(reg.create(OFFER, { address: '198.51.100.1', port: 3478 }, 0).ok).toBe(true);
    expect(reg.create(OFFER, { address: '198.51.100.1', port: 3478 }, 0).ok).toBe(true);
    expect(reg.create(OFFER, { address: '198.51.100.1', port: 3478 }, 10)).toMatchObject({ ok: false, code: 'busy' });
    expect(reg.create(OFFER, { address: '198.51.100.1', port: 3478 }, 2000).ok).toBe(true);
    expect(reg.size).toBe(1);
  });
});
