// Where the call test's video begins its bandwidth estimate. Chromium starts a new video stream's estimate near
// 300 kbit/s and raises it only after seconds of headroom (and drops the picture to 360 lines or fewer meanwhile):
// a call of minutes climbs out of that; a 10-second test judged on its later half does not, and blamed a clean
// 30 Mbit/s path for SD video. A call that has run a while sits where the path lets it, so the test starts there
// sooner: the video codecs of the description this side is given carry Chromium's `x-google-start-bitrate`
// (kbit/s; read from the remote description for what this side sends). Congestion control still backs off at once
// on a slower path (the link-condition lab's rate caps show it). Firefox ignores the parameter.

/** Start of the call's video bandwidth estimate, kbit/s: SD video's comfortable rate, half of HD's. */
export const CALL_START_KBPS = 1200;

const VIDEO_CODEC = /^a=rtpmap:(\d+) (VP8|VP9|H264|AV1|H265)\/90000/i;

/** The SDP with `x-google-start-bitrate=kbps` on every video codec's fmtp line (added where the codec has none).
 *  Other lines, and codecs already carrying the parameter, are left as they are. */
export function withStartBitrate(sdp: string, kbps = CALL_START_KBPS): string {
  const eol = sdp.includes('\r\n') ? '\r\n' : '\n';
  const lines = sdp.split(eol);
  const video = new Set<string>();
  for (const l of lines) {
    const m = VIDEO_CODEC.exec(l);
    if (m) video.add(m[1]!);
  }
  if (video.size === 0) return sdp;
  const param = `x-google-start-bitrate=${kbps}`;
  const withFmtp = new Set<string>();
  const out = lines.map((l) => {
    const m = /^a=fmtp:(\d+) (.*)$/.exec(l);
    if (!m || !video.has(m[1]!)) return l;
    withFmtp.add(m[1]!);
    return /(^|;)\s*x-google-start-bitrate=/.test(m[2]!) ? l : `${l};${param}`;
  });
  // Codecs without an fmtp line (VP8 usually has none): one right after their rtpmap line.
  return out
    .flatMap((l) => {
      const m = VIDEO_CODEC.exec(l);
      return m && !withFmtp.has(m[1]!) ? [l, `a=fmtp:${m[1]} ${param}`] : [l];
    })
    .join(eol);
}
