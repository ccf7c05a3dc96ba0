import { describe, expect, it } from 'vitest';
import { addressAttribute, decodeAddress, decodeXorAddress, xorAddressAttribute } from './address';
import { Attr } from './constants';
import { decodeStunMessage, getAttribute } from './message';
import { CHROMIUM_CAPTURES } from './testdata/chromium-captures';
import { UCLIENT_CAPTURES } from './testdata/uclient-captures';

const tid = Buffer.from('b7e7a701bc34d686fa87dfae', 'hex');
const attr = (bytes: number[]) => ({ type: Attr.mappedAddress, value: Buffer.from(bytes) });

describe('address attributes (RFC 8489 §14.1, §14.2)', () => {
  it.each([
    ['chromium-udp-type-0008-mi', CHROMIUM_CAPTURES, 33224],
    ['chromium-tcp-type-0009-mi', CHROMIUM_CAPTURES, 48148],
    ['udp:udp-type-9-mi', UCLIENT_CAPTURES, 64223],
  ])("reads the XOR-PEER-ADDRESS of %s and writes it back byte for byte", (name, captures, port) => {
    const r = decodeStunMessage(Buffer.from(captures[name]!, 'hex'));
    if (!r.ok) throw new Error(r.reason);
    const wire = getAttribute(r.message, Attr.xorPeerAddress)!;
    const peer = decodeXorAddress(wire, r.message.transactionId);
    expect(peer).toEqual({ family: 4, address: '127.0.0.1', port });
    expect(xorAddressAttribute(Attr.xorPeerAddress, peer!, r.message.transactionId)).toEqual({ type: Attr.xorPeerAddress, value: wire.value });
  });

  it('MAPPED-ADDRESS (RESPONSE-ORIGIN, OTHER-ADDRESS) carries the address in the clear', () => {
    const v4 = addressAttribute(Attr.otherAddress, { family: 4, address: '192.0.2.1', port: 3479 });
    expect(v4.type).toBe(Attr.otherAddress);
    expect(v4.value.toString('hex')).toBe('00010d97c0000201');
    const v6 = addressAttribute(Attr.responseOrigin, { family: 6, address: '2001:db8::1', port: 65535 });
    expect(v6.value.toString('hex')).toBe('0002ffff20010db8000000000000000000000001');
    expect(decodeAddress(v4)).toEqual({ family: 4, address: '192.0.2.1', port: 3479 });
    expect(decodeAddress(v6)).toEqual({ family: 6, address: '2001:db8::1', port: 65535 });
  });

  it('XOR-MAPPED-ADDRESS of an IPv6 address round-trips through the transaction id', () => {
    const a = { family: 6, address: 'fe80::1:2:3:4', port: 1 } as const;
    const x = xorAddressAttribute(Attr.xorMappedAddress, a, tid);
    expect(x.value.subarray(4, 8).toString('hex')).toBe('df92a442'); // fe80:0000 XOR 2112:a442
    expect(decodeXorAddress(x, tid)).toEqual(a);
    expect(decodeXorAddress(x, Buffer.alloc(12))).not.toEqual(a);
  });

  it('refuses to write what is not an IP literal', () => {
    expect(() => addressAttribute(Attr.mappedAddress, { family: 4, address: 'example.org', port: 1 })).toThrow(/not an IP literal: example\.org/);
  });

  it.each([
    ['too short', [0, 1, 0]],
    ['IPv4 family with an IPv6 length', [0, 1, 0, 1, ...new Array<number>(16).fill(0)]],
    ['IPv6 family with an IPv4 length', [0, 2, 0, 1, 1, 2, 3, 4]],
    ['unknown family', [0, 3, 0, 1, 1, 2, 3, 4]],
    ['IPv4 one byte short', [0, 1, 0, 1, 1, 2, 3]],
  ])('decoders return null for %s', (_why, bytes) => {
    expect(decodeAddress(attr(bytes))).toBeNull();
    expect(decodeXorAddress(attr(bytes), tid)).toBeNull();
  });
});
