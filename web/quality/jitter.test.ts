import { describe, expect, it } from 'vitest';
import { initialJitter, interarrivalJitter, updateJitter } from './jitter';

describe('RFC 3550 interarrival jitter', () => {
  it('is 0 for evenly spaced packets, whatever the clock offset between sender and receiver', () => {
    const samples = Array.from({ length: 50 }, (_, i) => ({ sentAt: i * 20, receivedAt: 1_000_000 + i * 20 }));
    expect(interarrivalJitter(samples)).toBe(0);
  });

  it('follows J += (|D| - J) / 16 step by step (RFC 3550 §6.4.1)', () => {
    let s = initialJitter();
    s = updateJitter(s, { sentAt: 0, receivedAt: 100 }); // transit 100
    expect(s).toEqual({ jitter: 0, lastTransit: 100 });
    s = updateJitter(s, { sentAt: 20, receivedAt: 136 }); // transit 116, D = 16
    expect(s.jitter).toBe(1);
    s = updateJitter(s, { sentAt: 40, receivedAt: 140 }); // transit 100, D = 16
    expect(s.jitter).toBeCloseTo(1 + 15 / 16, 10);
  });

  it('converges to the mean deviation for alternating delays', () => {
    // Transit alternates 10 and 30 ms: |D| = 20 every packet, so J tends to 20.
    const samples = Array.from({ length: 400 }, (_, i) => ({ sentAt: i * 20, receivedAt: i * 20 + (i % 2 ? 30 : 10) }));
    expect(interarrivalJitter(samples)!).toBeCloseTo(20, 3);
  });

  it('needs two packets', () => {
    expect(interarrivalJitter([])).toBeNull();
    expect(interarrivalJitter([{ sentAt: 0, receivedAt: 5 }])).toBeNull();
  });
});
