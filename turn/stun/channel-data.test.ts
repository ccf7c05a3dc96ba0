import { describe, expect, it } from 'vitest';
import { decodeChannelData, encodeChannelData, isChannelNumber, looksLikeChannelData } from './channel-data';
import { decodeStunMessage } from './message';
import { CHROMIUM_CAPTURES } from './testdata/chromium-captures';
import { UCLIENT_CAPTURES } from './testdata/uclient-captures';

const hex = (h: string): Buffer => Buffer.from(h, 'hex');

describe('ChannelData (RFC 8656 §12.4)', () => {
  it("decodes Chromium's UDP datagram and re-encodes it byte for byte", () => {
    const wire = hex(CHROMIUM_CAPTURES['chromium-udp-channel-data']!);
    expect(looksLikeChannelData(wire)).toBe(true);
    const r = decodeChannelData(wire);
    if (!r.ok) throw new Error(r.reason);
    expect(r.channel).toBe(0x4000);
    expect(r.data.length).toBe(64);
    // What Chromium relays is the peer's ICE check: a STUN message.
    expect(decodeStunMessage(r.data).ok).toBe(true);
    expect(encodeChannelData(r.channel, r.data).equals(wire)).toBe(true);
  });

  it("decodes Chromium's padded TCP frame (263 bytes of data, 1 byte of padding) and re-encodes it with padding", () => {
    const wire = hex(CHROMIUM_CAPTURES['chromium-tcp-channel-data']!);
    expect(wire.length).toBe(268);
    const r = decodeChannelData(wire);
    if (!r.ok) throw new Error(r.reason);
    expect(r.data.length).toBe(263);
    expect(r.data.equals(wire.subarray(4, 267))).toBe(true);
    expect(encodeChannelData(r.channel, r.data, true).equals(wire)).toBe(true);
    expect(encodeChannelData(r.channel, r.data, false).equals(wire.subarray(0, 267))).toBe(true);
  });

  it("accepts turnutils_uclient's channel 0x74e6 (RFC 5766 range) and pads nothing when the data is a multiple of 4", () => {
    const wire = hex(UCLIENT_CAPTURES['udp:channel-data']!);
    const r = decodeChannelData(wire);
    if (!r.ok) throw new Error(r.reason);
    expect([r.channel, r.data.length]).toEqual([0x74e6, 100]);
    expect(encodeChannelData(r.channel, r.data, true).equals(wire)).toBe(true);
  });

  it('pads with zeros over streams, and not at all over UDP (the default)', () => {
    const out = encodeChannelData(0x4001, Buffer.from('hello'), true);
    expect(out.toString('hex')).toBe('40010005' + Buffer.from('hello').toString('hex') + '000000');
    expect(encodeChannelData(0x4001, Buffer.from('ab'), true).toString('hex')).toBe('4001000261620000');
    expect(encodeChannelData(0x4001, Buffer.from('hello')).toString('hex')).toBe('40010005' + Buffer.from('hello').toString('hex'));
  });

  it('channel numbers 0x4000–0x7FFF', () => {
    expect([0x3fff, 0x4000, 0x4fff, 0x7fff, 0x8000].map(isChannelNumber)).toEqual([false, true, true, true, false]);
  });

  it('looks like ChannelData: first bits 01 and at least the 4-byte header', () => {
    expect(looksLikeChannelData(Buffer.from([0x40, 0, 0]))).toBe(false);
    expect(looksLikeChannelData(Buffer.from([0x40, 0, 0, 0]))).toBe(true);
    expect(looksLikeChannelData(Buffer.from([0x7f, 0xff, 0, 0]))).toBe(true);
    expect(looksLikeChannelData(Buffer.from([0x00, 0x01, 0, 0]))).toBe(false); // STUN
    expect(looksLikeChannelData(Buffer.from([0x80, 0, 0, 0]))).toBe(false); // RTP
    expect(looksLikeChannelData(Buffer.from([0xc0, 0, 0, 0]))).toBe(false);
  });

  it('returns typed malformed results', () => {
    expect(decodeChannelData(Buffer.from([0x40, 0, 0]))).toEqual({ ok: false, reason: 'too-short' });
    expect(decodeChannelData(Buffer.from([0x3f, 0xff, 0, 0]))).toEqual({ ok: false, reason: 'bad-channel' });
    expect(decodeChannelData(Buffer.from([0x80, 0x00, 0, 0]))).toEqual({ ok: false, reason: 'bad-channel' });
    expect(decodeChannelData(Buffer.from([0x40, 0x00, 0, 1]))).toEqual({ ok: false, reason: 'bad-length' });
    const exact = decodeChannelData(Buffer.from([0x40, 0x00, 0, 1, 0xab]));
    expect(exact.ok && exact.data.toString('hex')).toBe('ab');
    const empty = decodeChannelData(Buffer.from([0x7f, 0xff, 0, 0]));
    expect(empty.ok && [empty.channel, empty.data.length]).toEqual([0x7fff, 0]);
  });
});
