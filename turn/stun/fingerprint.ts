// FINGERPRINT: CRC-32 of the message XOR 0x5354554e (RFC 8489 §14.7).
import { crc32 } from 'node:zlib';
import { Attr, HEADER_LENGTH } from './constants';
import type { DecodedStunMessage } from './message';

const FINGERPRINT_XOR = 0x5354554e;

export function appendFingerprint(message: Buffer): Buffer {
  const out = Buffer.alloc(message.length + 8);
  message.copy(out);
  out.writeUInt16BE(out.length - HEADER_LENGTH, 2);
  const crc = (crc32(out.subarray(0, message.length)) ^ FINGERPRINT_XOR) >>> 0;
  out.writeUInt16BE(Attr.fingerprint, message.length);
  out.writeUInt16BE(4, message.length + 2);
  out.writeUInt32BE(crc, message.length + 4);
  return out;
}

/** null when absent; FINGERPRINT must be the last attribute. */
export function checkFingerprint(msg: DecodedStunMessage): boolean | null {
  const last = msg.attributes[msg.attributes.length - 1];
  if (!last || last.type !== Attr.fingerprint) {
    return msg.attributes.some((a) => a.type === Attr.fingerprint) ? false : null;
  }
  if (last.value.length !== 4 || last.offset === undefined) return false;
  // The decoder checked that the header length ends the message, i.e. already covers FINGERPRINT (the last
  // attribute): the CRC runs over the bytes as received, no copy needed.
  const crc = crc32(msg.raw.subarray(0, last.offset));
  return ((crc ^ FINGERPRINT_XOR) >>> 0) === last.value.readUInt32BE(0);
}
