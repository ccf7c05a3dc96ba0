// The call's start bit rate in the SDP: what Chromium reads (an fmtp parameter of each video codec), and nothing
// else of the description changed.
import { describe, expect, it } from 'vitest';
import { withStartBitrate } from './start-bitrate';

// The video section of a Chromium offer (shortened): VP8 without fmtp, its RTX with one, VP9 and H264 with fmtp.
const SDP = [
  'v=0',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111',
  'a=rtpmap:111 opus/48000/2',
  'a=fmtp:111 minptime=10;useinbandfec=1',
  'm=video 9 UDP/TLS/RTP/SAVPF 96 97 98 102',
  'a=rtpmap:96 VP8/90000',
  'a=rtcp-fb:96 nack',
  'a=rtpmap:97 rtx/90000',
  'a=fmtp:97 apt=96',
  'a=rtpmap:98 VP9/90000',
  'a=fmtp:98 profile-id=0',
  'a=rtpmap:102 H264/90000',
  'a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f',
  '',
].join('\r\n');

describe('withStartBitrate', () => {
  it('gives every video codec the start bit rate, adding an fmtp line where the codec had none', () => {
    const out = withStartBitrate(SDP, 1200).split('\r\n');
    expect(out).toContain('a=fmtp:96 x-google-start-bitrate=1200');
    expect(out.indexOf('a=fmtp:96 x-google-start-bitrate=1200')).toBe(out.indexOf('a=rtpmap:96 VP8/90000') + 1);
    expect(out).toContain('a=fmtp:98 profile-id=0;x-google-start-bitrate=1200');
    expect(out).toContain('a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f;x-google-start-bitrate=1200');
  });

  it('leaves audio, retransmission codecs and the line endings alone', () => {
    const out = withStartBitrate(SDP, 1200);
    expect(out).toContain('a=fmtp:111 minptime=10;useinbandfec=1\r\n');
    expect(out).toContain('a=fmtp:97 apt=96\r\n');
    expect(out.split('\r\n').length).toBe(SDP.split('\r\n').length + 1);
    expect(out.endsWith('\r\n')).toBe(true);
  });

  it('changes nothing twice, and nothing in a description without video', () => {
    const once = withStartBitrate(SDP, 1200);
    expect(withStartBitrate(once, 1200)).toBe(once);
    const audioOnly = 'v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=rtpmap:111 opus/48000/2\r\n';
    expect(withStartBitrate(audioOnly)).toBe(audioOnly);
  });
});
