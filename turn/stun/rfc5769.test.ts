import { describe, expect, it } from 'vitest';
import { decodeAddress, decodeXorAddress, xorAddressAttribute } from './address';
import { Attr, Method, StunClass } from './constants';
import { appendFingerprint, checkFingerprint } from './fingerprint';
import { appendMessageIntegrity, attributesCoveredByIntegrity, checkMessageIntegrity, longTermKey } from './integrity';
import { decodeStunMessage, encodeStunMessage, getAttribute, type DecodedStunMessage } from './message';
import * as v from './testdata/rfc5769-vectors';

function decode(buf: Buffer): DecodedStunMessage {
  const r = decodeStunMessage(buf);
  if (!r.ok) throw new Error(`decode failed: ${r.reason}`);
  return r.message;
}

/** Re-encode from the decoded attributes, recomputing MESSAGE-INTEGRITY and FINGERPRINT. */
function reencode(m: DecodedStunMessage, key: Buffer, fingerprint: boolean): Buffer {
  const body = encodeStunMessage({ ...m, attributes: attributesCoveredByIntegrity(m) });
  const withMi = appendMessageIntegrity(body, key);
  return fingerprint ? appendFingerprint(withMi) : withMi;
}

const shortKey = Buffer.from(v.SHORT_TERM_PASSWORD, 'utf8');

describe('RFC 5769 test vectors', () => {
  it('§2.1 sample request: decodes, integrity and fingerprint check, re-encodes byte for byte', () => {
    const m = decode(v.sampleRequest);
    expect(m.method).toBe(Method.binding);
    expect(m.cls).toBe(StunClass.request);
    expect(getAttribute(m, Attr.software)!.value.toString()).toBe('STUN test client');
    expect(getAttribute(m, Attr.username)!.value.toString()).toBe('evtj:h6vY');
    expect(getAttribute(m, Attr.priority)!.value.readUInt32BE(0)).toBe(0x6e0001ff);
    expect(checkMessageIntegrity(m, shortKey)).toBe('ok');
    expect(checkMessageIntegrity(m, Buffer.from('wrong'))).toBe('mismatch');
    expect(checkFingerprint(m)).toBe(true);
    expect(reencode(m, shortKey, true).equals(v.sampleRequest)).toBe(true);
  });

  it('§2.2 IPv4 response: XOR-MAPPED-ADDRESS 192.0.2.1:32853, byte-for-byte re-encode', () => {
    const m = decode(v.sampleIPv4Response);
    expect(m.cls).toBe(StunClass.success);
    expect(decodeXorAddress(getAttribute(m, Attr.xorMappedAddress)!, m.transactionId)).toEqual({ family: 4, address: '192.0.2.1', port: 32853 });
    expect(checkMessageIntegrity(m, shortKey)).toBe('ok');
    expect(checkFingerprint(m)).toBe(true);
    expect(reencode(m, shortKey, true).equals(v.sampleIPv4Response)).toBe(true);
    const rebuilt = xorAddressAttribute(Attr.xorMappedAddress, { family: 4, address: '192.0.2.1', port: 32853 }, m.transactionId);
    expect(rebuilt.value.equals(getAttribute(m, Attr.xorMappedAddress)!.value)).toBe(true);
  });

  it('§2.3 IPv6 response: XOR-MAPPED-ADDRESS [2001:db8:1234:5678:11:2233:4455:6677]:32853', () => {
    const m = decode(v.sampleIPv6Response);
    const addr = { family: 6, address: '2001:db8:1234:5678:11:2233:4455:6677', port: 32853 } as const;
    expect(decodeXorAddress(getAttribute(m, Attr.xorMappedAddress)!, m.transactionId)).toEqual(addr);
    expect(checkMessageIntegrity(m, shortKey)).toBe('ok');
    expect(checkFingerprint(m)).toBe(true);
    expect(reencode(m, shortKey, true).equals(v.sampleIPv6Response)).toBe(true);
    expect(xorAddressAttribute(Attr.xorMappedAddress, addr, m.transactionId).value.equals(getAttribute(m, Attr.xorMappedAddress)!.value)).toBe(true);
  });

  it('§2.4 long-term request: MD5 key from username:realm:password, byte-for-byte re-encode', () => {
    const m = decode(v.sampleLongTermRequest);
    expect(getAttribute(m, Attr.username)!.value.toString('utf8')).toBe(v.LONG_TERM_USERNAME);
    expect(getAttribute(m, Attr.nonce)!.value.toString()).toBe('f//499k954d6OL34oL9FSTvy64sA');
    expect(getAttribute(m, Attr.realm)!.value.toString()).toBe(v.LONG_TERM_REALM);
    const key = longTermKey(v.LONG_TERM_USERNAME, v.LONG_TERM_REALM, v.LONG_TERM_PASSWORD);
    expect(checkMessageIntegrity(m, key)).toBe('ok');
    expect(checkMessageIntegrity(m, longTermKey(v.LONG_TERM_USERNAME, v.LONG_TERM_REALM, 'TheMatrix'))).toBe('mismatch');
    expect(checkFingerprint(m)).toBeNull();
    expect(reencode(m, key, false).equals(v.sampleLongTermRequest)).toBe(true);
  });

  it('detects a flipped bit through FINGERPRINT and MESSAGE-INTEGRITY', () => {
    const bad = Buffer.from(v.sampleRequest);
    bad[30]! ^= 0x01; // inside SOFTWARE
    const m = decode(bad);
    expect(checkFingerprint(m)).toBe(false);
    expect(checkMessageIntegrity(m, shortKey)).toBe('mismatch');
  });

  it('returns typed malformed results instead of throwing', () => {
    expect(decodeStunMessage(Buffer.alloc(3))).toEqual({ ok: false, reason: 'too-short' });
    expect(decodeStunMessage(Buffer.from(v.sampleRequest).fill(0xff, 4, 8))).toEqual({ ok: false, reason: 'not-stun' });
    expect(decodeStunMessage(v.sampleRequest.subarray(0, 60))).toEqual({ ok: false, reason: 'bad-length' });
    const badAttr = Buffer.from(v.sampleRequest);
    badAttr.writeUInt16BE(0x0100, 22); // SOFTWARE length runs past the end
    expect(decodeStunMessage(badAttr)).toEqual({ ok: false, reason: 'bad-attribute' });
    expect(decodeAddress({ type: Attr.mappedAddress, value: Buffer.from([0, 3, 0, 0]) })).toBeNull();
  });
});
