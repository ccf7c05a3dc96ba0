import { describe, expect, it } from 'vitest';
import type { CallDirectionSummary } from '../../common/call-report';
import { callDirection, summarizeDirection, type ReceivedSample } from './call-summary';
import { callVerdict, disagreementText } from './call-verdict';

const hd: CallDirectionSummary = {
  seconds: 10, bitrateBps: 2_000_000, fps: 30, width: 1280, height: 720, framesDecoded: 280, freezeCount: 0, freezeMs: 0,
  lossRatio: 0, jitterMs: 3, jitterBufferMs: 40, nackCount: 0, pliCount: 0, audioConcealedRatio: 0, rttMs: 20,
  bandwidthEstimateBps: 3_000_000, qualityLimitation: 'none', mos: 4.35,
};

describe('call verdict thresholds (docs/call-test.md)', () => {
  it('HD at 720 lines and 24 fps, one short freeze allowed', () => {
    expect(callVerdict(hd)).toEqual({ level: 'hd-video', label: 'HD video works', reasons: [] });
    expect(callVerdict({ ...hd, fps: 24, freezeCount: 1, freezeMs: 500 }).level).toBe('hd-video');
  });

  it('SD, naming why not HD: fewer lines, fewer frames, more freezes, or audio MOS below 3.6', () => {
    for (const [patch, why] of [
      [{ height: 540, width: 960 }, 'video held 960×540, below 720 lines'],
      [{ fps: 23.9 }, 'video ran at 24 frames/s, below 24'],
      [{ freezeCount: 2, freezeMs: 400 }, 'video froze 2 times'],
      [{ freezeMs: 501 }, 'video was frozen 0.5 s in total (more than 0.5 s)'],
      [{ mos: 3.59 }, 'audio MOS 3.6 is below 3.6'],
      // 720 lines held, but the path carried too little for a camera's HD picture (the 1 Mbit/s lab row).
      [{ bandwidthEstimateBps: 785_000 }, 'the sender estimated 0.79 Mbit/s for the path, below the 1 Mbit/s HD video needs'],
    ] as const) {
      const v = callVerdict({ ...hd, ...patch });
      expect(v.level, why).toBe('sd-video');
      expect(v.reasons).toContain(why);
    }
    expect(callVerdict({ ...hd, height: 360, fps: 15, freezeCount: 5, freezeMs: 1500, mos: 3.1 }).level).toBe('sd-video');
  });

  it('audio only below 360 lines or 15 fps, or frozen over 1.5 s; the encoder limit named', () => {
    expect(callVerdict({ ...hd, height: 359 }).level).toBe('audio');
    expect(callVerdict({ ...hd, fps: 14.9 }).level).toBe('audio');
    const v = callVerdict({ ...hd, freezeMs: 1501, qualityLimitation: 'cpu' });
    expect(v.level).toBe('audio');
    expect(v.reasons).toContain("the sender's encoder was limited by its CPU, not by the network");
    expect(callVerdict({ ...hd, height: null, framesDecoded: 0 }).reasons).toContain('no video frames arrived');
  });

  it('not usable when the audio MOS is below 3.1, over 10 % was concealed, or nothing arrived', () => {
    expect(callVerdict({ ...hd, height: 180, mos: 3.09 }).level).toBe('unusable');
    expect(callVerdict({ ...hd, height: 180, audioConcealedRatio: 0.11 }).level).toBe('unusable');
    expect(callVerdict({ ...hd, height: 180, audioConcealedRatio: 0.1 }).level).toBe('audio');
    expect(callVerdict({ ...hd, height: null, framesDecoded: 0, bitrateBps: 0 })).toMatchObject({ level: 'unusable', reasons: ['no media arrived'] });
  });

  it('does not hold a figure the browser did not report against the direction', () => {
    expect(callVerdict({ ...hd, fps: null, mos: null, audioConcealedRatio: null, bandwidthEstimateBps: null }).level).toBe('hd-video');
    expect(callVerdict({ ...hd, bandwidthEstimateBps: 1_000_000 }).level).toBe('hd-video');
  });
});

const second = (p: Partial<ReceivedSample>): ReceivedSample => ({
  spanMs: 1000, bps: 2_000_000, fps: 30, width: 1280, height: 720, packets: 250, packetsLost: 0, frames: 30, newFreezes: 0, freezeMs: 0,
  nack: 0, pli: 0, jitterMs: 2, jitterBufferMs: 40, concealedSamples: 0, totalSamples: 48000, rttMs: 10, ...p,
});

describe('a direction from its seconds', () => {
  it('judges rates and resolution on the later half: the ramp-up does not count', () => {
    const ramp = [360, 360, 540, 540, 720, 720, 720, 720, 720, 720].map((h, i) => second({ height: h, width: (h * 16) / 9, bps: 300_000 * (i + 1) }));
    const d = callDirection(ramp);
    expect(d.summary).toMatchObject({ height: 720, width: 1280, seconds: 10, framesDecoded: 300, lossRatio: 0 });
    expect(d.summary.bitrateBps).toBe(2_400_000);
    expect(d.verdict.level).toBe('hd-video');
    expect(d.series).toHaveLength(10);
    expect(d.series[9]).toEqual({ at: 10, bps: 3_000_000, fps: 30, height: 720 });
  });

  it('counts loss, freezes and concealment over the whole call, and the MOS from them', () => {
    const s = summarizeDirection([second({ packetsLost: 25, newFreezes: 1, freezeMs: 800 }), second({ concealedSamples: 4800 }), second({})]);
    expect(s.lossRatio).toBeCloseTo(25 / 775, 4);
    expect(s).toMatchObject({ freezeCount: 1, freezeMs: 800, audioConcealedRatio: 0.033 });
    expect(s.mos).toBeLessThan(4.2);
    expect(s.mos).toBeGreaterThan(3.6);
  });

  it('says nothing arrived for an empty direction', () => {
    expect(callDirection([]).verdict.level).toBe('unusable');
  });
});

describe('call against the data-channel estimate', () => {
  const v = (level: 'hd-video' | 'sd-video' | 'audio' | 'unusable') => callVerdict({ ...hd, ...(level === 'hd-video' ? {} : level === 'sd-video' ? { height: 540, width: 960 } : level === 'audio' ? { height: 180 } : { height: 180, mos: 2 }) });
  it('is silent when they agree', () => {
    expect(disagreementText({ incoming: v('hd-video'), outgoing: v('hd-video') }, { level: 'hd-video', label: 'good for HD video calls' })).toBeNull();
  });

  it('names the worse direction and why the call wins', () => {
    const t = disagreementText({ incoming: v('hd-video'), outgoing: v('sd-video') }, { level: 'hd-video', label: 'good for HD video calls' });
    expect(t).toContain('the call (to the other peer) achieved "SD video works": video held 960×540, below 720 lines');
    expect(t).toContain("The call's verdict counts");
    const better = disagreementText({ incoming: v('hd-video'), outgoing: null }, { level: 'audio', label: 'audio calls only' });
    expect(better).toContain('congestion control adapts');
  });
});
