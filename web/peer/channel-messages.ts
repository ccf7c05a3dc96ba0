// Messages p2pcheck exchanges over its data channel, as JSON text keyed on `t`. Unknown or malformed messages
// parse to null so a newer peer cannot break an older one.
//   ping / pong   RTT samples (rtt-pinger.ts); also echoed on the relay check's own channel.
//   rc-*          the relay fallback check (relay-check.ts): its second, relay-only connection is negotiated
//                 over this channel, so it needs no signaling server; rc-result carries the starter's verdict.
//                 rc-burst-end / rc-burst-result travel on the relay-only channel itself (throughput burst).
import type { PathKind } from '../../common/path-kind';

export interface RelayCheckCandidate {
  candidate: string;
  sdpMid: string | null;
  sdpMLineIndex: number | null;
}

export interface RelayCheckVerdict {
  state: 'works' | 'failed' | 'skipped';
  rttMs: number | null;
  /** Starter → responder over the relay-only connection, bits/s. */
  throughputBps?: number | null;
  reason: string | null;
}

export type ChannelMessage =
  | { t: 'ping'; seq: number; ts: number }
  | { t: 'pong'; seq: number; ts: number }
  | { t: 'rc-offer'; sdp: string }
  | { t: 'rc-answer'; sdp: string }
  | { t: 'rc-candidate'; c: RelayCheckCandidate | null }
  | { t: 'rc-result'; verdict: RelayCheckVerdict }
  | { t: 'rc-burst-end' }
  | { t: 'rc-burst-result'; bytes: number; ms: number };

/** An SDP of a data-channel-only offer is ~1 KB; candidates are trickled separately. */
const MAX_TEXT = 16 * 1024;

const isStr = (v: unknown, max: number): v is string => typeof v === 'string' && v.length <= max;
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function candidate(v: unknown): RelayCheckCandidate | null | undefined {
  if (v === null) return null;
  if (!v || typeof v !== 'object') return undefined;
  const c = v as Record<string, unknown>;
  if (!isStr(c.candidate, 2048)) return undefined;
  const mid = c.sdpMid === null || c.sdpMid === undefined ? null : isStr(c.sdpMid, 64) ? c.sdpMid : undefined;
  const index = c.sdpMLineIndex === null || c.sdpMLineIndex === undefined ? null : isNum(c.sdpMLineIndex) ? c.sdpMLineIndex : undefined;
  if (mid === undefined || index === undefined) return undefined;
  return { candidate: c.candidate, sdpMid: mid, sdpMLineIndex: index };
}

function verdict(v: unknown): RelayCheckVerdict | undefined {
  if (!v || typeof v !== 'object') return undefined;
  const r = v as Record<string, unknown>;
  if (r.state !== 'works' && r.state !== 'failed' && r.state !== 'skipped') return undefined;
  const rtt = r.rttMs === null ? null : isNum(r.rttMs) && r.rttMs >= 0 ? r.rttMs : undefined;
  const reason = r.reason === null ? null : isStr(r.reason, 1000) ? r.reason : undefined;
  const bps = r.throughputBps === undefined || r.throughputBps === null ? null : isNum(r.throughputBps) && r.throughputBps >= 0 ? r.throughputBps : undefined;
  if (rtt === undefined || reason === undefined || bps === undefined) return undefined;
  return { state: r.state, rttMs: rtt, throughputBps: bps, reason };
}

export function parseChannelMessage(data: unknown): ChannelMessage | null {
  if (typeof data !== 'string' || data.length > MAX_TEXT) return null;
  let v: unknown;
  try {
    v = JSON.parse(data);
  } catch {
    return null;
  }
  if (!v || typeof v !== 'object') return null;
  const m = v as Record<string, unknown>;
  switch (m.t) {
    case 'ping':
    case 'pong':
      return isNum(m.seq) && isNum(m.ts) ? { t: m.t, seq: m.seq, ts: m.ts } : null;
    case 'rc-offer':
    case 'rc-answer':
      return isStr(m.sdp, MAX_TEXT) ? { t: m.t, sdp: m.sdp } : null;
    case 'rc-candidate': {
      const c = candidate(m.c);
      return c === undefined ? null : { t: 'rc-candidate', c };
    }
    case 'rc-result': {
      const r = verdict(m.verdict);
      return r ? { t: 'rc-result', verdict: r } : null;
    }
    case 'rc-burst-end':
      return { t: 'rc-burst-end' };
    case 'rc-burst-result':
      return isNum(m.bytes) && m.bytes >= 0 && isNum(m.ms) && m.ms >= 0 ? { t: 'rc-burst-result', bytes: m.bytes, ms: m.ms } : null;
    default:
      return null;
  }
}

export const encodeChannelMessage = (m: ChannelMessage) => JSON.stringify(m);

/** The path label of a relay-only connection's selected local candidate. */
export function relayPathOf(relayProtocol: string | null | undefined): PathKind {
  return relayProtocol === 'tcp' ? 'relay-tcp' : relayProtocol === 'tls' ? 'relay-tls' : 'relay-udp';
}
