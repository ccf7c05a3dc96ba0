// The stats poller's timing, with fake time and a fake connection: one poll at once, then one per interval — the
// interval read before each wait — never two at a time, none after stop().
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startStatsPoller } from './stats-poller';

afterEach(() => vi.useRealTimers());

function fakePc(getStatsMs = 0) {
  const calls: number[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const pc = {
    getStats: () => {
      calls.push(Date.now());
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      if (getStatsMs === 0) return Promise.resolve(new Map()).finally(() => inFlight--);
      return new Promise<Map<string, unknown>>((resolve) => setTimeout(() => (inFlight--, resolve(new Map())), getStatsMs));
    },
  };
  return { pc: pc as unknown as RTCPeerConnection, calls, maxInFlight: () => maxInFlight };
}

describe('startStatsPoller', () => {
  it('polls at once and then every interval, reading the interval before each wait', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'Date'], now: 0 });
    const { pc, calls } = fakePc();
    let interval = 250;
    const snapshots: unknown[] = [];
    const stop = startStatsPoller(pc, (s) => snapshots.push(s), () => interval);
    await vi.advanceTimersByTimeAsync(760);
    expect(calls).toEqual([0, 250, 500, 750]);
    interval = 1000; // e.g. the path settled
    await vi.advanceTimersByTimeAsync(2000);
    expect(calls).toEqual([0, 250, 500, 750, 1000, 2000]);
    expect(snapshots).toHaveLength(6);
    stop();
    await vi.advanceTimersByTimeAsync(5000);
    expect(calls).toHaveLength(6);
  });

  it('never overlaps polls: a slow getStats delays the next one', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'Date'], now: 0 });
    const slow = fakePc(700);
    const stop = startStatsPoller(slow.pc, () => {}, 500);
    await vi.advanceTimersByTimeAsync(3000);
    expect(slow.maxInFlight()).toBe(1);
    expect(slow.calls).toEqual([0, 1200, 2400]);
    stop();
  });
});
