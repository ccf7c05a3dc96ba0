import { beforeEach, describe, expect, it } from 'vitest';
import { appStore } from './app-store';
import { MAX_RTT_SAMPLES } from './rtt-slice';

const initial = appStore.getInitialState();
beforeEach(() => appStore.setState(initial, true));

describe('app store', () => {
  it('caps the RTT buffer but keeps min/avg/max over every sample', () => {
    const s = appStore.getState();
    for (let i = 0; i < MAX_RTT_SAMPLES + 50; i++) s.addRttSample(i * 500, i === 0 ? 0.5 : i === 10 ? 90 : 2);
    const { rtt } = appStore.getState();
    expect(rtt.samples).toHaveLength(MAX_RTT_SAMPLES);
    expect(rtt.count).toBe(MAX_RTT_SAMPLES + 50);
    expect([rtt.min, rtt.max]).toEqual([0.5, 90]);
  });

  it('milestones keep their first time', () => {
    const s = appStore.getState();
    s.beginTest(1000);
    s.markTiming('connected', 120);
    s.markTiming('connected', 900);
    expect(appStore.getState().peer.timings.connected).toBe(120);
  });

  it('starts every case from the initial state', () => {
    expect(appStore.getState().rtt.count).toBe(0);
    expect(appStore.getState().peer.testNumber).toBe(0);
  });

  it('merges peer-info payloads by key', () => {
    appStore.getState().mergeRemoteInfo({ selectedPair: { local: { type: 'host' } } });
    appStore.getState().mergeRemoteInfo({ nat: { type: 'symmetric' } });
    expect(Object.keys(appStore.getState().peer.remoteInfo).sort()).toEqual(['nat', 'selectedPair']);
  });
});
