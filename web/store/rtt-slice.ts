// Round-trip times measured with data-channel pings: a capped buffer for the chart, running aggregates for
// min/avg/max over the whole test.
import type { StateCreator } from 'zustand';
import type { AppState } from './app-store';

export const MAX_RTT_SAMPLES = 600; // 5 minutes at one ping per 500 ms

export interface RttState {
  samples: { at: number; rtt: number }[];
  count: number;
  sum: number;
  min: number | null;
  max: number | null;
}

export interface RttSlice {
  rtt: RttState;
  addRttSample(at: number, rtt: number): void;
  resetRtt(): void;
}

export const initialRtt = (): RttState => ({ samples: [], count: 0, sum: 0, min: null, max: null });

export const createRttSlice: StateCreator<AppState, [], [], RttSlice> = (set) => ({
  rtt: initialRtt(),
  addRttSample: (at, value) =>
    set(({ rtt }) => {
      const v = Math.round(value * 100) / 100;
      return {
        rtt: {
          samples: [...rtt.samples, { at, rtt: v }].slice(-MAX_RTT_SAMPLES),
          count: rtt.count + 1,
          sum: rtt.sum + v,
          min: rtt.min === null ? v : Math.min(rtt.min, v),
          max: rtt.max === null ? v : Math.max(rtt.max, v),
        },
      };
    }),
  resetRtt: () => set({ rtt: initialRtt() }),
});
