// The probe wired into a real p2pcheck (HTTP + TURN server) on loopback, with a scripted "browser" ICE agent on
// a UDP socket that answers only the probe checks its pretend NAT lets in.
import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Attr, Method, StunClass } from '../../turn/stun/constants';
import { appendFingerprint, checkFingerprint } from '../../turn/stun/fingerprint';
import { appendMessageIntegrity, checkMessageIntegrity } from '../../turn/stun/integrity';
import { decodeStunMessage, encodeStunMessage, getAttribute, textAttribute, u32Attribute } from '../../turn/stun/message';
import { startApp, type RunningApp } from '../app';
import { BROWSER_OFFER, BROWSER_PWD, BROWSER_UFRAG } from './fake-browser-agent';
import { createProbeFeature, type ProbeFeature } from './probe-feature';

const OFFER = BROWSER_OFFER;

let app: RunningApp;
let probe: ProbeFeature;
let base: string;

beforeAll(async () => {
  probe = createProbeFeature();
  const env = { HOST: '127.0.0.1', PORT: '0', TURN_LISTEN: '127.0.0.1', TURN_PORT: '0', TURN_ALT_PORT: '0', TURN_LISTEN_V6: 'off', LOG_LEVEL: 'silent', TURN_SECRET: 'test-secret' };
  app = await startApp(env, [probe.route]);
  probe.attach(app, env);
  base = `http://127.0.0.1:${app.httpPort}`;
});

afterAll(async () => {
  probe?.detach();
  await app?.close();
});

const post = async (path: string, body: unknown) => {
  const res = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
};

/** A UDP socket that plays the browser's ICE agent: checks the probe, answers the probe's checks from `admit`. */
async function fakeBrowser(admitPorts: (port: number) => boolean): Promise<{ sock: Socket; seen: number[]; check: (ufrag: string, pwd: string, port: number) => Promise<boolean> }> {
  const sock = createSocket('udp4');
  sock.bind(0, '127.0.0.1');
  await once(sock, 'listening');
  const seen: number[] = [];
  const answers = new Map<string, () => void>();
  sock.on('message', (buf, rinfo) => {
    const d = decodeStunMessage(buf);
    if (!d.ok) return;
    const m = d.message;
    if (m.cls === StunClass.success) {
      answers.get(m.transactionId.toString('hex'))?.();
      return;
    }
    if (m.cls !== StunClass.request) return;
    seen.push(rinfo.port);
    if (!admitPorts(rinfo.port)) return; // our pretend NAT drops it
    expect(getAttribute(m, Attr.username)?.value.toString()).toMatch(new RegExp(`^${BROWSER_UFRAG}:`));
    expect(checkMessageIntegrity(m, Buffer.from(BROWSER_PWD))).toBe('ok');
    const res = encodeStunMessage({ method: Method.binding, cls: StunClass.success, transactionId: m.transactionId, attributes: [] });
    sock.send(appendFingerprint(appendMessageIntegrity(res, Buffer.from(BROWSER_PWD))), rinfo.port, rinfo.address);
  });
  return {
    sock,
    seen,
    check: (ufrag, pwd, port) =>
      new Promise<boolean>((resolve) => {
        const tx = Buffer.alloc(12, 9);
        const body = encodeStunMessage({
          method: Method.binding,
          cls: StunClass.request,
          transactionId: tx,
          attributes: [textAttribute(Attr.username, `${ufrag}:${BROWSER_UFRAG}`), u32Attribute(Attr.priority, 1845501695), { type: Attr.iceControlling, value: Buffer.alloc(8, 1) }],
        });
        const timer = setTimeout(() => resolve(false), 1000);
        answers.set(tx.toString('hex'), () => {
          clearTimeout(timer);
          resolve(true);
        });
        sock.send(appendFingerprint(appendMessageIntegrity(body, Buffer.from(pwd))), port, '127.0.0.1');
      }),
  };
}

