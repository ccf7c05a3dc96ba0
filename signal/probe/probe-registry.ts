// All live probe sessions of one server: creation from a browser's offer, routing of STUN traffic that the
// TURN server hands over (checks by USERNAME, responses by transaction id), expiry and a cap. Pure apart from
// randomness, which can be injected.
import { randomBytes } from 'node:crypto';
import type { HostPort } from '../../common/nat/nat-behavior';
import { Attr, StunClass } from '../../turn/stun/constants';
import { decodeStunMessage, getAttribute } from '../../turn/stun/message';
import { buildLiteAnswer, newProbeCredentials, parseOffer } from './ice-lite-sdp';
import { ProbeSession, type IgnoreReason, type ProbeSend, type ProbeVia } from './probe-session';

export const PROBE_ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;

export type ProbeError =
  | { code: 'bad-offer'; error: string }
  | { code: 'busy'; error: string }
  | { code: 'no-such-probe'; error: string };

export type DatagramOutcome =
  | { kind: 'send'; send: ProbeSend }
  | { kind: 'answered-check' }
  | { kind: 'ignore'; reason: IgnoreReason | 'malformed' | 'no-such-probe' };

export class ProbeRegistry {
  private readonly sessions = new Map<string, ProbeSession>();
  private readonly byUfrag = new Map<string, string>();
  private readonly maxSessions: number;
  readonly ttlMs: number;
  private readonly random: (n: number) => Buffer;

  constructor(opts: { maxSessions?: number; ttlMs?: number; random?: (n: number) => Buffer } = {}) {
    this.maxSessions = opts.maxSessions ?? 200;
    this.ttlMs = opts.ttlMs ?? 120_000;
    this.random = opts.random ?? randomBytes;
  }

  get size(): number {
    return this.sessions.size;
  }

  /** Answers a browser's offer: a new session and its ICE-lite answer with `candidate` as the only candidate. */
  create(offerSdp: string, candidate: HostPort, now: number): { ok: true; id: string; answer: string } | ({ ok: false } & ProbeError) {
    this.sweep(now);
    const offer = parseOffer(offerSdp);
    if (!offer.ok) return { ok: false, code: 'bad-offer', error: offer.error };
    if (this.sessions.size >= this.maxSessions) {
      return { ok: false, code: 'busy', error: `too many network checks running (${this.maxSessions}); try again in a minute` };
    }
    let local = newProbeCredentials(this.random);
    while (this.byUfrag.has(local.ufrag)) local = newProbeCredentials(this.random);
    const id = this.random(16).toString('base64url');
    const session = new ProbeSession({ local, remote: offer.ice, now, random: this.random });
    this.sessions.set(id, session);
    this.byUfrag.set(local.ufrag, id);
    return { ok: true, id, answer: buildLiteAnswer({ offer: offer.ice, local, candidate, random: this.random }) };
  }

  get(id: string): ProbeSession | undefined {
    return this.sessions.get(id);
  }

  delete(id: string): void {
    const s = this.sessions.get(id);
    if (!s) return;
    this.sessions.delete(id);
    this.byUfrag.delete(s.local.ufrag);
  }

  sweep(now: number): void {
    for (const [id, s] of this.sessions) if (now - s.createdAt > this.ttlMs) this.delete(id);
  }

  /** True when a datagram is a STUN message the registry wants (a check for one of its ufrags, or a response). */
  claims(buf: Buffer): boolean {
    const d = decodeStunMessage(buf);
    if (!d.ok) return false;
    const msg = d.message;
    if (msg.cls === StunClass.success || msg.cls === StunClass.error) return this.sessionForTransaction(msg.transactionId.toString('hex')) !== undefined;
    if (msg.cls !== StunClass.request) return false;
    return this.sessionForUsername(getAttribute(msg, Attr.username)?.value.toString('utf8')) !== undefined;
  }

  /** A STUN datagram that arrived on server socket `via` from `from`. Never throws. */
  handleDatagram(buf: Buffer, from: HostPort, via: ProbeVia, now: number): DatagramOutcome {
    const d = decodeStunMessage(buf);
    if (!d.ok) return { kind: 'ignore', reason: 'malformed' };
    const msg = d.message;
    if (msg.cls === StunClass.request) {
      const session = this.sessionForUsername(getAttribute(msg, Attr.username)?.value.toString('utf8'));
      if (!session) return { kind: 'ignore', reason: 'no-such-probe' };
      const out = session.handleRequest(msg, from, via, now);
      return typeof out === 'string' ? { kind: 'ignore', reason: out } : { kind: 'send', send: out };
    }
    if (msg.cls === StunClass.success || msg.cls === StunClass.error) {
      const session = this.sessionForTransaction(msg.transactionId.toString('hex'));
      if (!session) return { kind: 'ignore', reason: 'unknown-transaction' };
      const out = session.handleResponse(msg, now);
      return out === true ? { kind: 'answered-check' } : { kind: 'ignore', reason: out };
    }
    return { kind: 'ignore', reason: 'not-a-check' };
  }

  private sessionForUsername(username: string | undefined): ProbeSession | undefined {
    if (!username) return undefined;
    const ufrag = username.split(':')[0] ?? '';
    const id = this.byUfrag.get(ufrag);
    return id ? this.sessions.get(id) : undefined;
  }

  private sessionForTransaction(txid: string): ProbeSession | undefined {
    for (const s of this.sessions.values()) if (s.transactionIds().includes(txid)) return s;
    return undefined;
  }
}
