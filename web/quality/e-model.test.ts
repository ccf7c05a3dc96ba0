import { describe, expect, it } from 'vitest';
import { callMos, mosFromR, oneWayDelayMs, rFactor } from './e-model';

describe('E-model (simplified G.107)', () => {
  it('gives a clean short path the codec ceiling (R ≈ 92, MOS 4.38)', () => {
    const i = { rttMs: 20, lossRatio: 0, jitterBufferMs: 20, jitterMs: 2 };
    expect(oneWayDelayMs(i)).toBe(50);
    expect(rFactor(i)).toBeCloseTo(93.2 - 1.2, 5);
    expect(callMos(i)).toBe(4.38);
  });

  it('costs little delay up to ~177 ms one way, then steeply (G.114)', () => {
    const at = (oneWay: number) => rFactor({ rttMs: 2 * (oneWay - 20), lossRatio: 0, jitterBufferMs: 0, jitterMs: 0 });
    expect(at(150)).toBeCloseTo(93.2 - 0.024 * 150, 5);
    expect(at(300)).toBeCloseTo(93.2 - 0.024 * 300 - 0.11 * (300 - 177.3), 5);
    expect(at(250) - at(300)).toBeGreaterThan(5 * (at(100) - at(150)));
  });

  it('uses 2 × jitter for the jitter buffer when it was not measured', () => {
    expect(oneWayDelayMs({ rttMs: 100, lossRatio: 0, jitterBufferMs: null, jitterMs: 15 })).toBe(50 + 30 + 20);
  });

  it('takes 95·P/(P+25.1) for loss: 3 % costs ~10 R, 10 % ~27', () => {
    const base = { rttMs: 0, jitterBufferMs: 0, jitterMs: 0 };
    const r0 = rFactor({ ...base, lossRatio: 0 });
    expect(r0 - rFactor({ ...base, lossRatio: 0.03 })).toBeCloseTo((95 * 3) / 28.1, 5);
    expect(r0 - rFactor({ ...base, lossRatio: 0.1 })).toBeCloseTo((95 * 10) / 35.1, 5);
  });

  it('maps R to MOS per G.107 Annex B, clamped to 1..4.5', () => {
    expect(mosFromR(-5)).toBe(1);
    expect(mosFromR(0)).toBe(1);
    expect(mosFromR(120)).toBe(4.5);
    expect(mosFromR(50)).toBeCloseTo(1 + 1.75 + 7e-6 * 50 * -10 * 50, 10);
    expect(mosFromR(80)).toBeCloseTo(4.02, 2);
    expect(mosFromR(60)).toBeCloseTo(3.1, 2);
  });
});
