import { describe, expect, it } from 'vitest';
import { composeLinkQuality, mirrorLinkQuality, summarizeRtt, type LinkFigures } from './link-result';

const tp = (bps: number) => ({ bps, bytes: bps / 4, durationMs: 2000, series: [] });
const figures: LinkFigures = {
  status: 'done', reason: null, startedAt: 100, finishedAt: 9000,
  upload: tp(1e6), download: tp(40e6),
  streamOut: { sent: 100, received: 99, lossRatio: 0.01, jitterMs: 3, reordered: 0 },
  streamIn: { sent: 100, received: 100, lossRatio: 0, jitterMs: 1, reordered: 0 },
  rttIdle: { samples: [10, 11, 12], sent: 4 },
  rttLoadedUp: { samples: [60, 70, 80], sent: 3 },
  rttLoadedDown: { samples: [12, 13], sent: 2 },
};

describe('link result', () => {
  it('summarises RTT with lost probes', () => {
    expect(summarizeRtt({ samples: [10, 11, 12], sent: 4 })).toEqual({ count: 3, lost: 1, medianMs: 11, p90Ms: 12 });
    expect(summarizeRtt(null)).toBeNull();
  });

  it('judges bufferbloat on the worse direction and the verdict on the worse figures', () => {
    const q = composeLinkQuality(figures);
    expect(q.bufferbloat).toEqual({ idleMs: 11, loadedMs: 70, addedMs: 59, grade: 'B' });
    expect(q.verdict!.level).toBe('sd-video');
    expect(q.verdict!.limits).toEqual(['upload 1.0 Mbit/s is below 2.5 Mbit/s']);
    expect(q.notMeasured).toEqual([]);
  });

  it('mirrors for the other peer: directions swap, the verdict stays', () => {
    const m = mirrorLinkQuality(composeLinkQuality(figures));
    expect(m.upload!.bps).toBe(40e6);
    expect(m.download!.bps).toBe(1e6);
    expect(m.streamIn!.lossRatio).toBe(0.01);
    expect(m.rttLoadedDown!.medianMs).toBe(70);
    expect(m.verdict!.limits).toEqual(['download 1.0 Mbit/s is below 2.5 Mbit/s']);
  });

  it('lists what a partial test did not measure', () => {
    const q = composeLinkQuality({ ...figures, status: 'partial', reason: 'the other peer left', download: null, streamIn: null, streamOut: null, rttLoadedDown: null });
    expect(q.notMeasured).toEqual(['download', 'stream']);
    expect(q.verdict!.limits.at(-1)).toMatch(/not measured: download, loss, jitter/);
    expect(mirrorLinkQuality(q).notMeasured).toEqual(['upload', 'stream']);
  });
});
