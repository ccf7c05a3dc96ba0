import { describe, expect, it } from 'vitest';
import { encodeChannelData } from './channel-data';
import { StreamFramer } from './stream-framer';
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
});