describe('probe peer over HTTP + the TURN server\u2019s sockets', () => {
  it('answers the offer with an ICE-lite SDP whose candidate is the primary STUN port', async () => {
    const { status, json } = await post('/api/probe/offer', { sdp: OFFER });
    expect(status).toBe(200);
    const sdp = (json.answer as { sdp: string }).sdp;
    expect(sdp).toContain('a=ice-lite');
    expect(sdp).toContain(`127.0.0.1 ${app.turn!.udpPort} typ host`);
    expect(json.sources).toEqual(['primary', 'alt-port']);
  });

  for (const [name, admitAltPort, expected] of [
    ['a NAT that admits a new port (address-dependent or open)', true, [true, true]],
    ['a NAT that admits only the contacted address and port', false, [true, false]],
  ] as const) {
    it(`filtering run against ${name}`, async () => {
      const { json } = await post('/api/probe/offer', { sdp: OFFER });
      const id = json.id as string;
      const sdp = (json.answer as { sdp: string }).sdp;
      const ufrag = /a=ice-ufrag:(\S+)/.exec(sdp)![1]!;
      const pwd = /a=ice-pwd:(\S+)/.exec(sdp)![1]!;
      const browser = await fakeBrowser((port) => port === app.turn!.udpPort || admitAltPort);
      try {
        expect(await browser.check(ufrag, pwd, app.turn!.udpPort)).toBe(true); // the probe answers our check
        const run = await post(`/api/probe/${id}/run`, { srflx: null });
        expect(run.status).toBe(200);
        const checks = run.json.checks as { role: string; answered: boolean }[];
        expect(checks.map((c) => c.role)).toEqual(['primary', 'alt-port']);
        expect(checks.map((c) => c.answered)).toEqual(expected);
        expect(new Set(browser.seen)).toEqual(new Set([app.turn!.udpPort, app.turn!.altPort]));
      } finally {
        browser.sock.close();
      }
    });
  }

  it('bad input gets a clear 4xx and changes nothing', async () => {
    const before = ((await (await fetch(`${base}/api/probe/status`)).json()) as { sessions: number }).sessions;
    expect((await post('/api/probe/offer', { sdp: 'v=0' })).json).toMatchObject({ code: 'bad-offer' });
    expect((await post('/api/probe/offer', { nope: 1 })).status).toBe(400);
    const notJson = await fetch(`${base}/api/probe/offer`, { method: 'POST', body: '{' });
    expect(notJson.status).toBe(400);
    expect((await post('/api/probe/AAAAAAAAAAAAAAAAAAAAAA/run', {})).status).toBe(404);
    expect((await post('/api/probe/..%2f/run', {})).status).toBe(404);
    expect((await post('/api/probe/AAAAAAAAAAAAAAAAAAAAAA/run', { srflx: { address: 'evil', port: 1 } })).status).toBe(400);
    const huge = await fetch(`${base}/api/probe/offer`, { method: 'POST', body: 'x'.repeat(70_000) }).catch(() => null);
    expect(huge === null || huge.status === 400).toBe(true);
    expect(((await (await fetch(`${base}/api/probe/status`)).json()) as { sessions: number }).sessions).toBe(before);
  });

  it('a run without any check from the browser reports that, and sends nothing anywhere', async () => {
    const { json } = await post('/api/probe/offer', { sdp: OFFER });
    const sentBefore = ((await (await fetch(`${base}/api/probe/status`)).json()) as { sent: number }).sent;
    const run = await post(`/api/probe/${json.id as string}/run`, { srflx: { address: '127.0.0.1', port: 9 } });
    expect(run.status).toBe(422);
    expect(run.json.code).toBe('no-check-received');
    expect(((await (await fetch(`${base}/api/probe/status`)).json()) as { sent: number }).sent).toBe(sentBefore);
  });

  it('STUN traffic the probe does not own still reaches the TURN server (plain Binding is answered)', async () => {
    const sock = createSocket('udp4');
    try {
      sock.bind(0, '127.0.0.1');
      await once(sock, 'listening');
      const body = encodeStunMessage({ method: Method.binding, cls: StunClass.request, transactionId: Buffer.alloc(12, 3), attributes: [] });
      sock.send(appendFingerprint(body), app.turn!.udpPort, '127.0.0.1');
      const [msg] = (await once(sock, 'message')) as [Buffer];
      const d = decodeStunMessage(msg);
      expect(d.ok && d.message.cls === StunClass.success && checkFingerprint(d.message) !== false).toBe(true);
    } finally {
      sock.close();
    }
  });
});
