import { createHmac } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { restPassword } from '../auth/rest-credentials';
import { Attr, HEADER_LENGTH } from './constants';
import { appendFingerprint, checkFingerprint } from './fingerprint';
import { appendMessageIntegrity, attributesCoveredByIntegrity, checkMessageIntegrity, longTermKey } from './integrity';
import { decodeStunMessage, encodeStunMessage, getAttribute, textAttribute, type DecodedStunMessage } from './message';
import { CHROMIUM_CAPTURES } from './testdata/chromium-captures';
import { UCLIENT_CAPTURES } from './testdata/uclient-captures';

function decode(buf: Buffer): DecodedStunMessage {
  const r = decodeStunMessage(buf);
  if (!r.ok) throw new Error(r.reason);
  return r.message;
}

/** The long-term key of a captured client: TURN REST password from the capture's secret (turn/stun/testdata). */
function keyOf(m: DecodedStunMessage, secret: string): Buffer {
  const username = getAttribute(m, Attr.username)!.value.toString();
  return longTermKey(username, getAttribute(m, Attr.realm)!.value.toString(), restPassword(secret, username));
}

const signed = [
  ...Object.entries(CHROMIUM_CAPTURES).filter(([n]) => n.endsWith('-mi') && !n.includes('0016')).map(([n, h]) => [n, h, 'chrome-capture'] as const),
  ...Object.entries(UCLIENT_CAPTURES).filter(([n]) => n.endsWith('-mi')).map(([n, h]) => [n, h, 'capture-secret'] as const),
];

/** A request as a client that signs with MESSAGE-INTEGRITY-SHA256 (RFC 8489 §14.6) would send it, `size` bytes of MAC. */
function signSha256(body: Buffer, key: Buffer, size: number): Buffer {
  const padded = (size + 3) & ~3;
  const out = Buffer.concat([body, Buffer.alloc(4 + padded)]);
  out.writeUInt16BE(body.length + 4 + padded - HEADER_LENGTH, 2);
  const mac = createHmac('sha256', key).update(out.subarray(0, body.length)).digest().subarray(0, size);
  out.writeUInt16BE(Attr.messageIntegritySha256, body.length);
  out.writeUInt16BE(size, body.length + 2);
  mac.copy(out, body.length + 4);
  return out;
}

const body = encodeStunMessage({ method: 3, cls: 0, transactionId: Buffer.alloc(12, 9), attributes: [textAttribute(Attr.username, 'alice')] });
const key = longTermKey('alice', 'p2pcheck', 'secret');

describe('MESSAGE-INTEGRITY (RFC 8489 §14.5) on captured browser and coturn requests', () => {
  it.each(signed)('%s: verifies with the client key, fails with another, and re-signs byte for byte', (_name, hex, secret) => {
    const wire = Buffer.from(hex, 'hex');
    const m = decode(wire);
    const k = keyOf(m, secret);
    expect(checkMessageIntegrity(m, k)).toBe('ok');
    expect(checkMessageIntegrity(m, keyOf(m, 'other-secret'))).toBe('mismatch');
    const hasFingerprint = checkFingerprint(m);
    const resigned = appendMessageIntegrity(encodeStunMessage({ ...m, attributes: attributesCoveredByIntegrity(m) }), k);
    expect((hasFingerprint ? appendFingerprint(resigned) : resigned).equals(wire)).toBe(true);
  });

  it('an unsigned request is "missing"; a MESSAGE-INTEGRITY of the wrong size is a mismatch', () => {
    expect(checkMessageIntegrity(decode(Buffer.from(CHROMIUM_CAPTURES['chromium-udp-type-0003-nomi']!, 'hex')), key)).toBe('missing');
    // Truncated to 16 bytes with the right HMAC-SHA1 bytes: only SHA-256 may be truncated.
    const short = Buffer.concat([body, Buffer.from([0x00, 0x08, 0x00, 0x10]), Buffer.alloc(16)]);
    short.writeUInt16BE(short.length - HEADER_LENGTH, 2);
    createHmac('sha1', key).update(short.subarray(0, body.length)).digest().copy(short, body.length + 4, 0, 16);
    expect(checkMessageIntegrity(decode(short), key)).toBe('mismatch');
  });

  it('with MESSAGE-INTEGRITY first, no attribute is covered', () => {
    const bare = encodeStunMessage({ method: 1, cls: 0, transactionId: Buffer.alloc(12, 1), attributes: [] });
    const m = decode(appendFingerprint(appendMessageIntegrity(bare, key)));
    expect(checkMessageIntegrity(m, key)).toBe('ok');
    expect(attributesCoveredByIntegrity(m)).toEqual([]);
  });

  it('attributes after MESSAGE-INTEGRITY are not covered; without it all are', () => {
    const m = decode(Buffer.from(UCLIENT_CAPTURES['udp:udp-type-4-mi']!, 'hex'));
    expect(m.attributes.map((a) => a.type)).toEqual([Attr.lifetime, Attr.username, Attr.nonce, Attr.realm, Attr.messageIntegrity, Attr.fingerprint]);
    expect(attributesCoveredByIntegrity(m).map((a) => a.type)).toEqual([Attr.lifetime, Attr.username, Attr.nonce, Attr.realm]);
    const unsigned = decode(Buffer.from(UCLIENT_CAPTURES['udp:udp-type-3-nomi']!, 'hex'));
    expect(attributesCoveredByIntegrity(unsigned)).toEqual(unsigned.attributes);
    const sha = decode(signSha256(body, key, 32));
    expect(attributesCoveredByIntegrity(sha).map((a) => a.type)).toEqual([Attr.username]);
  });
});

