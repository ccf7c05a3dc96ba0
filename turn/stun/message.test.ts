import { describe, expect, it } from 'vitest';
import { Attr, Method, StunClass } from './constants';
import { decodeStunMessage, encodeStunMessage, getAttribute, looksLikeStun, messageType, textAttribute, u32Attribute } from './message';
import { CHROMIUM_CAPTURES } from './testdata/chromium-captures';
import { UCLIENT_CAPTURES } from './testdata/uclient-captures';
import { sampleRequest } from './testdata/rfc5769-vectors';

const captures = Object.entries({ ...CHROMIUM_CAPTURES, ...UCLIENT_CAPTURES }).map(([name, hex]) => [name, Buffer.from(hex, 'hex')] as const);
const stunCaptures = captures.filter(([name]) => !name.includes('channel-data'));

function decode(buf: Buffer) {
  const r = decodeStunMessage(buf);
  if (!r.ok) throw new Error(r.reason);
  return r.message;
}

describe('STUN message framing (RFC 8489 §5, §14)', () => {
  it.each(stunCaptures)('%s: decodes and re-encodes byte for byte', (_name, wire) => {
    expect(looksLikeStun(wire)).toBe(true);
    const m = decode(wire);
    expect(m.transactionId.equals(wire.subarray(8, 20))).toBe(true);
    expect(encodeStunMessage(m).equals(wire)).toBe(true);
  });

  it('reads method and class from the interleaved type bits of every captured message', () => {
    const seen = stunCaptures.map(([name, wire]) => {
      const m = decode(wire);
      return `${name.replace(/^.*type-/, '')} ${m.method} ${m.cls}`;
    });
    expect(seen).toContain('0001-nomi 1 0'); // Binding request
    expect(seen).toContain('0003-mi 3 0'); // Allocate request
    expect(seen).toContain('0016-mi 6 1'); // Send indication
    expect(seen).toContain('0009-mi 9 0'); // ChannelBind request
    expect(seen).toContain('16-nomi 6 1');
  });

  it.each([
    [Method.binding, StunClass.success, 0x0101], [Method.allocate, StunClass.error, 0x0113], [Method.refresh, StunClass.success, 0x0104],
    [Method.data, StunClass.indication, 0x0017], [Method.channelBind, StunClass.error, 0x0119], [0xfff, StunClass.error, 0x3fff],
    [0x080, StunClass.request, 0x0200], [0x010, StunClass.request, 0x0020], [0x800, StunClass.success, 0x2100],
  ])('method %i class %i is type %i on the wire, and back', (method, cls, type) => {
    expect(messageType(method, cls as StunClass)).toBe(type);
    const wire = encodeStunMessage({ method, cls: cls as StunClass, transactionId: Buffer.alloc(12, 7), attributes: [] });
    expect(wire.readUInt16BE(0)).toBe(type);
    const m = decode(wire);
    expect([m.method, m.cls]).toEqual([method, cls]);
  });

  it('writes header, length, cookie, transaction id and padded attributes', () => {
    const wire = encodeStunMessage({
      method: Method.binding, cls: StunClass.request, transactionId: Buffer.from('0102030405060708090a0b0c', 'hex'),
      attributes: [textAttribute(Attr.software, 'abcde'), u32Attribute(Attr.lifetime, 600), { type: Attr.dontFragment, value: Buffer.alloc(0) }],
    });
    expect(wire.toString('hex')).toBe(
      '000100182112a4420102030405060708090a0b0c' + '802200056162636465000000' + '000d000400000258' + '001a0000');
    const m = decode(wire);
    expect(m.attributes.map((a) => [a.type, a.value.toString('hex'), a.offset, a.padding])).toEqual([
      [Attr.software, '6162636465', 20, undefined], [Attr.lifetime, '00000258', 32, undefined], [Attr.dontFragment, '', 40, undefined]]);
  });

  it('keeps non-zero padding as received (RFC 5769 §2.1 pads USERNAME with spaces)', () => {
    const username = getAttribute(decode(sampleRequest), Attr.username)!;
    expect(username.value.toString()).toBe('evtj:h6vY');
    expect(username.padding?.toString('hex')).toBe('202020');
    // Any padding with a non-zero byte in it is kept, so re-encoding (e.g. to check a MAC) gives the same bytes.
    const mixed = Buffer.concat([sampleRequest.subarray(0, 20), Buffer.from([0x80, 0x22, 0x00, 0x01, 0x61, 0x00, 0x41, 0x00])]);
    mixed.writeUInt16BE(8, 2);
    const software = decode(mixed).attributes[0]!;
    expect(software.padding?.toString('hex')).toBe('004100');
    expect(encodeStunMessage(decode(mixed)).equals(mixed)).toBe(true);
  });

  it('u32 attributes write the unsigned value; text attributes UTF-8', () => {
    expect(u32Attribute(Attr.priority, -1).value.toString('hex')).toBe('ffffffff');
    expect(u32Attribute(Attr.lifetime, 0x6e0001ff).value.toString('hex')).toBe('6e0001ff');
    expect(textAttribute(Attr.realm, 'ä').value.toString('hex')).toBe('c3a4');
  });

  it('getAttribute answers the first of a type', () => {
    const m = { method: 1, cls: StunClass.request, transactionId: Buffer.alloc(12), attributes: [
      { type: Attr.realm, value: Buffer.from('a') }, { type: Attr.realm, value: Buffer.from('b') }] };
    expect(getAttribute(m, Attr.realm)!.value.toString()).toBe('a');
    expect(getAttribute(m, Attr.nonce)).toBeUndefined();
  });

  it('looksLikeStun: 20 bytes, first two bits 00, the magic cookie', () => {
    const header = Buffer.from(sampleRequest.subarray(0, 20));
    expect(looksLikeStun(header)).toBe(true);
    expect(looksLikeStun(header.subarray(0, 19))).toBe(false);
    expect(looksLikeStun(Buffer.concat([Buffer.from([0x40]), header.subarray(1)]))).toBe(false);
    expect(looksLikeStun(Buffer.concat([Buffer.from([0x80]), header.subarray(1)]))).toBe(false);
    expect(looksLikeStun(Buffer.from(header).fill(0, 4, 5))).toBe(false);
    expect(looksLikeStun(Buffer.from(CHROMIUM_CAPTURES['chromium-udp-channel-data']!, 'hex'))).toBe(false);
  });

  it('returns typed malformed results instead of throwing', () => {
    const header = (len: number, first = 0x00): Buffer => Buffer.concat([Buffer.from([first, 0x01, len >> 8, len & 0xff]), sampleRequest.subarray(4, 20)]);
    expect(decodeStunMessage(header(0).subarray(0, 19))).toEqual({ ok: false, reason: 'too-short' });
    expect(decodeStunMessage(header(0))).toMatchObject({ ok: true });
    expect(decodeStunMessage(header(0, 0x40))).toEqual({ ok: false, reason: 'not-stun' });
    expect(decodeStunMessage(header(0, 0x80))).toEqual({ ok: false, reason: 'not-stun' });
    expect(decodeStunMessage(Buffer.concat([header(2), Buffer.alloc(2)]))).toEqual({ ok: false, reason: 'bad-length' });
    expect(decodeStunMessage(Buffer.concat([header(4), Buffer.alloc(8)]))).toEqual({ ok: false, reason: 'bad-length' });
    expect(decodeStunMessage(Buffer.concat([header(8), Buffer.alloc(4)]))).toEqual({ ok: false, reason: 'bad-length' });
    // An attribute whose padded value runs one byte past the end.
    expect(decodeStunMessage(Buffer.concat([header(8), Buffer.from([0x80, 0x22, 0x00, 0x05, 1, 2, 3, 4])]))).toEqual({ ok: false, reason: 'bad-attribute' });
    expect(decodeStunMessage(Buffer.concat([header(8), Buffer.from([0x80, 0x22, 0x00, 0x04, 1, 2, 3, 4])]))).toMatchObject({ ok: true });
  });
});
