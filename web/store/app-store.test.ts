import { beforeEach, describe, expect, it } from 'vitest';
import { appStore } from './app-store';
import { CHROMIUM_HOST_PAIR_STATS } from '../stats/stats-fixtures';
import { mapStats } from '../stats/stats-mapping';
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

  it('a new test (the next peer) starts clean but keeps the room, its policy and the ICE servers', () => {
    const s = appStore.getState();
    s.openRoom('room1', true, 1000);
    s.setIceServers([{ urls: ['turn:127.0.0.1:3478'] }]);
    s.beginTest(2000);
    s.addLocalCandidate({ id: 'l1', type: 'relay', protocol: 'udp', address: '10.0.0.2', port: 1, priority: 1, relayProtocol: 'udp', url: null, at: 5 });
    s.addRemoteCandidate({ id: 'r1', type: 'host', protocol: 'udp', address: '10.0.0.3', port: 2, priority: 1, relayProtocol: null, url: null, at: 6 });
    s.addRttSample(2100, 4);
    s.markTiming('connected', 120);
    s.addError({ at: 7, source: 'ice', code: null, message: 'x' });
    s.mergeRemoteInfo({ nat: { type: 'symmetric' } });
    s.applyStats(mapStats(CHROMIUM_HOST_PAIR_STATS), 2200);
    s.setGatheringComplete();

    s.beginTest(9000);
    const { peer, rtt, stats } = appStore.getState();
    expect(peer).toMatchObject({ roomId: 'room1', relayOnly: true, createdAt: 1000, startedAt: 9000, testNumber: 2, peerState: 'connecting' });
    expect(peer.iceServers).toEqual([{ urls: ['turn:127.0.0.1:3478'] }]);
    expect(peer.timings).toEqual({ peerJoined: 0, firstCandidate: null, connected: null, pathSettled: null });
    expect([peer.gatheredLocal, peer.receivedRemote, peer.errors, peer.remoteInfo, peer.gatheringComplete]).toEqual([[], [], [], {}, false]);
    expect([rtt.count, rtt.samples.length, stats.polls, stats.snapshot]).toEqual([0, 0, 0, null]);
  });

  it('merges peer-info payloads by key', () => {
    appStore.getState().mergeRemoteInfo({ selectedPair: { local: { type: 'host' } } });
    appStore.getState().mergeRemoteInfo({ nat: { type: 'symmetric' } });
    expect(Object.keys(appStore.getState().peer.remoteInfo).sort()).toEqual(['nat', 'selectedPair']);
  });
});
