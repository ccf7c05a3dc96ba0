// All live probe sessions of one server: creation from a browser's offer, routing of STUN traffic that the
// TURN server hands over (checks by USERNAME, responses by transaction id), expiry and caps — in total and per
// client (clientKey of the HTTP client), so one address cannot take every session. The browser's signed checks
// are answered at most `checksPerSecond` per source (clientKey of the UDP source), like TURN's unauthenticated
// replies. Pure apart from randomness, which can be injected; time is passed in.
import { randomBytes } from 'node:crypto';
import type { TransportAddress } from '../../common/net/transport-address';
import { clientKey } from '../../turn/security/client-key';
import { ConcurrencyCap } from '../../turn/security/concurrency-cap';
import { RateLimiter } from '../../turn/security/rate-limiter';
import { Attr, StunClass } from '../../turn/stun/constants';
import { decodeStunMessage, getAttribute } from '../../turn/stun/message';
import { buildLiteAnswer, newProbeCredentials, parseOffer } from './ice-lite-sdp';
import { ProbeSession, type IgnoreReason, type ProbeSend } from './probe-session';
import type { EndpointRole } from '../../common/net/endpoint-role';

export const PROBE_ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;

export type ProbeError =
  | { code: 'bad-offer'; error: string }
  | { code: 'busy'; error: string }
  | { code: 'too-many-probes'; error: string }
  | { code: 'no-such-probe'; error: string };

export type DatagramOutcome =
  | { kind: 'send'; send: ProbeSend }
  | { kind: 'answered-check' }
  | { kind: 'ignore'; reason: IgnoreReason | 'malformed' | 'no-such-probe' | 'rate-limited' };

export interface ProbeLimits {
  /** Live sessions in total (PROBE_MAX_SESSIONS). */
  maxSessions?: number;
  /** Live sessions per client (PROBE_MAX_PER_IP); 0 = no per-client cap. */
  maxPerClient?: number;
  /** Signed checks answered per second per source (PROBE_CHECKS_PER_SECOND), bursts of twice that; 0 = no limit. */
  checksPerSecond?: number;
  /** Sources the check limiter remembers at once (least recently seen forgotten first). */
  trackedSources?: number;
  ttlMs?: number;
}

export const DEFAULT_PROBE_LIMITS = { maxSessions: 200, maxPerClient: 8, checksPerSecond: 100, trackedSources: 100_000, ttlMs: 120_000 } as const;

export class ProbeRegistry {
  private readonly sessions = new Map<string, ProbeSession>();
  private readonly byUfrag = new Map<string, string>();
  private readonly owners = new Map<string, string>();
  private readonly perClient: ConcurrencyCap;
  private readonly checkLimiter: RateLimiter;
  private readonly maxSessions: number;
  readonly ttlMs: number;
  private readonly random: (n: number) => Buffer;

  constructor(opts: ProbeLimits & { random?: (n: number) => Buffer } = {}) {
    this.maxSessions = opts.maxSessions ?? DEFAULT_PROBE_LIMITS.maxSessions;
    this.perClient = new ConcurrencyCap(opts.maxPerClient ?? DEFAULT_PROBE_LIMITS.maxPerClient);
    this.checkLimiter = new RateLimiter(opts.checksPerSecond ?? DEFAULT_PROBE_LIMITS.checksPerSecond, { maxTracked: opts.trackedSources ?? DEFAULT_PROBE_LIMITS.trackedSources });
    this.ttlMs = opts.ttlMs ?? DEFAULT_PROBE_LIMITS.ttlMs;
    this.random = opts.random ?? randomBytes;
  }

  get size(): number {
    return this.sessions.size;
  }

  /**
   * Answers a browser's offer: a new session and its ICE-lite answer with `candidate` as the only candidate.
   * `client` is the HTTP client's clientKey; each holds at most `maxPerClient` live sessions.
   */
  create(offerSdp: string, candidate: TransportAddress, now: number, client = 'unknown'): { ok: true; id: string; answer: string } | ({ ok: false } & ProbeError) {
    this.sweep(now);
    const offer = parseOffer(offerSdp);
    if (!offer.ok) return { ok: false, code: 'bad-offer', error: offer.error };
    if (this.perClient.perKey > 0 && this.perClient.count(client) >= this.perClient.perKey) {
      return {
        ok: false,
        code: 'too-many-probes',
        error: `this address already has ${this.perClient.perKey} network checks running; finish or close one, or wait ${Math.round(this.ttlMs / 1000)} s for them to expire`,
      };
    }
    if (this.sessions.size >= this.maxSessions) {
      return { ok: false, code: 'busy', error: `too many network checks running (${this.maxSessions}); try again in a minute` };
    }
    let local = newProbeCredentials(this.random);
    while (this.byUfrag.has(local.ufrag)) local = newProbeCredentials(this.random);
    const id = this.random(16).toString('base64url');
    const session = new ProbeSession({ local, remote: offer.ice, now, random: this.random });
    this.sessions.set(id, session);
    this.byUfrag.set(local.ufrag, id);
    this.perClient.tryAcquire(client);
    this.owners.set(id, client);
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
    const owner = this.owners.get(id);
    this.owners.delete(id);
    if (owner !== undefined) this.perClient.release(owner);
  }

  /** Live sessions `client` holds. */
  sessionsOf(client: string): number {
    return this.perClient.count(client);
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
  handleDatagram(buf: Buffer, from: TransportAddress, via: EndpointRole, now: number): DatagramOutcome {
    const d = decodeStunMessage(buf);
    if (!d.ok) return { kind: 'ignore', reason: 'malformed' };
    const msg = d.message;
    if (msg.cls === StunClass.request) {
      const session = this.sessionForUsername(getAttribute(msg, Attr.username)?.value.toString('utf8'));
      if (!session) return { kind: 'ignore', reason: 'no-such-probe' };
      // Before the integrity check: a flood costs neither an HMAC nor an answer beyond the source's share.
      if (!this.checkLimiter.take(clientKey(from.address), now)) return { kind: 'ignore', reason: 'rate-limited' };
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
