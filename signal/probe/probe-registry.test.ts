// The registry's limits with fake time and no sockets: sessions per client (released on close and on expiry),
// the global cap, and the per-source rate of answered checks.
import { describe, expect, it } from 'vitest';
import { Attr, Method, StunClass } from '../../turn/stun/constants';
import { appendFingerprint } from '../../turn/stun/fingerprint';
import { appendMessageIntegrity } from '../../turn/stun/integrity';
import { encodeStunMessage, textAttribute } from '../../turn/stun/message';
import { BROWSER_OFFER, BROWSER_UFRAG, probeCredentials } from './fake-browser-agent';
import { ProbeRegistry } from './probe-registry';

const CANDIDATE = { address: '192.0.2.1', port: 3478 };

function check(creds: { ufrag: string; pwd: string }, n: number): Buffer {
  const tx = Buffer.alloc(12);
  tx.writeUInt32BE(n, 8);
  const body = encodeStunMessage({ method: Method.binding, cls: StunClass.request, transactionId: tx, attributes: [textAttribute(Attr.username, `${creds.ufrag}:${BROWSER_UFRAG}`)] });
  return appendFingerprint(appendMessageIntegrity(body, Buffer.from(creds.pwd)));
}

describe('probe registry limits', () => {
  it('caps live sessions per client; closing one or letting it expire gives the share back', () => {
    const reg = new ProbeRegistry({ maxPerClient: 2, maxSessions: 10, ttlMs: 1000 });
    const a1 = reg.create(BROWSER_OFFER, CANDIDATE, 0, '198.51.100.1');
    const a2 = reg.create(BROWSER_OFFER, CANDIDATE, 0, '198.51.100.1');
    expect(a1.ok && a2.ok).toBe(true);
    expect(reg.create(BROWSER_OFFER, CANDIDATE, 0, '198.51.100.1')).toMatchObject({ ok: false, code: 'too-many-probes' });
    expect(reg.create(BROWSER_OFFER, CANDIDATE, 0, '2001:db8:1:2::/64').ok).toBe(true);
    reg.delete((a1 as { id: string }).id);
    expect(reg.sessionsOf('198.51.100.1')).toBe(1);
    expect(reg.create(BROWSER_OFFER, CANDIDATE, 10, '198.51.100.1').ok).toBe(true);
    // All expire: the shares are free again.
    expect(reg.create(BROWSER_OFFER, CANDIDATE, 2000, '198.51.100.1').ok).toBe(true);
    expect(reg.sessionsOf('198.51.100.1')).toBe(1);
    expect(reg.size).toBe(1);
  });

  it('the global cap still holds across clients (503 busy)', () => {
    const reg = new ProbeRegistry({ maxPerClient: 2, maxSessions: 3 });
    for (let i = 0; i < 3; i++) expect(reg.create(BROWSER_OFFER, CANDIDATE, 0, `198.51.100.${i}`).ok).toBe(true);
    expect(reg.create(BROWSER_OFFER, CANDIDATE, 0, '198.51.100.9')).toMatchObject({ ok: false, code: 'busy' });
  });

  it('answers signed checks at most checksPerSecond per source (burst twice that), refilling with time', () => {
    const reg = new ProbeRegistry({ checksPerSecond: 10 });
    const created = reg.create(BROWSER_OFFER, CANDIDATE, 0, 'x');
    if (!created.ok) throw new Error(created.error);
    const creds = probeCredentials(created.answer);
    const from = { address: '198.51.100.7', port: 5000 };
    const kinds = (now: number, n: number) => Array.from({ length: n }, (_, i) => reg.handleDatagram(check(creds, i), from, 'primary', now).kind);
    const first = kinds(0, 30);
    expect(first.filter((k) => k === 'send')).toHaveLength(20);
    expect(reg.handleDatagram(check(creds, 99), from, 'primary', 0)).toEqual({ kind: 'ignore', reason: 'rate-limited' });
    // Another source is not affected; the same source gets 10 more after one second.
    expect(reg.handleDatagram(check(creds, 1), { address: '198.51.100.8', port: 5000 }, 'primary', 0).kind).toBe('send');
    expect(kinds(1000, 15).filter((k) => k === 'send')).toHaveLength(10);
  });
});
