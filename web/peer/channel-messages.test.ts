import { describe, expect, it } from 'vitest';
import { encodeChannelMessage, parseChannelMessage } from './channel-messages';

describe('parseChannelMessage', () => {
  it('round-trips ping and pong', () => {
    const ping = { t: 'ping' as const, seq: 3, ts: 1234.5 };
    expect(parseChannelMessage(encodeChannelMessage(ping))).toEqual(ping);
  });

  it('round-trips the relay check messages and refuses malformed ones', () => {
    const ok = [
      { t: 'rc-offer' as const, sdp: 'v=0\r\n' },
      { t: 'rc-answer' as const, sdp: 'v=0\r\n' },
      { t: 'rc-candidate' as const, c: { candidate: 'candidate:1 1 udp 41885439 10.77.0.1 50000 typ relay raddr 0.0.0.0 rport 0', sdpMid: '0', sdpMLineIndex: 0 } },
      { t: 'rc-candidate' as const, c: null },
      { t: 'rc-result' as const, verdict: { state: 'works' as const, rttMs: 1.5, throughputBps: 2.5e7, reason: null } },
      { t: 'rc-burst-end' as const },
      { t: 'rc-burst-result' as const, bytes: 1_048_576, ms: 1990 },
      { t: 'rc-result' as const, verdict: { state: 'skipped' as const, rttMs: null, throughputBps: null, reason: 'no TURN server configured on the other side' } },
    ];
    for (const m of ok) expect(parseChannelMessage(encodeChannelMessage(m))).toEqual(m);
    for (const bad of [
      '{"t":"rc-offer","sdp":5}',
      '{"t":"rc-candidate","c":{"candidate":7}}',
      '{"t":"rc-candidate","c":{"candidate":"x","sdpMid":{}}}',
      '{"t":"rc-result","verdict":{"state":"great","rttMs":1,"reason":null}}',
      '{"t":"rc-result","verdict":{"state":"works","rttMs":-1,"reason":null}}',
      '{"t":"rc-result","verdict":{"state":"works","rttMs":1,"throughputBps":"fast","reason":null}}',
      '{"t":"rc-burst-result","bytes":-5,"ms":10}',
      JSON.stringify({ t: 'rc-offer', sdp: 'x'.repeat(20_000) }),
    ]) {
      expect(parseChannelMessage(bad)).toBeNull();
    }
  });

  it('returns null for anything else', () => {
    for (const bad of ['nope', '{"t":"ping"}', '{"t":"later-feature","x":1}', 'null', new ArrayBuffer(2), 'x'.repeat(5000)]) {
      expect(parseChannelMessage(bad)).toBeNull();
    }
  });
});
