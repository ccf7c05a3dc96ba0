import { describe, expect, it } from 'vitest';
import { ms, rttMs } from './milliseconds';

describe('milliseconds as the page writes them', () => {
  it('times and durations: whole ms below 10 s, then seconds with one decimal (the report, its timeline and the lobby alike)', () => {
    expect([ms(0), ms(594.4), ms(1500), ms(9999.4), ms(10_000), ms(12_345), ms(null), ms(undefined)]).toEqual(['0 ms', '594 ms', '1500 ms', '9999 ms', '10.0 s', '12.3 s', '—', '—']);
  });

  it('round-trip times and jitter keep fractions of a millisecond', () => {
    expect([rttMs(0.423), rttMs(9.994), rttMs(12.34), rttMs(null)]).toEqual(['0.42 ms', '9.99 ms', '12.3 ms', '—']);
  });
});
