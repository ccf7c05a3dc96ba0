// A lobby link as this page broadcasts it: read from the pair's own store (real Chromium stats fixture), with
// jitter and loss from the light ping stream.
import { describe, expect, it } from 'vitest';
import { mapStats } from '../stats/stats-mapping';
import { CHROMIUM_HOST_PAIR_STATS } from '../stats/stats-fixtures';
import { createAppStore } from '../store/app-store';
import { linkSummary, pingLoss, rttJitter, worthBroadcasting } from './lobby-session-links';

const facts = { closed: false, pingsSent: 0, stateAt: 42 };

function pairStore() {
  const store = createAppStore();
  store.getState().openRoom('r', false, 0);
  store.getState().beginTest(1000);
  return store;
}

describe('lobby link summary', () => {
  it('names the path only once it has settled (a host-to-host pair at once), and only while connected', () => {
    const store = pairStore();
    const s = () => store.getState();
    expect(linkSummary(s(), facts)).toMatchObject({ path: null, at: 42 });
    s().setPeerState('connected');
    s().applyStats(mapStats(CHROMIUM_HOST_PAIR_STATS), 100);
    expect(linkSummary(s(), facts)).toMatchObject({ state: 'connected', path: 'direct-lan', at: 42 });
    expect(linkSummary(s(), { ...facts, closed: true })).toMatchObject({ state: 'closed', path: null });
    s().setPeerState('failed');
    expect(linkSummary(s(), facts)).toMatchObject({ state: 'failed', path: null });
  });

  it('reports the latest RTT, the jitter over the newest samples and the loss of pings', () => {
    const store = pairStore();
    for (const [i, rtt] of [10, 14, 10, 14, 10].entries()) store.getState().addRttSample(i * 1000, rtt);
    expect(linkSummary(store.getState(), { ...facts, pingsSent: 11 })).toMatchObject({ rttMs: 10, jitterMs: 4, lossPct: 50 });
  });

  it('jitter needs two samples, loss five pings due; the newest ping may still be on its way', () => {
    expect(rttJitter([{ rtt: 5 }])).toBeNull();
    expect(rttJitter(Array.from({ length: 40 }, (_, i) => ({ rtt: i < 20 ? 100 * (i % 2) : 1 })))).toBe(0);
    expect(pingLoss(5, 4)).toBeNull();
    expect(pingLoss(6, 5)).toBe(0);
    expect(pingLoss(6, 4)).toBe(20);
    expect(pingLoss(6, 9)).toBe(0);
  });
});

describe('what is worth telling the lobby', () => {
  const a = { state: 'connected', path: 'direct-lan', rttMs: 10, jitterMs: 1, lossPct: 0, at: 1 } as const;
  it('always a new state or path, or a first summary', () => {
    expect(worthBroadcasting(undefined, a)).toBe(true);
    expect(worthBroadcasting(a, { ...a, path: 'relay-udp' })).toBe(true);
    expect(worthBroadcasting(a, { ...a, state: 'failed', path: null })).toBe(true);
  });
  it('figures only when they moved enough to matter', () => {
    expect(worthBroadcasting(a, { ...a, rttMs: 12, jitterMs: 2.5, lossPct: 1 })).toBe(false);
    expect(worthBroadcasting(a, { ...a, rttMs: 14 })).toBe(true);
    expect(worthBroadcasting({ ...a, rttMs: 100 }, { ...a, rttMs: 120 })).toBe(false);
    expect(worthBroadcasting(a, { ...a, jitterMs: 4 })).toBe(true);
    expect(worthBroadcasting(a, { ...a, lossPct: 2 })).toBe(true);
    expect(worthBroadcasting({ ...a, rttMs: null }, a)).toBe(true);
  });
});
