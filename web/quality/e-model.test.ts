import { describe, expect, it } from 'vitest';
import { callDirection, type ReceivedSample } from '../call/call-summary';
import { audioMos, DEFAULT_R, lossImpairment, mosFromR, OPUS_IMPAIRMENT, oneWayDelayMs, rFactor } from './e-model';
import { qualityVerdict } from './quality-verdict';
import { G107_DEFAULT, G107_TABLE_B1, G113_CODECS } from './testdata/itu-e-model';

describe('E-model (simplified G.107)', () => {
  it('maps R to MOS as G.107 Table B.1 and its default connection publish', () => {
    // The table gives two decimals (R = 80 → 4.024 is printed 4.03): within 0.01.
    for (const row of G107_TABLE_B1) expect(Math.abs(mosFromR(row.r) - row.mos), row.users).toBeLessThanOrEqual(0.01);
    expect(DEFAULT_R).toBe(G107_DEFAULT.r);
    expect(Math.round(mosFromR(G107_DEFAULT.r) * 100) / 100).toBe(G107_DEFAULT.mos);
  });

  it("computes Ie,eff from G.113's Ie and Bpl: the codec's own Ie without loss, 95 at total loss", () => {
    for (const [name, c] of Object.entries(G113_CODECS)) {
      expect(lossImpairment(0, c), name).toBe(c.ie);
      expect(lossImpairment(100, c), name).toBeCloseTo(c.ie + ((95 - c.ie) * 100) / (100 + c.bpl), 10);
    }
    // Worked values: G.729A + VAD at 2 % random loss → 11 + 84·2/21 = 19; G.711 without PLC at 1 % → 95/5.3.
    expect(lossImpairment(2, G113_CODECS['G.729A + VAD'])).toBeCloseTo(19, 10);
    expect(lossImpairment(1, G113_CODECS['G.711, no PLC'])).toBeCloseTo(95 / 5.3, 10);
    // Concealment is what makes loss bearable: at 3 % loss G.711 with PLC keeps ~17 R more than without.
    expect(lossImpairment(3, G113_CODECS['G.711, no PLC']) - lossImpairment(3, G113_CODECS['G.711 with PLC (G.711 Appendix I)'])).toBeGreaterThan(17);
    expect(OPUS_IMPAIRMENT).toEqual(G113_CODECS['G.711 with PLC (G.711 Appendix I)']);
  });

  it('gives a clean short path the codec ceiling (R ≈ 92, MOS 4.38)', () => {
    const i = { rttMs: 20, lossRatio: 0, jitterBufferMs: 20, jitterMs: 2 };
    expect(oneWayDelayMs(i)).toBe(50);
    expect(rFactor(i)).toBeCloseTo(93.2 - 1.2, 5);
    expect(audioMos(i)).toBe(4.38);
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

  it('takes 95·P/(P+25.1) for loss with Opus: 3 % costs ~10 R, 10 % ~27', () => {
    const base = { rttMs: 0, jitterBufferMs: 0, jitterMs: 0 };
    const r0 = rFactor({ ...base, lossRatio: 0 });
    expect(r0 - rFactor({ ...base, lossRatio: 0.03 })).toBeCloseTo((95 * 3) / 28.1, 5);
    expect(r0 - rFactor({ ...base, lossRatio: 0.1 })).toBeCloseTo((95 * 10) / 35.1, 5);
    expect(rFactor({ ...base, lossRatio: 0.03, codec: G113_CODECS['G.729A + VAD'] })).toBeCloseTo(r0 - 11 - (84 * 3) / 22, 5);
  });

  it('clamps MOS to 1..4.5 outside 0 < R < 100', () => {
    expect(mosFromR(-5)).toBe(1);
    expect(mosFromR(0)).toBe(1);
    expect(mosFromR(120)).toBe(4.5);
    expect(audioMos({ rttMs: 50, lossRatio: 1, jitterBufferMs: null, jitterMs: 1 })).toBeLessThan(2);
  });
});

describe('one MOS for the whole report', () => {
  // The same path figures through the link test's verdict and through one direction of the call.
  const paths = [
    { rttMs: 20, jitterMs: 1, lossRatio: 0 },
    { rttMs: 200, jitterMs: 15, lossRatio: 0.03 },
    { rttMs: 600, jitterMs: 30, lossRatio: 0.1 },
  ];
  const callSamples = (p: (typeof paths)[number]): ReceivedSample[] =>
    Array.from({ length: 6 }, () => ({
      spanMs: 1000, rttMs: p.rttMs, bps: 1e6, fps: 30, width: 1280, height: 720, packets: Math.round(1000 * (1 - p.lossRatio)), packetsLost: Math.round(1000 * p.lossRatio),
      frames: 30, newFreezes: 0, freezeMs: 0, nack: 0, pli: 0, jitterMs: p.jitterMs, jitterBufferMs: null, concealedSamples: 0, totalSamples: 48_000,
    }));

  it('gives the link test and the call the same MOS for the same RTT, jitter and loss', () => {
    for (const p of paths) {
      const expected = audioMos({ ...p, jitterBufferMs: null });
      const link = qualityVerdict({ uploadBps: 5e6, downloadBps: 5e6, ...p })!.mos;
      const call = callDirection(callSamples(p)).summary.mos;
      expect({ link, call }).toEqual({ link: expected, call: expected });
    }
    // And it moves with the path: the three differ.
    expect(new Set(paths.map((p) => audioMos({ ...p, jitterBufferMs: null }))).size).toBe(3);
  });
});
