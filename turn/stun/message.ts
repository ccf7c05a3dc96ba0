// STUN message framing: header and attribute TLVs (RFC 8489 §5, §14). Decoding never throws; it returns a
// typed "malformed" result that socket adapters count and drop.
import { HEADER_LENGTH, MAGIC_COOKIE, type StunClass } from './constants';

export interface StunAttribute {
  type: number;
  value: Buffer;
  /** Padding bytes as received (RFC 8489 §14 lets senders use any value); re-encoding keeps them. */
  padding?: Buffer;
  /** Offset of the attribute header inside the decoded message (for MESSAGE-INTEGRITY/FINGERPRINT). */
  offset?: number;
}

export interface StunMessage {
  method: number;
  cls: StunClass;
  transactionId: Buffer;
  attributes: StunAttribute[];
}

export interface DecodedStunMessage extends StunMessage {
  raw: Buffer;
}

export type MalformedReason = 'too-short' | 'not-stun' | 'bad-length' | 'bad-attribute';
export type DecodeResult = { ok: true; message: DecodedStunMessage } | { ok: false; reason: MalformedReason };

/** Quick check used to demultiplex STUN from ChannelData and other traffic (RFC 8489 §6, RFC 7983). */
export function looksLikeStun(buf: Buffer): boolean {
  return buf.length >= HEADER_LENGTH && (buf[0]! & 0xc0) === 0 && buf.readUInt32BE(4) === MAGIC_COOKIE;
}

export function decodeStunMessage(buf: Buffer): DecodeResult {
  if (buf.length < HEADER_LENGTH) return { ok: false, reason: 'too-short' };
  if ((buf[0]! & 0xc0) !== 0 || buf.readUInt32BE(4) !== MAGIC_COOKIE) return { ok: false, reason: 'not-stun' };
  const length = buf.readUInt16BE(2);
  if (length % 4 !== 0 || HEADER_LENGTH + length !== buf.length) return { ok: false, reason: 'bad-length' };
  const type = buf.readUInt16BE(0);
  const attributes: StunAttribute[] = [];
  let off = HEADER_LENGTH;
  while (off < buf.length) {
    if (off + 4 > buf.length) return { ok: false, reason: 'bad-attribute' };
    const attrType = buf.readUInt16BE(off);
    const attrLen = buf.readUInt16BE(off + 2);
    const padded = (attrLen + 3) & ~3;
    if (off + 4 + padded > buf.length) return { ok: false, reason: 'bad-attribute' };
    const attr: StunAttribute = { type: attrType, value: buf.subarray(off + 4, off + 4 + attrLen), offset: off };
    if (padded !== attrLen) {
      const pad = buf.subarray(off + 4 + attrLen, off + 4 + padded);
      if (pad.some((b) => b !== 0)) attr.padding = pad;
    }
    attributes.push(attr);
    off += 4 + padded;
  }
  return {
    ok: true,
    message: {
      method: methodFromType(type),
      cls: (((type >> 4) & 1) | ((type >> 7) & 2)) as StunClass,
      transactionId: buf.subarray(8, 20),
      attributes,
      raw: buf,
    },
  };
}

/** Method bits M0–M11 are interleaved with the class bits C0/C1 (RFC 8489 §5). */
export function messageType(method: number, cls: StunClass): number {
  return (method & 0x000f) | ((method & 0x0070) << 1) | ((method & 0x0f80) << 2) | ((cls & 1) << 4) | ((cls & 2) << 7);
}

function methodFromType(type: number): number {
  return (type & 0x000f) | ((type >> 1) & 0x0070) | ((type >> 2) & 0x0f80);
}

export function getAttribute(msg: StunMessage, type: number): StunAttribute | undefined {
  for (const a of msg.attributes) if (a.type === type) return a;
  return undefined;
}

/** Serialises header and attributes; MESSAGE-INTEGRITY and FINGERPRINT are appended afterwards (appendMessageIntegrity, appendFingerprint). */
export function encodeStunMessage(msg: StunMessage): Buffer {
  let size = HEADER_LENGTH;
  for (const a of msg.attributes) size += 4 + ((a.value.length + 3) & ~3);
  const out = Buffer.alloc(size);
  out.writeUInt16BE(messageType(msg.method, msg.cls), 0);
  out.writeUInt16BE(size - HEADER_LENGTH, 2);
  out.writeUInt32BE(MAGIC_COOKIE, 4);
  msg.transactionId.copy(out, 8, 0, 12);
  let off = HEADER_LENGTH;
  for (const a of msg.attributes) {
    out.writeUInt16BE(a.type, off);
    out.writeUInt16BE(a.value.length, off + 2);
    a.value.copy(out, off + 4);
    if (a.padding) a.padding.copy(out, off + 4 + a.value.length);
    off += 4 + ((a.value.length + 3) & ~3);
  }
  return out;
}

export function textAttribute(type: number, text: string): StunAttribute {
  return { type, value: Buffer.from(text, 'utf8') };
}

export function u32Attribute(type: number, n: number): StunAttribute {
  const value = Buffer.alloc(4);
  value.writeUInt32BE(n >>> 0, 0);
  return { type, value };
}
