import { describe, expect, it } from 'vitest';
import type { ReportCandidate, ReportPair } from '../../common/report';
import { initialSelection, isProvisional, trackSelection, type SelectionState } from './selection-tracker';
import type { StatsSnapshot } from './stats-mapping';
import { readStatsModel } from './stats-model';

const model = (snapshot: StatsSnapshot, gatheredLocal: ReportCandidate[], receivedRemote: ReportCandidate[], peerLocal: object | null = null) =>
  readStatsModel({ snapshot, gatheredLocal, receivedRemote, remoteInfo: peerLocal ? { selectedPair: { local: { ...peerLocal, protocol: 'udp' }, relayOnly: false } } : {} });

const cand = (id: string, type: ReportCandidate['type'], address: string, port: number, relayProtocol: string | null = null): ReportCandidate => ({
  id, type, protocol: 'udp', address, port, priority: null, relayProtocol, url: null, at: 0,
});
const pair = (id: string, localId: string, remoteId: string): ReportPair => ({
  id, localId, remoteId, state: 'succeeded', nominated: true, requestsSent: 1, responsesReceived: 1, currentRtt: 1, bytesSent: 0, bytesReceived: 0,
});
const local = [cand('lh', 'host', '10.0.0.2', 5000), cand('lr', 'relay', '10.0.0.1', 49000, 'udp')];
const remote = [cand('rh', 'host', '10.0.0.3', 6000)];
const pairs = [pair('relayPair', 'lr', 'rh'), pair('hostPair', 'lh', 'rh')];
const snap = (selectedPairId: string | null): StatsSnapshot => ({ localCandidates: [], remoteCandidates: [], pairs, selectedPairId, iceState: null, dtlsState: null });

function run(steps: [number, string | null][]): SelectionState {
  let s = initialSelection();
  for (const [at, id] of steps) s = trackSelection(s, { model: model(snap(id), local, remote), at });
  return s;
}

