import { describe, expect, it } from 'vitest';
import { lossFromSequences } from './loss';

describe('loss from sequence numbers', () => {
  it('counts lost, duplicate and reordered packets', () => {
    const r = lossFromSequences(10, [0, 1, 3, 2, 2, 5, 6, 9, 8]);
    expect(r).toEqual({ sent: 10, received: 8, lost: 2, lossRatio: 0.2, duplicates: 1, reordered: 2 });
  });

  it('ignores sequence numbers that were never sent', () => {
    expect(lossFromSequences(3, [0, 1, 2, 3, 99, -1, 1.5])).toMatchObject({ received: 3, lost: 0, lossRatio: 0 });
  });

  it('is 100 % when nothing arrives and 0 when nothing was sent', () => {
    expect(lossFromSequences(4, []).lossRatio).toBe(1);
    expect(lossFromSequences(0, []).lossRatio).toBe(0);
  });
});
