// MESSAGE-INTEGRITY (RFC 8489 §14.5), MESSAGE-INTEGRITY-SHA256 (§14.6) and the long-term key (§9.2.2).
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { Attr, HEADER_LENGTH } from './constants';
import type { DecodedStunMessage } from './message';

/** key = MD5(username ":" realm ":" password); the password is expected already SASLprep'd (RFC 8489 §9.2.2). */
export function longTermKey(username: string, realm: string, password: string): Buffer {
  return createHash('md5').update(`${username}:${realm}:${password}`, 'utf8').digest();
}

/** Appends MESSAGE-INTEGRITY (HMAC-SHA1 over the message with its length covering the attribute). */
export function appendMessageIntegrity(message: Buffer, key: Buffer): Buffer {
  return appendMac(message, key, Attr.messageIntegrity, 'sha1', 20);
}

function appendMac(message: Buffer, key: Buffer, type: number, algo: 'sha1' | 'sha256', size: number): Buffer {
  const out = Buffer.alloc(message.length + 4 + size);
  message.copy(out);
  out.writeUInt16BE(out.length - HEADER_LENGTH, 2);
  const mac = createHmac(algo, key).update(out.subarray(0, message.length)).digest();
  out.writeUInt16BE(type, message.length);
  out.writeUInt16BE(size, message.length + 2);
  mac.copy(out, message.length + 4);
  return out;
}

export type IntegrityCheck = 'ok' | 'missing' | 'mismatch';

/**
 * Verifies MESSAGE-INTEGRITY-SHA256 when present, else MESSAGE-INTEGRITY. The HMAC covers everything before the
 * attribute, with the header length adjusted to end right after it (RFC 8489 §14.5).
 */
export function checkMessageIntegrity(msg: DecodedStunMessage, key: Buffer): IntegrityCheck {
  const sha256 = msg.attributes.find((a) => a.type === Attr.messageIntegritySha256);
  const sha1 = msg.attributes.find((a) => a.type === Attr.messageIntegrity);
  const attr = sha256 ?? sha1;
  if (!attr || attr.offset === undefined) return 'missing';
  const algo = attr === sha256 ? 'sha256' : 'sha1';
  const len = attr.value.length;
  if (algo === 'sha1' ? len !== 20 : len < 16 || len > 32 || len % 4 !== 0) return 'mismatch';
  const covered = Buffer.from(msg.raw.subarray(0, attr.offset));
  covered.writeUInt16BE(attr.offset + 4 + ((len + 3) & ~3) - HEADER_LENGTH, 2);
  const mac = createHmac(algo, key).update(covered).digest().subarray(0, len);
  return timingSafeEqual(mac, attr.value) ? 'ok' : 'mismatch';
}

/** Index of the first MESSAGE-INTEGRITY*; attributes after it other than FINGERPRINT are ignored (§14.5). */
export function attributesCoveredByIntegrity(msg: DecodedStunMessage): DecodedStunMessage['attributes'] {
  const i = msg.attributes.findIndex((a) => a.type === Attr.messageIntegrity || a.type === Attr.messageIntegritySha256);
  return i < 0 ? msg.attributes : msg.attributes.slice(0, i);
}