describe('trackSelection', () => {
  it('records the relay-first then direct switch with times; a relay pair settles only after it held', () => {
    const s = run([[100, null], [300, 'relayPair'], [800, 'hostPair'], [3000, 'hostPair']]);
    expect(s.history.map((h) => [h.at, h.path, h.localType])).toEqual([
      [300, 'relay-udp', 'relay'],
      [800, 'direct-lan', 'host'],
    ]);
    expect(run([[300, 'relayPair'], [3200, 'relayPair']]).settled).toBe(false);
    expect(run([[300, 'relayPair'], [3300, 'relayPair']]).settled).toBe(true);
  });

  it('a host-to-host pair is settled as soon as it is selected and nominated: ICE has nothing better to move to', () => {
    expect(run([[300, 'relayPair'], [800, 'hostPair']]).settled).toBe(true);
    expect(run([[0, 'hostPair']]).settled).toBe(true);
    // Selected by the controlling side, its nomination not yet answered: the 3 s rule until it is.
    const unnominated = pairs.map((p) => (p.id === 'hostPair' ? { ...p, nominated: false } : p));
    const step = (s: SelectionState, at: number, ps: ReportPair[]) =>
      trackSelection(s, { model: model({ ...snap('hostPair'), pairs: ps }, local, remote), at });
    let s = step(initialSelection(), 0, unnominated);
    expect(s.settled).toBe(false);
    s = step(s, 250, pairs);
    expect(s.settled).toBe(true);
  });

  it('a switch resets the settle clock', () => {
    const s = run([[0, 'hostPair'], [2900, 'hostPair'], [2950, 'relayPair'], [5000, 'relayPair']]);
    expect(s.settled).toBe(false);
    expect(s.history).toHaveLength(2);
    expect(s.history[1]).toMatchObject({ local: '10.0.0.1:49000', remote: '10.0.0.3:6000', path: 'relay-udp' });
  });

  it('stays settled when it switches to another pair of the same kind, and unsettles when the kind changes', () => {
    // The peer's second relay candidate (its TCP allocation, say): still "relayed via TURN (UDP)" from this side.
    const remote2 = [...remote, cand('rr1', 'relay', '10.0.0.1', 50001, 'udp'), cand('rr2', 'relay', '10.0.0.1', 50002, 'tcp')];
    const pairs2 = [...pairs, pair('relay1', 'lr', 'rr1'), pair('relay2', 'lr', 'rr2')];
    let st = initialSelection();
    const step = (at: number, id: string) =>
      (st = trackSelection(st, { model: model({ ...snap(id), pairs: pairs2 }, local, remote2), at }));
    step(0, 'relay1');
    step(3100, 'relay1');
    expect(st.settled).toBe(true);
    step(11_600, 'relay2');
    expect(st.history.map((h) => h.path)).toEqual(['relay-udp', 'relay-udp']);
    expect(st.settled).toBe(true);
    step(12_000, 'relay2');
    expect(st.settled).toBe(true);
    step(12_500, 'relay1');
    expect(st.settled).toBe(true); // back to a relay pair: still the same kind
    step(12_600, 'hostPair');
    expect(st.settled).toBe(true); // another kind, but host to host: settled at once
    step(13_000, 'relay1');
    expect(st.settled).toBe(false); // the kind changed (direct to relay): wait again
    step(16_100, 'relay1');
    expect(st.settled).toBe(true);
  });

  it("corrects the current entry's path when the peer's own view arrives, keeping its time", () => {
    let s = trackSelection(initialSelection(), { model: model(snap('hostPair'), local, remote), at: 500 });
    expect(s.history[0]?.path).toBe('direct-lan');
    const peerLocal = { type: 'relay' as const, address: '10.0.0.3', port: 6000, relayProtocol: 'tcp' };
    s = trackSelection(s, { model: model(snap('hostPair'), local, remote, peerLocal), at: 900 });
    expect(s.history).toEqual([expect.objectContaining({ at: 500, path: 'relay-tcp' })]);
  });

  it('losing the selection clears the settled flag but keeps the history', () => {
    const s = run([[0, 'hostPair'], [4000, 'hostPair'], [4500, null]]);
    expect(s).toMatchObject({ selectedPairId: null, settled: false });
    expect(s.history).toHaveLength(1);
  });

  // As captured in a real room (two Chromium pages in one e2e namespace): the first selected pair had a
  // peer-reflexive remote with its address hidden, and 384 ms later the same 5-tuple came back as host↔host
  // under a new pair id. The history used to read "p2p-nat, then switched to direct (same network)".
  describe('a peer-reflexive remote revealed as the peer host candidate', () => {
    const ours = cand('Ij8NQ9Oh/', 'host', '10.200.238.1', 36662);
    const prflx = { ...cand('Iprflx', 'prflx', '10.200.238.1', 57317), address: null };
    const host = cand('IT8DZmmIC', 'host', '10.200.238.1', 57317);
    const relay = cand('Irelay', 'relay', '10.200.238.1', 61623, 'udp');
    const revealPairs = [pair('CPa', ours.id, prflx.id), pair('CPb', ours.id, host.id), pair('CPc', ours.id, relay.id)];
    const step = (prev: SelectionState, selectedPairId: string, at: number) =>
      trackSelection(prev, {
        model: model({ localCandidates: [], remoteCandidates: [], pairs: revealPairs, selectedPairId, iceState: null, dtlsState: null }, [ours], [prflx, host, relay]),
        at,
      });

    it('corrects the first entry in place instead of recording a switch that never happened', () => {
      let s = step(initialSelection(), 'CPa', 650);
      expect(s.history).toEqual([expect.objectContaining({ at: 650, remoteType: 'prflx', remote: '?:57317', path: 'p2p-nat' })]);
      expect(isProvisional(s.history[0]!)).toBe(true);
      s = step(s, 'CPb', 1034);
      expect(s.history).toEqual([{ at: 650, localType: 'host', remoteType: 'host', local: '10.200.238.1:36662', remote: '10.200.238.1:57317', path: 'direct-lan' }]);
      expect(isProvisional(s.history[0]!)).toBe(false);
      expect(s.selectedPairId).toBe('CPb');
      // Same path all along: the settle clock runs from the first selection.
      expect(step(s, 'CPb', 3650).settled).toBe(true);
    });

    it('still records a real switch away from a peer-reflexive remote', () => {
      const s = step(step(initialSelection(), 'CPa', 650), 'CPc', 1034);
      expect(s.history.map((h) => [h.at, h.path])).toEqual([[650, 'p2p-nat'], [1034, 'relay-udp']]);
    });
  });
});
