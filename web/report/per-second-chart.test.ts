import { describe, expect, it } from 'vitest';
import { pairedRows } from './per-second-chart';

describe('per-second chart rows', () => {
  it('pairs two directions by second and leaves the shorter side null at the end', () => {
    const a = [{ at: 1, v: 10 }, { at: 2, v: 20 }, { at: 3, v: 30 }];
    const b = [{ at: 1.1, v: 5 }];
    expect(pairedRows(a, b, (p) => p.at, ['in', 'out'], (p) => p.v)).toEqual([
      { t: 1, in: 10, out: 5 },
      { t: 2, in: 20, out: null },
      { t: 3, in: 30, out: null },
    ]);
    expect(pairedRows([], b, (p) => p.at, ['in', 'out'], (p) => p.v)).toEqual([{ t: 1.1, in: null, out: 5 }]);
    expect(pairedRows([], [], (p: { at: number }) => p.at, ['in', 'out'], () => 0)).toEqual([]);
  });
});
