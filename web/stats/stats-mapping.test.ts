import { describe, expect, it } from 'vitest';
import type { ReportCandidate } from '../../common/report';
import { CHROMIUM_HOST_PAIR_STATS, CHROMIUM_RELAY_LOCAL_CANDIDATE } from './stats-fixtures';
import { mapStats, mergeCandidates } from './stats-mapping';

describe('mapStats', () => {
  it("reads Chromium's candidates, pairs and the transport's selected pair", () => {
    const s = mapStats(CHROMIUM_HOST_PAIR_STATS);
    expect(s.selectedPairId).toBe('CPjJ0ZXlAt_u4+1yYl1');
    expect(s.iceState).toBe('connected');
    expect(s.dtlsState).toBe('connected');
    expect(s.localCandidates).toEqual([
      { id: 'IjJ0ZXlAt', type: 'host', protocol: 'udp', address: '10.200.0.2', port: 53761, priority: 2122260223, relayProtocol: null, url: null, at: null },
    ]);
    expect(s.remoteCandidates.map((c) => [c.id, c.type])).toEqual([
      ['Iu4+1yYl1', 'host'],
      ['IRLY9Ds2a', 'relay'],
    ]);
    const selected = s.pairs.find((p) => p.id === s.selectedPairId);
    expect(selected).toEqual({
      id: 'CPjJ0ZXlAt_u4+1yYl1',
      localId: 'IjJ0ZXlAt',
      remoteId: 'Iu4+1yYl1',
      state: 'succeeded',
      nominated: true,
      requestsSent: 3,
      responsesReceived: 3,
      currentRtt: 1,
      bytesSent: 1134,
      bytesReceived: 1028,
    });
    const checking = s.pairs.find((p) => p.id !== s.selectedPairId);
    expect(checking).toMatchObject({ state: 'in-progress', nominated: false, currentRtt: null, requestsSent: 1, responsesReceived: 0 });
  });

  it("turns Chromium's hidden prflx address (\"\") into null", () => {
    const s = mapStats([{ id: 'Ip', type: 'remote-candidate', candidateType: 'prflx', protocol: 'udp', address: '', ip: '', port: 49437, priority: 1853824767 }]);
    expect(s.remoteCandidates[0]).toMatchObject({ type: 'prflx', address: null, port: 49437 });
  });

  it('keeps relayProtocol and the TURN URL of a relay candidate', () => {
    const s = mapStats([CHROMIUM_RELAY_LOCAL_CANDIDATE]);
    expect(s.localCandidates[0]).toMatchObject({ type: 'relay', relayProtocol: 'udp', url: 'turn:10.200.0.1:3478?transport=udp' });
  });

  it('falls back to the nominated succeeded pair without a transport selection', () => {
    const withoutTransport = CHROMIUM_HOST_PAIR_STATS.filter((s) => s.type !== 'transport');
    expect(mapStats(withoutTransport).selectedPairId).toBe('CPjJ0ZXlAt_u4+1yYl1');
  });

  it("honours Firefox's selected flag and spelled-out candidate types", () => {
    const s = mapStats([
      { id: 'p1', type: 'candidate-pair', localCandidateId: 'l', remoteCandidateId: 'r', state: 'succeeded', nominated: true, selected: false },
      { id: 'p2', type: 'candidate-pair', localCandidateId: 'l', remoteCandidateId: 'r2', state: 'succeeded', nominated: true, selected: true },
      { id: 'r2', type: 'remote-candidate', candidateType: 'serverreflexive', protocol: 'udp', address: '203.0.113.4', port: 1000 },
    ]);
    expect(s.selectedPairId).toBe('p2');
    expect(s.remoteCandidates[0]?.type).toBe('srflx');
  });

  it('has no selection before any pair succeeded, and ignores malformed entries', () => {
    const s = mapStats([null, 7, { type: 'candidate-pair', id: 'x' }, { type: 'local-candidate', id: 'c', candidateType: 'bogus', protocol: 'udp' }]);
    expect(s).toMatchObject({ selectedPairId: null, pairs: [], localCandidates: [] });
  });
});

describe('mergeCandidates', () => {
  const gathered: ReportCandidate = { id: 'ev-1', type: 'host', protocol: 'udp', address: '10.200.0.2', port: 53761, priority: 2122260223, relayProtocol: null, url: null, at: 12 };

  it('gives event rows the stats id so pairs can point at them, keeping their time', () => {
    const merged = mergeCandidates([gathered], mapStats(CHROMIUM_HOST_PAIR_STATS).localCandidates);
    expect(merged).toEqual([{ ...gathered, id: 'IjJ0ZXlAt' }]);
  });

  it('adds candidates only stats know (peer-reflexive) after the signaled ones', () => {
    const prflx: ReportCandidate = { ...gathered, id: 'Ipr', type: 'prflx', port: 6000, at: null };
    expect(mergeCandidates([gathered], [prflx]).map((c) => c.id)).toEqual(['ev-1', 'Ipr']);
  });
});
