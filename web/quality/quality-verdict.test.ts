import { describe, expect, it } from 'vitest';
import { qualityVerdict } from './quality-verdict';

const good = { uploadBps: 20e6, downloadBps: 30e6, lossRatio: 0, jitterMs: 2, rttMs: 30 };

describe('quality verdict', () => {
  it('a fast clean path is good for HD video calls', () => {
    const v = qualityVerdict(good)!;
    expect(v.level).toBe('hd-video');
    expect(v.label).toBe('good for HD video calls');
    expect(v.limits).toEqual([]);
    expect(v.mos).toBeGreaterThan(4.2);
  });

  it('names the figure that keeps the path below the next level', () => {
    const v = qualityVerdict({ ...good, uploadBps: 1e6 })!;
    expect(v.level).toBe('sd-video');
    expect(v.limits).toEqual(['upload 1.0 Mbit/s is below 2.5 Mbit/s']);
    expect(qualityVerdict({ ...good, lossRatio: 0.05 })!.level).toBe('audio');
    expect(qualityVerdict({ ...good, rttMs: 700 })!.level).toBe('audio');
  });

  it('warns about bufferbloat without lowering the level', () => {
    const v = qualityVerdict({ ...good, bufferbloatMs: 900 })!;
    expect(v.level).toBe('hd-video');
    expect(v.limits).toEqual(['the round-trip time grows by 900 ms while the link is full (bufferbloat): calls will stutter when something else saturates it']);
    expect(qualityVerdict({ ...good, bufferbloatMs: 150 })!.limits).toEqual([]);
    expect(qualityVerdict({ ...good, jitterMs: 40 })!.level).toBe('sd-video');
  });

  it('is unusable below the audio limits, with the reasons', () => {
    const v = qualityVerdict({ ...good, downloadBps: 50_000, lossRatio: 0.2 })!;
    expect(v.level).toBe('unusable');
    expect(v.limits).toEqual(['download 0.05 Mbit/s is below 0.10 Mbit/s', 'packet loss 20.0 % is above 10 %']);
  });

  it('rests on what was measured and says what was not', () => {
    const v = qualityVerdict({ uploadBps: 5e6, downloadBps: null, lossRatio: null, jitterMs: null, rttMs: 40 })!;
    expect(v.level).toBe('hd-video');
    expect(v.limits.at(-1)).toMatch(/^not measured: download, loss, jitter/);
    expect(v.mos).toBeNull();
    expect(qualityVerdict({ uploadBps: null, downloadBps: null, lossRatio: null, jitterMs: null, rttMs: null })).toBeNull();
    // One throughput figure without any RTT is not enough for a verdict.
    expect(qualityVerdict({ uploadBps: null, downloadBps: 11e6, lossRatio: null, jitterMs: null, rttMs: null })).toBeNull();
    expect(qualityVerdict({ uploadBps: 5e6, downloadBps: 5e6, lossRatio: 0, jitterMs: 1, rttMs: null })).toBeNull();
  });
});
