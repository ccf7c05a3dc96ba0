import { describe, expect, it } from 'vitest';
import { ThroughputMeter, throughputBps, throughputSeries } from './throughput';

describe('throughput from timestamps and bytes', () => {
  it('is the bytes after the first arrival over the time between first and last arrival', () => {
    // 11 messages of 1250 bytes, one every 10 ms: 10 × 1250 B in 100 ms = 1 Mbit/s.
    const samples = Array.from({ length: 11 }, (_, i) => ({ at: 500 + i * 10, bytes: 1250 }));
    expect(throughputBps(samples)).toBe(1_000_000);
  });

  it('needs two arrivals at different times', () => {
    expect(throughputBps([{ at: 1, bytes: 100 }])).toBeNull();
    expect(throughputBps([{ at: 1, bytes: 100 }, { at: 1, bytes: 100 }])).toBeNull();
  });

  it('series shows every interval, stalls as zero', () => {
    const series = throughputSeries([{ at: 10, bytes: 1000 }, { at: 20, bytes: 1000 }, { at: 310, bytes: 500 }], 0, 100);
    expect(series).toEqual([
      { at: 100, bps: 160_000 },
      { at: 200, bps: 0 },
      { at: 300, bps: 0 },
      { at: 400, bps: 40_000 },
    ]);
  });

  it('the meter agrees with the array functions', () => {
    const samples = Array.from({ length: 200 }, (_, i) => ({ at: 1000 + i * 3 + (i % 7), bytes: 16384 }));
    const m = new ThroughputMeter(1000, 250);
    for (const s of samples) m.add(s.at, s.bytes);
    expect(m.bps()).toBeCloseTo(throughputBps(samples)!, 6);
    expect(m.series()).toEqual(throughputSeries(samples, 1000, 250));
    expect(m.bytes).toBe(200 * 16384);
  });
});
