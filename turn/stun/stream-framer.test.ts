import { describe, expect, it } from 'vitest';
import { encodeChannelData } from './channel-data';
import { StreamFramer } from './stream-framer';
import { CHROMIUM_CAPTURES } from './testdata/chromium-captures';
import { sampleRequest } from './testdata/rfc5769-vectors';

describe('StreamFramer', () => {
  it('reassembles STUN and padded ChannelData split at every byte boundary', () => {
    const cd = encodeChannelData(0x4001, Buffer.from('hello'), true);
    expect(cd.length).toBe(12);
    const stream = Buffer.concat([sampleRequest, cd, sampleRequest]);
    for (let cut = 1; cut < stream.length; cut++) {
      const f = new StreamFramer();
      const a = f.push(stream.subarray(0, cut));
      const b = f.push(stream.subarray(cut));
      if (!a.ok || !b.ok) throw new Error('framing failed');
      const frames = [...a.frames, ...b.frames];
      expect(frames.map((x) => x.length)).toEqual([sampleRequest.length, 12, sampleRequest.length]);
    }
  });

  it('rejects a stream that is neither STUN nor ChannelData', () => {
    expect(new StreamFramer().push(Buffer.from('\x16\x03\x01\x02\x00\x01\x00\x00\x01\xfc', 'latin1'))).toEqual({ ok: false, reason: 'not-stun-or-channel-data' });
    expect(new StreamFramer().push(Buffer.from([0x80, 0, 0, 0]))).toEqual({ ok: false, reason: 'not-stun-or-channel-data' });
  });

  it("frames Chromium's TCP ChannelData (263 bytes of data padded to 264) between two STUN messages", () => {
    const cd = Buffer.from(CHROMIUM_CAPTURES['chromium-tcp-channel-data']!, 'hex');
    const allocate = Buffer.from(CHROMIUM_CAPTURES['chromium-tcp-type-0003-mi']!, 'hex');
    const r = new StreamFramer().push(Buffer.concat([allocate, cd, allocate]));
    if (!r.ok) throw new Error(r.reason);
    expect(r.frames.map((f) => f.length)).toEqual([allocate.length, 268, allocate.length]);
    expect(r.frames[1]!.equals(cd)).toBe(true);
  });

  it('waits for the cookie before judging a STUN header, and keeps what it has not framed', () => {
    const f = new StreamFramer();
    expect(f.push(Buffer.from([0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xa4]))).toEqual({ ok: true, frames: [] });
    const r = f.push(Buffer.concat([Buffer.from([0x42]), sampleRequest.subarray(8, 20), Buffer.from([0x40, 0x01])]));
    if (!r.ok) throw new Error(r.reason);
    expect(r.frames.map((x) => x.toString('hex'))).toEqual(['000100002112a442' + sampleRequest.subarray(8, 20).toString('hex')]);
    const rest = f.push(Buffer.from([0x00, 0x01, 0xee, 0, 0, 0]));
    expect(rest.ok && rest.frames.map((x) => x.toString('hex'))).toEqual(['40010001ee000000']);
    expect(f.push(Buffer.from([0x00, 0x01, 0x00, 0x00, 0xde, 0xad, 0xbe, 0xef]))).toEqual({ ok: false, reason: 'not-stun-or-channel-data' });
  });

  it('rejects a stream starting 11 (neither STUN nor ChannelData)', () => {
    expect(new StreamFramer().push(Buffer.from([0xc0, 0, 0, 0]))).toEqual({ ok: false, reason: 'not-stun-or-channel-data' });
  });
});
