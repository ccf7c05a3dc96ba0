// One probe peer: a minimal ICE-lite agent (RFC 8445 §2.5) that the browser connects to, used to test how the
// browser's NAT filters inbound packets (RFC 5780 §4.4, done with ICE checks instead of CHANGE-REQUEST).
// Sans-IO: STUN messages, source addresses and the time go in; datagrams to send come out.
//
// Credentials (RFC 8445 §7.2.2): a check carries USERNAME "<receiver ufrag>:<sender ufrag>" and is signed with
// the receiver's password. So the browser's checks to us say "<probe>:<browser>" under the probe's pwd, and our
// checks to the browser say "<browser>:<probe>" under the browser's pwd (from its offer).
import { randomBytes } from 'node:crypto';
import type { FilteringObservation } from '../../common/nat/nat-behavior';
import type { EndpointRole } from '../../common/net/endpoint-role';
import { xorAddressAttribute } from '../../turn/stun/address';
import { Attr, Method, StunClass } from '../../turn/stun/constants';
import { appendFingerprint, checkFingerprint } from '../../turn/stun/fingerprint';
import { appendMessageIntegrity, checkMessageIntegrity } from '../../turn/stun/integrity';
import { familyAddress, type TransportAddress } from '../../common/net/transport-address';
import { encodeStunMessage, getAttribute, textAttribute, u32Attribute, type DecodedStunMessage } from '../../turn/stun/message';
import type { OfferIce, ProbeCredentials } from './ice-lite-sdp';

export interface ProbeSend {
  via: EndpointRole;
  to: TransportAddress;
  packet: Buffer;
}

export type IgnoreReason = 'not-a-check' | 'wrong-username' | 'bad-integrity' | 'bad-fingerprint' | 'unknown-transaction';

/** Retransmit times (ms after the first send) and the total wait: short, like Tailscale's netcheck. */
export const CHECK_SCHEDULE_MS = [0, 100, 250, 500, 900, 1400] as const;
export const CHECK_BUDGET_MS = 2000;
/** Shortest wait for the other sources once the control check is answered (covers 3 retransmissions). */
export const CHECK_MIN_WAIT_MS = 700;

/** RFC 8445 §5.1.2.1: type preference 110 for peer-reflexive, local preference 65535, component 1. */
const PRFLX_PRIORITY = ((110 << 24) | (65535 << 8) | 255) >>> 0;

export interface ObservedSource {
  from: TransportAddress;
  via: EndpointRole;
  checks: number;
  firstAt: number;
}

export interface FilteringCheckResult extends FilteringObservation {
  /** How many copies of the check were sent before the answer (or in total, when unanswered). */
  sent: number;
  /** ms from the first send to the answer. */
  rttMs: number | null;
  /** 'success' or the STUN error code the browser answered with (either proves the packet got in). */
  response: 'success' | number | null;
}

interface PendingCheck {
  via: EndpointRole;
  to: TransportAddress;
  packet: Buffer;
  startedAt: number;
  sent: number;
  answeredAt: number | null;
  response: 'success' | number | null;
}

export class ProbeSession {
  readonly local: ProbeCredentials;
  readonly remote: OfferIce;
  readonly createdAt: number;
  private readonly random: (n: number) => Buffer;
  private readonly tieBreaker: Buffer;
  private readonly sources = new Map<string, ObservedSource>();
  private readonly checks = new Map<string, PendingCheck>();
  private filteringTarget: TransportAddress | null = null;

  constructor(opts: { local: ProbeCredentials; remote: OfferIce; now: number; random?: (n: number) => Buffer }) {
    this.local = opts.local;
    this.remote = opts.remote;
    this.createdAt = opts.now;
    this.random = opts.random ?? randomBytes;
    this.tieBreaker = this.random(8);
  }

  /** The USERNAME the browser's checks carry (RFC 8445 §7.2.2). */
  get expectedUsername(): string {
    return `${this.local.ufrag}:${this.remote.ufrag}`;
  }

  /** A Binding request that arrived on one of the server's sockets. Returns the answer to send, or why not. */
  handleRequest(msg: DecodedStunMessage, from: TransportAddress, via: EndpointRole, now: number): ProbeSend | IgnoreReason {
    if (msg.method !== Method.binding || msg.cls !== StunClass.request) return 'not-a-check';
    const username = getAttribute(msg, Attr.username)?.value.toString('utf8');
    if (username !== this.expectedUsername) return 'wrong-username';
    if (checkFingerprint(msg) === false) return 'bad-fingerprint';
    if (checkMessageIntegrity(msg, Buffer.from(this.local.pwd, 'utf8')) !== 'ok') return 'bad-integrity';
    const key = `${via}|${from.address}|${from.port}`;
    const seen = this.sources.get(key);
    if (seen) seen.checks += 1;
    else this.sources.set(key, { from, via, checks: 1, firstAt: now });
    // RFC 8489 §7.3.1: echo the transaction id, report the source as XOR-MAPPED-ADDRESS, sign with our pwd.
    const body = encodeStunMessage({
      method: Method.binding,
      cls: StunClass.success,
      transactionId: msg.transactionId,
      attributes: [xorAddressAttribute(Attr.xorMappedAddress, familyAddress(from.address, from.port), msg.transactionId)],
    });
    const packet = appendFingerprint(appendMessageIntegrity(body, Buffer.from(this.local.pwd, 'utf8')));
    return { via, to: from, packet };
  }

