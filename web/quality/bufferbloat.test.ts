import { describe, expect, it } from 'vitest';
import { bufferbloat, gradeFor } from './bufferbloat';

describe('bufferbloat', () => {
  it('compares the median RTT under load with the idle median', () => {
    expect(bufferbloat([20, 21, 19, 500], [80, 90, 85, 1000, 86])).toEqual({ idleMs: 20, loadedMs: 86, addedMs: 66, grade: 'C' });
  });

  it('grades added latency on the A+ … F scale', () => {
    expect([0, 4.9, 5, 29, 59, 199, 399, 400].map(gradeFor)).toEqual(['A+', 'A+', 'A', 'A', 'B', 'C', 'D', 'F']);
  });

  it('never reports negative added latency, and nothing without both sample sets', () => {
    expect(bufferbloat([30], [25]).addedMs).toBe(0);
    expect(bufferbloat([], [25])).toEqual({ idleMs: null, loadedMs: 25, addedMs: null, grade: null });
  });
});
