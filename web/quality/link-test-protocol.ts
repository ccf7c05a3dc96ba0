// The link-quality test's channels and binary frames, shared by both peers. Its JSON control messages, the plan
// and the version are part of the one peer protocol (common/peer-protocol.ts). Three negotiated data channels
// next to p2pcheck's main channel (id 0):
//   control (id 1, reliable, ordered): ControlMessage text (common/peer-protocol.ts), keyed on `t`;
//   bulk    (id 2, reliable, ordered): binary [kind u8 = DATA] + zero padding, then [END u8][bytes f64];
//   probe   (id 3, unordered, maxRetransmits 0): binary [kind u8][seq u32][sentAt f64] + padding.
// Malformed frames decode to null: a newer or broken peer cannot break this one.
import type { LinkPlan } from '../../common/peer-protocol';

export const LINK_CHANNELS = {
  control: { label: 'p2pcheck-lt-control', id: 1, init: { negotiated: true, id: 1 } },
  bulk: { label: 'p2pcheck-lt-bulk', id: 2, init: { negotiated: true, id: 2 } },
  probe: { label: 'p2pcheck-lt-probe', id: 3, init: { negotiated: true, id: 3, ordered: false, maxRetransmits: 0 } },
} as const satisfies Record<string, { label: string; id: number; init: RTCDataChannelInit }>;

export const DEFAULT_PLAN: LinkPlan = {
  idleMs: 1000,
  bulkMs: 2500,
  streamMs: 2000,
  probeIntervalMs: 50,
  streamPps: 100,
  // Header only: ~106 B a packet on the wire, ~85 kbit/s. The stream measures loss and jitter, so it must not make
  // its own: at 500 B (~0.45 Mbit/s on the wire) it overflowed every link under ~0.45 Mbit/s, and such a link,
  // fit for audio (≥ 0.1 Mbit/s), read "unusable" from the stream's own tail drops (link-condition lab, 300 kbit/s).
  streamBytes: 13,
  chunkBytes: 16 * 1024,
};

/** Bytes a probe-channel message adds on the wire: IPv4 20 + UDP 8 + DTLS 1.2 record 13 + AES-GCM nonce and tag
 *  24 + SCTP common header 12 + DATA chunk header 16 (RFC 8261, RFC 9260 §3). */
export const PROBE_WIRE_OVERHEAD_BYTES = 93;

/** Sender keeps at most this much queued in the bulk channel (back-pressure, not flooding). */
export const BULK_HIGH_WATER = 256 * 1024;
export const BULK_LOW_WATER = 64 * 1024;

// Binary messages on the bulk channel.
export const BULK_DATA = 1;
export const BULK_END = 2;

export function bulkChunk(size: number): ArrayBuffer {
  const buf = new ArrayBuffer(size);
  new Uint8Array(buf)[0] = BULK_DATA;
  return buf;
}

export function encodeBulkEnd(bytesSent: number): ArrayBuffer {
  const buf = new ArrayBuffer(9);
  const v = new DataView(buf);
  v.setUint8(0, BULK_END);
  v.setFloat64(1, bytesSent);
  return buf;
}

export type BulkMessage = { kind: 'data'; bytes: number } | { kind: 'end'; bytesSent: number };

export function decodeBulk(data: unknown): BulkMessage | null {
  if (!(data instanceof ArrayBuffer) || data.byteLength < 1) return null;
  const v = new DataView(data);
  const kind = v.getUint8(0);
  if (kind === BULK_DATA) return { kind: 'data', bytes: data.byteLength };
  if (kind === BULK_END && data.byteLength >= 9) return { kind: 'end', bytesSent: v.getFloat64(1) };
  return null;
}

// Binary messages on the probe channel.
export const PROBE_KINDS = { probe: 1, echo: 2, stream: 3 } as const;
export type ProbeKind = keyof typeof PROBE_KINDS;
export const PROBE_HEADER_BYTES = 13;

export interface ProbeMessage {
  kind: ProbeKind;
  seq: number;
  /** Sender's monotonic clock, ms (an echo carries the original prober's time back). */
  sentAt: number;
}

export function encodeProbe(m: ProbeMessage, size = PROBE_HEADER_BYTES): ArrayBuffer {
  const buf = new ArrayBuffer(Math.max(PROBE_HEADER_BYTES, size));
  const v = new DataView(buf);
  v.setUint8(0, PROBE_KINDS[m.kind]);
  v.setUint32(1, m.seq >>> 0);
  v.setFloat64(5, m.sentAt);
  return buf;
}

export function decodeProbe(data: unknown): ProbeMessage | null {
  if (!(data instanceof ArrayBuffer) || data.byteLength < PROBE_HEADER_BYTES) return null;
  const v = new DataView(data);
  const code = v.getUint8(0);
  const kind = (Object.keys(PROBE_KINDS) as ProbeKind[]).find((k) => PROBE_KINDS[k] === code);
  const sentAt = v.getFloat64(5);
  if (!kind || !Number.isFinite(sentAt)) return null;
  return { kind, seq: v.getUint32(1), sentAt };
}

/** Share of the whole test done when `phase` has run for `elapsedMs` (0..1), for both sides' progress bar. */
export function planProgress(plan: LinkPlan, phase: 'idle-rtt' | 'upload' | 'download' | 'stream', elapsedMs: number): number {
  const spans = [
    ['idle-rtt', plan.idleMs],
    ['upload', plan.bulkMs],
    ['download', plan.bulkMs],
    ['stream', plan.streamMs],
  ] as const;
  const total = spans.reduce((s, [, ms]) => s + ms, 0);
  let before = 0;
  for (const [name, ms] of spans) {
    if (name === phase) return Math.min(1, (before + Math.min(ms, Math.max(0, elapsedMs))) / total);
    before += ms;
  }
  return 0;
}
