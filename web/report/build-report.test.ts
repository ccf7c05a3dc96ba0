import { beforeEach, describe, expect, it } from 'vitest';
import type { ReportCandidate } from '../../common/report';
import { PATH_LABELS } from '../../common/path-kind';
import { createAppStore, type AppStore } from '../store/app-store';
import { mapStats } from '../stats/stats-mapping';
import { CHROMIUM_HOST_PAIR_STATS } from '../stats/stats-fixtures';
import { buildReport, sortPairs } from './build-report';

const T0 = 1_764_106_000_000;
const ROOM = 'AAAAAAAAAAAAAAAAAAAAAA';
let store: AppStore;

beforeEach(() => {
  // A fresh store per case: no state leaks between tests.
  store = createAppStore();
});

const hostCandidate = (port: number, at: number): ReportCandidate => ({
  id: `ev-${port}`, type: 'host', protocol: 'udp', address: '10.200.0.2', port, priority: 2122260223, relayProtocol: null, url: null, at,
});

describe('buildReport', () => {
  it('is valid, complete JSON while waiting for the other peer', () => {
    store.getState().openRoom(ROOM, true, T0);
    const report = JSON.parse(JSON.stringify(buildReport(store.getState())));
    expect(report).toMatchObject({
      version: 1, roomId: ROOM, createdAt: T0, startedAt: null, relayOnly: true, peerState: 'waiting',
      path: { kind: 'none', label: PATH_LABELS.none, settled: false, settleMs: 3000 },
      selectedPair: null, selectedPairHistory: [], localCandidates: [], remoteCandidates: [], pairs: [],
      rtt: { samples: [], min: null, avg: null, max: null },
      timings: { peerJoined: null, firstCandidate: null, connected: null, pathSettled: null },
      errors: [],
    });
  });

  it('reports the selected host pair, settled as soon as selected (host to host), with timings and RTT', () => {
    const s = store.getState();
    s.openRoom(ROOM, false, T0);
    s.setIceServers([{ urls: ['stun:10.200.0.1:3478'] }]);
    s.beginTest(T0 + 5000);
    s.addLocalCandidate(hostCandidate(53761, 14));
    s.markTiming('firstCandidate', 14);
    s.addRemoteCandidate({ ...hostCandidate(41337, 30), id: 'rx-1' });
    s.setPeerState('connected');
    s.markTiming('connected', 180);
    const snapshot = mapStats(CHROMIUM_HOST_PAIR_STATS);
    s.applyStats(snapshot, 200);
    expect(buildReport(store.getState()).path.settled).toBe(true);
    s.applyStats(snapshot, 3300);
    for (const [at, rtt] of [[700, 0.8], [1200, 1.4], [1700, 0.6]] as const) s.addRttSample(at, rtt);

    const r = buildReport(store.getState());
    expect(r.startedAt).toBe(T0 + 5000);
    expect(r.path).toEqual({ kind: 'direct-lan', label: 'direct (same network)', settled: true, settleMs: 3000, asymmetry: null });
    expect(r.selectedPair?.local).toMatchObject({ id: 'IjJ0ZXlAt', type: 'host', at: 14 });
    expect(r.selectedPair?.remote).toMatchObject({ id: 'Iu4+1yYl1', port: 41337, at: 30 });
    expect(r.selectedPair?.currentRtt).toBe(1);
    expect(r.selectedPairHistory).toEqual([{ at: 200, localType: 'host', remoteType: 'host', local: '10.200.0.2:53761', remote: '10.200.0.2:41337', path: 'direct-lan' }]);
    expect(r.timings).toEqual({ peerJoined: 0, firstCandidate: 14, connected: 180, pathSettled: 200 });
    expect(r.pairs[0]?.id).toBe('CPjJ0ZXlAt_u4+1yYl1');
    expect(r.remoteCandidates.map((c) => c.type)).toEqual(['host', 'relay']);
    expect(r.rtt).toMatchObject({ min: 0.6, avg: 0.93, max: 1.4 });
    expect(r.iceServers).toEqual([{ urls: ['stun:10.200.0.1:3478'] }]);
  });

  it('keeps the last path and history when the peer leaves, and a new peer starts a clean test', () => {
    const s = store.getState();
    s.openRoom(ROOM, false, T0);
    s.beginTest(T0 + 100);
    s.addLocalCandidate(hostCandidate(53761, 14));
    s.applyStats(mapStats(CHROMIUM_HOST_PAIR_STATS), 250);
    s.addError({ at: 40, source: 'ice', code: 701, message: 'stun:10.200.0.1:3478: timed out' });
    s.setPeerState('peer-left');
    const left = buildReport(store.getState());
    expect(left.peerState).toBe('peer-left');
    expect(left.path.kind).toBe('direct-lan');
    expect(left.selectedPairHistory).toHaveLength(1);
    expect(left.errors).toHaveLength(1);

    s.beginTest(T0 + 60_000);
    const fresh = buildReport(store.getState());
    expect(fresh).toMatchObject({ peerState: 'connecting', selectedPairHistory: [], localCandidates: [], errors: [], startedAt: T0 + 60_000 });
    expect(fresh.path.kind).toBe('none');
  });
});

describe('sortPairs', () => {
  it('puts the selected pair first, then nominated, then by check progress', () => {
    const base = { localId: 'l', remoteId: 'r', requestsSent: 0, responsesReceived: 0, currentRtt: null, bytesSent: 0, bytesReceived: 0 };
    const pairs = [
      { ...base, id: 'a', state: 'failed', nominated: false },
      { ...base, id: 'b', state: 'in-progress', nominated: false },
      { ...base, id: 'c', state: 'succeeded', nominated: true },
      { ...base, id: 'd', state: 'succeeded', nominated: false },
    ];
    expect(sortPairs(pairs, 'd').map((p) => p.id)).toEqual(['d', 'c', 'b', 'a']);
  });
});
