import { describe, expect, it } from 'vitest';
import chromium from './testdata/chromium-stats.json';
import firefox from './testdata/firefox-stats.json';
import { callSampleBetween, readCallCounters, type RawStat } from './call-stats';

// Real getStats() of the receiving side of a loopback call (testdata/capture-stats.ts), two snapshots ~1 s apart.
const snaps = (f: { snapshots: unknown[][] }) => f.snapshots as RawStat[][];

describe('call stats from Chromium', () => {
  const [a, b] = snaps(chromium).map(readCallCounters) as [ReturnType<typeof readCallCounters>, ReturnType<typeof readCallCounters>];

  it('reads the selected pair through the transport: RTT and the bandwidth estimate', () => {
    expect(b.rttS).toBe(0.004);
    expect(b.bandwidthEstimateBps).toBe(595000);
  });

  it('maps one second into bit rates, frames, resolution and the encoder limit per direction', () => {
    const s = callSampleBetween(a, b);
    expect(s.spanMs).toBeCloseTo(1009.3, 0);
    // inbound: audio 17844 → 21975 bytes, video 0 → 7457 bytes (its stream began in this second)
    expect(s.received.bps).toBe(Math.round(((21975 - 17844 + 7457) * 8 * 1000) / s.spanMs));
    expect(s.received).toMatchObject({ fps: 28, width: 640, height: 360, frames: 11, packetsLost: 0, newFreezes: 0, nack: 0, pli: 0 });
    expect(s.received.jitterMs).toBe(10);
    expect(s.sent).toMatchObject({ height: 360, qualityLimitation: 'bandwidth', bandwidthEstimateBps: 595000 });
    expect(s.sent.bps).toBe(Math.round(((21975 - 17844 + 5969) * 8 * 1000) / s.spanMs));
    expect(s.rttMs).toBe(4);
  });

  it('has no jitter-buffer figure for audio nobody played (nothing emitted)', () => {
    expect(callSampleBetween(a, b).received.jitterBufferMs).toBeNull();
  });
});

describe('call stats from Firefox ESR', () => {
  const [a, b] = snaps(firefox).map(readCallCounters) as [ReturnType<typeof readCallCounters>, ReturnType<typeof readCallCounters>];

  it('has no bandwidth estimate nor encoder limit (Firefox does not report them)', () => {
    expect(b.bandwidthEstimateBps).toBeNull();
    expect(b.sent.qualityLimitation).toBeNull();
    expect(b.rttS).toBe(0.001);
  });

  it('maps concealment and the audio jitter buffer (seconds summed over samples)', () => {
    const s = callSampleBetween(a, b);
    expect(s.spanMs).toBe(1115);
    expect(s.received).toMatchObject({ fps: 9, width: 960, height: 540, frames: 10, concealedSamples: 0, totalSamples: 167520 - 114240 });
    expect(s.received.jitterBufferMs).toBeCloseTo(((16531.2 - 9456) / (161280 - 108480)) * 1000, 0);
    expect(s.received.jitterMs).toBe(11);
  });
});

describe('call stats edge cases', () => {
  it('counts a counter that went backwards (a replaced stream) from zero, never negative', () => {
    const [a, b] = snaps(chromium).map(readCallCounters);
    const s = callSampleBetween(b!, { ...a!, at: b!.at + 1000 });
    expect(s.received.bps).toBe(0);
    expect(s.sent.bps).toBe(0);
  });

  it('counts frames decoded when the browser gives no framesPerSecond', () => {
    const [a, b] = snaps(firefox).map(readCallCounters);
    const s = callSampleBetween(a!, { ...b!, received: { ...b!.received, fps: null } });
    expect(s.received.fps).toBeCloseTo((10 * 1000) / 1115, 1);
  });

  it('reads an empty report as no call', () => {
    const c = readCallCounters([]);
    expect(c.rttS).toBeNull();
    expect(callSampleBetween(c, c).received.bps).toBe(0);
  });
});
