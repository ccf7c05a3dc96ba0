import { describe, expect, it } from 'vitest';
import {
  LOBBY_QUEUE_VERSION, PEER_PROTOCOL_VERSION, encodeChannelMessage, encodeControl, encodeLobbyQueueMessage, parseChannelMessage, parseControl, parseLobbyQueueMessage,
  peerVersionMismatchText, type ChannelMessage, type LobbyQueueMessage,
} from './peer-protocol';
import type { CallDirection } from './call-report';

const PLAN = { idleMs: 1000, bulkMs: 2500, streamMs: 2000, probeIntervalMs: 50, streamPps: 100, streamBytes: 500, chunkBytes: 16 * 1024 };

describe('main channel messages', () => {
  it('round-trip hello, ping and pong', () => {
    for (const m of [{ t: 'hello', v: PEER_PROTOCOL_VERSION }, { t: 'ping', seq: 3, ts: 1234.5 }, { t: 'pong', seq: 0, ts: 0 }] as const) {
      expect(parseChannelMessage(encodeChannelMessage(m))).toEqual(m);
    }
  });

  it('round-trip the relay check messages and refuse malformed ones', () => {
    const ok: ChannelMessage[] = [
      { t: 'rc-offer', sdp: 'v=0\r\n' },
      { t: 'rc-answer', sdp: 'v=0\r\n' },
      { t: 'rc-candidate', c: { candidate: 'candidate:1 1 udp 41885439 10.77.0.1 50000 typ relay raddr 0.0.0.0 rport 0', sdpMid: '0', sdpMLineIndex: 0 } },
      { t: 'rc-candidate', c: null },
      { t: 'rc-result', verdict: { state: 'works', rttMs: 1.5, throughputBps: 2.5e7, reason: null } },
      { t: 'rc-burst-end' },
      { t: 'rc-burst-result', bytes: 1_048_576, ms: 1990 },
      { t: 'rc-result', verdict: { state: 'skipped', rttMs: null, throughputBps: null, reason: 'no TURN server configured on the other side' } },
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
      '{"t":"hello","v":0}',
      '{"t":"hello","v":1.5}',
      JSON.stringify({ t: 'rc-offer', sdp: 'x'.repeat(20_000) }),
    ]) {
      expect(parseChannelMessage(bad)).toBeNull();
    }
  });

  it('fill in what an older sender leaves out: a candidate without sdpMid/index, a verdict without throughput', () => {
    expect(parseChannelMessage('{"t":"rc-candidate","c":{"candidate":"candidate:x"}}')).toEqual({ t: 'rc-candidate', c: { candidate: 'candidate:x', sdpMid: null, sdpMLineIndex: null } });
    expect(parseChannelMessage('{"t":"rc-result","verdict":{"state":"failed","rttMs":null,"reason":"r"}}')).toEqual({ t: 'rc-result', verdict: { state: 'failed', rttMs: null, throughputBps: null, reason: 'r' } });
  });

  it('return null for anything else, never throw', () => {
    const deep = `{"t":"ping","seq":1,"ts":1,"x":${'['.repeat(50)}${']'.repeat(50)}}`;
    for (const bad of ['nope', '{"t":"ping"}', '{"t":"later-feature","x":1}', 'null', '[]', '5', new ArrayBuffer(2), 'x'.repeat(20_000), deep, undefined]) {
      expect(parseChannelMessage(bad)).toBeNull();
    }
  });

  it('a version mismatch reads as a sentence naming both versions', () => {
    expect(peerVersionMismatchText(7)).toContain('speaks peer protocol version 7, this page 1');
  });
});

describe('link test control messages', () => {
  it('round-trip, and malformed ones are null', () => {
    const m = { t: 'hello', v: 1, plan: PLAN } as const;
    expect(parseControl(encodeControl(m))).toEqual(m);
    for (const s of ['', '{', '{"t":"nope"}', '{"t":"hello","v":1}', '{"t":"send-bulk","durationMs":-1}', 42, 'x'.repeat(300_000)]) expect(parseControl(s)).toBeNull();
  });
});

describe('call test messages', () => {
  const direction: CallDirection = {
    summary: {
      seconds: 10, bitrateBps: 2e6, fps: 30, width: 1280, height: 720, framesDecoded: 290, freezeCount: 0, freezeMs: 0, lossRatio: 0, jitterMs: 2,
      jitterBufferMs: 40, nackCount: 0, pliCount: 0, audioConcealedRatio: 0, rttMs: 5, bandwidthEstimateBps: null, qualityLimitation: null, mos: 4.4,
    },
    verdict: { level: 'hd-video', label: 'HD video works', reasons: [] },
    series: [{ at: 1, bps: 1e6, fps: 30, height: 720 }],
  };

  it('round-trip every call message, an audio+video SDP of Chromium size included', () => {
    const ok: ChannelMessage[] = [
      { t: 'call-start', durationMs: 10_000 },
      { t: 'call-ready' },
      { t: 'call-offer', sdp: 'a'.repeat(20_000) },
      { t: 'call-answer', sdp: 'v=0\r\n' },
      { t: 'call-result', received: direction, sent: { bandwidthEstimateBps: 2.5e6, qualityLimitation: 'none' } },
      { t: 'call-result', received: null, sent: { bandwidthEstimateBps: null, qualityLimitation: null } },
      { t: 'call-skip', reason: 'skipped by the user' },
    ];
    for (const m of ok) expect(parseChannelMessage(encodeChannelMessage(m))).toEqual(m);
  });

  it('refuses out-of-range durations, oversized SDPs and results outside their bounds', () => {
    for (const bad of [
      { t: 'call-start', durationMs: 60_000 },
      { t: 'call-offer', sdp: 'a'.repeat(49 * 1024) },
      { t: 'call-result', received: { ...direction, summary: { ...direction.summary, lossRatio: 2 } }, sent: { bandwidthEstimateBps: null, qualityLimitation: null } },
      { t: 'call-result', received: { ...direction, series: Array(121).fill(direction.series[0]) }, sent: { bandwidthEstimateBps: null, qualityLimitation: null } },
      { t: 'call-result', received: null },
    ]) {
      expect(parseChannelMessage(JSON.stringify(bad))).toBeNull();
    }
  });
});

describe('lobby queue messages', () => {
  it('round-trip every type', () => {
    const ok: LobbyQueueMessage[] = [
      { t: 'lq-hello', v: LOBBY_QUEUE_VERSION },
      { t: 'lq-request', ts: 1 },
      { t: 'lq-grant', ts: 42 },
      { t: 'lq-ask', job: 'link-test' },
      { t: 'lq-ask', job: 'relay-check' },
      { t: 'lq-ask', job: 'call' },
      { t: 'lq-sweep' },
    ];
    for (const m of ok) expect(parseLobbyQueueMessage(encodeLobbyQueueMessage(m))).toEqual(m);
  });

  it('refuse malformed ones, messages of other channels and oversized text', () => {
    for (const bad of [
      '{"t":"lq-request"}', '{"t":"lq-request","ts":0}', '{"t":"lq-grant","ts":1.5}', '{"t":"lq-ask","job":"teleport"}', '{"t":"lq-hello","v":0}',
      encodeChannelMessage({ t: 'hello', v: PEER_PROTOCOL_VERSION }), '[]', 'null', `{"t":"lq-sweep","pad":"${'x'.repeat(2000)}"}`, 7,
    ]) expect(parseLobbyQueueMessage(bad)).toBeNull();
  });
});