describe('MESSAGE-INTEGRITY-SHA256 (RFC 8489 §14.6)', () => {
  it('verifies a full and a truncated MAC (16–32 bytes, a multiple of 4), also with FINGERPRINT after it', () => {
    for (const size of [32, 28, 16]) {
      expect(checkMessageIntegrity(decode(signSha256(body, key, size)), key)).toBe('ok');
      expect(checkMessageIntegrity(decode(signSha256(body, key, size)), longTermKey('alice', 'p2pcheck', 'other'))).toBe('mismatch');
    }
    const fp = appendFingerprint(signSha256(body, key, 32));
    expect(checkFingerprint(decode(fp))).toBe(true);
    expect(checkMessageIntegrity(decode(fp), key)).toBe('ok');
  });

  it('refuses a MAC shorter than 16, longer than 32 or not a multiple of 4', () => {
    for (const size of [12, 36, 18]) {
      const wire = signSha256(body, key, size);
      expect(checkMessageIntegrity(decode(wire), key)).toBe('mismatch');
    }
  });

  it('is preferred over MESSAGE-INTEGRITY when both are present', () => {
    expect(checkMessageIntegrity(decode(appendMessageIntegrity(signSha256(body, key, 32), key)), key)).toBe('ok');
    const wrongSha = signSha256(body, longTermKey('alice', 'p2pcheck', 'other'), 32);
    expect(checkMessageIntegrity(decode(appendMessageIntegrity(wrongSha, key)), key)).toBe('mismatch');
  });
});

describe('FINGERPRINT (RFC 8489 §14.7)', () => {
  it.each(Object.entries(UCLIENT_CAPTURES).filter(([n]) => !n.includes('channel-data')))('%s: turnutils_uclient fingerprint verifies and is rebuilt byte for byte', (_n, hex) => {
    const wire = Buffer.from(hex, 'hex');
    expect(checkFingerprint(decode(wire))).toBe(true);
    const unfingerprinted = Buffer.from(wire.subarray(0, wire.length - 8));
    unfingerprinted.writeUInt16BE(unfingerprinted.length - HEADER_LENGTH, 2);
    expect(appendFingerprint(unfingerprinted).equals(wire)).toBe(true);
  });

  it('is null when absent, false when not last, of the wrong size or not matching', () => {
    expect(checkFingerprint(decode(body))).toBeNull();
    const wire = appendFingerprint(body);
    const flipped = Buffer.from(wire);
    flipped[wire.length - 1]! ^= 1;
    expect(checkFingerprint(decode(flipped))).toBe(false);
    const notLast = Buffer.concat([wire, Buffer.from([0x80, 0x22, 0, 0])]);
    notLast.writeUInt16BE(notLast.length - HEADER_LENGTH, 2);
    expect(checkFingerprint(decode(notLast))).toBe(false);
    // 8 bytes whose first 4 are the right CRC: FINGERPRINT is exactly 4 bytes.
    const wrongSize = Buffer.concat([body, Buffer.from([0x80, 0x28, 0, 8]), Buffer.alloc(8)]);
    wrongSize.writeUInt16BE(wrongSize.length - HEADER_LENGTH, 2);
    wrongSize.writeUInt32BE((crc32(wrongSize.subarray(0, body.length)) ^ 0x5354554e) >>> 0, body.length + 4);
    expect(checkFingerprint(decode(wrongSize))).toBe(false);
  });
});