  /** A STUN response; `true` when it answered one of our checks. */
  handleResponse(msg: DecodedStunMessage, now: number): true | IgnoreReason {
    const check = this.checks.get(msg.transactionId.toString('hex'));
    if (!check) return 'unknown-transaction';
    if (checkFingerprint(msg) === false) return 'bad-fingerprint';
    if (msg.cls === StunClass.success) {
      if (checkMessageIntegrity(msg, Buffer.from(this.remote.pwd, 'utf8')) !== 'ok') return 'bad-integrity';
      check.response = 'success';
    } else if (msg.cls === StunClass.error) {
      const v = getAttribute(msg, Attr.errorCode)?.value;
      check.response = v && v.length >= 4 ? (v[2]! & 7) * 100 + v[3]! : 0;
    } else {
      return 'not-a-check';
    }
    check.answeredAt ??= now;
    return true;
  }

  /** Where the browser's checks came from, per server socket (the browser's mapped addresses). */
  observedSources(): ObservedSource[] {
    return [...this.sources.values()];
  }

  /**
   * Starts the filtering test: one check from each of `vias` to `target` (the browser's mapping as seen at the
   * primary endpoint). All are sent together; an answer that gets in opens the NAT only for its own source.
   */
  startFiltering(target: TransportAddress, vias: readonly EndpointRole[], now: number): ProbeSend[] {
    this.filteringTarget = target;
    this.checks.clear();
    const sends: ProbeSend[] = [];
    for (const via of vias) {
      const transactionId = this.random(12);
      const body = encodeStunMessage({
        method: Method.binding,
        cls: StunClass.request,
        transactionId,
        attributes: [
          textAttribute(Attr.username, `${this.remote.ufrag}:${this.local.ufrag}`),
          u32Attribute(Attr.priority, PRFLX_PRIORITY),
          { type: Attr.iceControlled, value: this.tieBreaker }, // a lite agent is always controlled (§6.1.1)
        ],
      });
      const packet = appendFingerprint(appendMessageIntegrity(body, Buffer.from(this.remote.pwd, 'utf8')));
      this.checks.set(transactionId.toString('hex'), { via, to: target, packet, startedAt: now, sent: 1, answeredAt: null, response: null });
      sends.push({ via, to: target, packet });
    }
    return sends;
  }

  /** Retransmissions due at `now` (CHECK_SCHEDULE_MS) for checks still unanswered. */
  poll(now: number): ProbeSend[] {
    const sends: ProbeSend[] = [];
    for (const c of this.checks.values()) {
      if (c.answeredAt !== null) continue;
      const due = CHECK_SCHEDULE_MS[c.sent];
      if (due !== undefined && now - c.startedAt >= due) {
        c.sent += 1;
        sends.push({ via: c.via, to: c.to, packet: c.packet });
      }
    }
    return sends;
  }

  /**
   * True once every check is answered or the wait is over: the full budget, or — once the control check from
   * the primary endpoint has come back in r ms — max(CHECK_MIN_WAIT_MS, 5 r + 300) ms, since the other
   * sources' answers would take about as long as the control's (a dropped check never comes back at all).
   */
  filteringDone(now: number): boolean {
    if (this.checks.size === 0) return false;
    const all = [...this.checks.values()];
    const control = all.find((c) => c.via === 'primary' && c.answeredAt !== null);
    const wait = control ? Math.min(CHECK_BUDGET_MS, Math.max(CHECK_MIN_WAIT_MS, 5 * (control.answeredAt! - control.startedAt) + 300)) : CHECK_BUDGET_MS;
    return all.every((c) => c.answeredAt !== null || now - c.startedAt >= wait);
  }

  filteringTargetAddress(): TransportAddress | null {
    return this.filteringTarget;
  }

  filteringResults(): FilteringCheckResult[] {
    return [...this.checks.values()].map((c) => ({
      role: c.via,
      answered: c.answeredAt !== null,
      sent: c.sent,
      rttMs: c.answeredAt === null ? null : c.answeredAt - c.startedAt,
      response: c.response,
    }));
  }

  /** Transaction ids of our outstanding checks (the registry routes responses by them). */
  transactionIds(): string[] {
    return [...this.checks.keys()];
  }
}
