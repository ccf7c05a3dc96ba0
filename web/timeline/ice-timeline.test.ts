import { describe, expect, it } from 'vitest';
import type { IceEvent } from '../../common/ice-events';
import { sampleReport } from '../../common/testdata/sample-report';
import { buildIceTimeline } from './ice-timeline';
import { OFFERER_WITHOUT_RELAY } from '../report/relay-coverage-fixtures';
import { missingRelayText } from '../report/relay-coverage';

const events: IceEvent[] = [
  { at: 20, kind: 'pair', pairId: 'CP2', local: 'relay 203.0.113.5:49160', remote: 'host 10.200.11.1:50001', state: 'in-progress', from: null },
  { at: 45, kind: 'pair', pairId: 'CP1', local: 'host 10.200.11.1:50000', remote: 'host 10.200.11.1:50001', state: 'waiting', from: null },
  { at: 80, kind: 'pair', pairId: 'CP2', local: 'relay 203.0.113.5:49160', remote: 'host 10.200.11.1:50001', state: 'succeeded', from: 'in-progress' },
  { at: 85, kind: 'ice', state: 'connected' },
  { at: 90, kind: 'dtls', state: 'connected' },
  { at: 92, kind: 'channel-open', label: 'p2pcheck' },
  { at: 120, kind: 'pair', pairId: 'CP1', local: 'host 10.200.11.1:50000', remote: 'host 10.200.11.1:50001', state: 'succeeded', from: 'waiting' },
  { at: 130, kind: 'pair', pairId: 'CP3', local: 'srflx 198.51.100.1:1', remote: 'host 10.200.11.1:50001', state: 'failed', from: null },
];

describe('ICE timeline', () => {
  it('lays out milestones, candidates per type, server errors, pair checks and path switches on one axis', () => {
    const tl = buildIceTimeline({ ...sampleReport(), iceEvents: events });
    expect(tl.pairTimes).toBe(true);
    expect(tl.endAt).toBe(3140);
    const byId = new Map(tl.rows.map((r) => [r.id, r]));
    expect(byId.get('milestones')!.marks.map((m) => [m.at, m.label])).toEqual([
      [0, 'peer joined'], [12, 'first candidate'], [85, 'ICE connected'], [90, 'DTLS connected'], [92, 'data channel open'], [3140, 'path settled'],
    ]);
    expect(byId.get('local-host')!.marks).toEqual([{ at: 12, label: 'udp 10.200.11.1:50000', tone: 'neutral' }]);
    expect(byId.get('local-relay')!.marks[0]!.label).toBe('udp 203.0.113.5:49160 via udp');
    expect(byId.has('local-srflx')).toBe(false);
    expect(byId.get('servers')!.marks[0]).toMatchObject({ at: 30, tone: 'fail' });
    // Nominated pair first, then succeeded, then failed.
    const pairs = tl.rows.filter((r) => r.group === 'pairs');
    expect(pairs.map((r) => r.id)).toEqual(['pair-CP1', 'pair-CP2', 'pair-CP3']);
    expect(pairs[0]!.spans).toEqual([
      { from: 45, to: 120, label: 'waiting', tone: 'neutral' },
      { from: 120, to: null, label: 'succeeded', tone: 'ok' },
    ]);
    expect(pairs[2]!.spans[0]!.tone).toBe('fail');
    const path = byId.get('path')!;
    expect(path.spans.map((s) => [s.from, s.to, s.tone])).toEqual([[90, 140, 'relay'], [140, null, 'direct']]);
    expect(path.marks).toEqual([{ at: 140, label: 'switched to direct (same network)', tone: 'direct' }]);
    expect(tl.story).toContain('At 140 ms the browser switched to direct (same network) (10.200.11.1:50000 ↔ 10.200.11.1:50001).');
    expect(tl.story.some((s) => /3 candidate pairs checked: 2 succeeded, 1 failed/.test(s))).toBe(true);
  });

  it('shows a saved report without recorded events with final pair states only', () => {
    const tl = buildIceTimeline(sampleReport());
    expect(tl.pairTimes).toBe(false);
    const pairs = tl.rows.filter((r) => r.group === 'pairs');
    expect(pairs).toHaveLength(2);
    expect(pairs[0]!.marks[0]).toMatchObject({ label: 'succeeded', tone: 'ok' });
    expect(tl.rows.find((r) => r.id === 'milestones')!.marks.map((m) => m.label)).toContain('connected');
  });

  it('copes with an empty report', () => {
    const r = sampleReport();
    const tl = buildIceTimeline({ ...r, localCandidates: [], remoteCandidates: [], pairs: [], selectedPairHistory: [], errors: [], timings: { peerJoined: 0, firstCandidate: null, connected: null, pathSettled: null } });
    expect(tl.endAt).toBe(1);
    expect(tl.rows.map((r) => r.id)).toEqual(['milestones']);
  });

  it('says why this side has no relay candidate instead of blaming the TURN server (real capture)', () => {
    const report = { ...sampleReport(), ...OFFERER_WITHOUT_RELAY };
    const tl = buildIceTimeline(report, { relayMissing: missingRelayText(report) });
    expect(tl.story).toContain(
      'No relay candidate: Chromium stopped gathering when the first candidate pair connected (594 ms; gathering ended at 667 ms), before the TURN allocation answered. No TURN error was reported; the relay was simply not needed for this connection.',
    );
    expect(tl.story.join(' ')).not.toContain('did not give an allocation');
  });
});
