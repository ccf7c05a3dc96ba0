import { describe, expect, it } from 'vitest';
import type { CandidateType, ConnectivityReport, PathKind } from '../../common/report';
import { judgePair, predictionProblems } from './lab-expectations';
import { classicPairs, expectedPath, labHost, labPairs } from './lab-topology';

function report(kind: PathKind, local: CandidateType, remote: CandidateType, opts: { relayProtocol?: string; relayOnly?: boolean; state?: ConnectivityReport['peerState'] } = {}): ConnectivityReport {
  const cand = (type: CandidateType, relayProtocol: string | null) => ({ id: type, type, protocol: 'udp' as const, address: null, port: null, priority: null, relayProtocol, url: null, at: 0 });
  return {
    version: 1, roomId: 'r', createdAt: 0, relayOnly: opts.relayOnly ?? false, peerState: opts.state ?? 'connected',
    path: { kind, label: kind, settled: true, settleMs: 2000 },
    selectedPair: { local: cand(local, local === 'relay' ? (opts.relayProtocol ?? 'udp') : null), remote: cand(remote, null), currentRtt: 1 },
    selectedPairHistory: [], localCandidates: [], remoteCandidates: [], pairs: [],
    rtt: { samples: [], min: null, avg: null, max: null },
    timings: { peerJoined: 0, firstCandidate: 10, connected: 200, pathSettled: 2300 },
    iceServers: [], errors: [],
  };
}

describe('expected paths', () => {
  it('follows the NAT theory of issue 4', () => {
    expect(expectedPath('full-cone', 'symmetric', false)).toBe('direct');
    expect(expectedPath('restricted', 'symmetric', false)).toBe('direct');
    expect(expectedPath('port-restricted', 'port-restricted', false)).toBe('direct');
    expect(expectedPath('port-restricted', 'symmetric', false)).toBe('relay');
    expect(expectedPath('symmetric', 'symmetric', false)).toBe('relay');
    expect(expectedPath('open', 'udp-blocked', false)).toBe('relay-tcp');
    expect(expectedPath('port-restricted', 'port-restricted', true)).toBe('direct-lan');
  });
  it('has every kind pair once plus the same-LAN pair', () => {
    expect(classicPairs()).toHaveLength(22);
    expect(new Set(labPairs().map((p) => p.id)).size).toBe(labPairs().length);
  });
});

describe('judgePair', () => {
  const sym = { a: labHost('symmetric-a'), b: labHost('symmetric-b'), expected: 'relay' as const };
  const blocked = { a: labHost('open-a'), b: labHost('udp-blocked-b'), expected: 'relay-tcp' as const };
  it('accepts a relayed symmetric pair and rejects a direct one', () => {
    expect(judgePair(sym, { a: report('relay-udp', 'relay', 'srflx'), b: report('relay-udp', 'prflx', 'relay') }, false).ok).toBe(true);
    const v = judgePair(sym, { a: report('p2p-nat', 'srflx', 'prflx'), b: report('p2p-nat', 'prflx', 'srflx') }, false);
    expect(v.ok).toBe(false);
    expect(v.observed).toBe('p2p-nat');
  });
  it('wants a local TCP relay on the UDP-blocked side', () => {
    const good = judgePair(blocked, { a: report('relay-udp', 'host', 'relay'), b: report('relay-tcp', 'relay', 'host', { relayProtocol: 'tcp' }) }, false);
    expect(good).toMatchObject({ ok: true, observed: 'relay-udp / relay-tcp', connectMs: 200 });
    const bad = judgePair(blocked, { a: report('relay-udp', 'host', 'relay'), b: report('relay-udp', 'relay', 'host') }, false);
    expect(bad.problems.join()).toMatch(/UDP is blocked/);
  });
  it('fails a side that never connected, and forced relay with a direct pair', () => {
    const pair = { a: labHost('open-a'), b: labHost('open-b'), expected: 'direct' as const };
    expect(judgePair(pair, { a: report('none', 'host', 'host', { state: 'failed' }), b: null }, false).ok).toBe(false);
    expect(judgePair(pair, { a: report('direct-public', 'host', 'host', { relayOnly: true }), b: report('relay-udp', 'relay', 'relay', { relayOnly: true }) }, true).ok).toBe(false);
    expect(judgePair(pair, { a: report('relay-udp', 'relay', 'relay', { relayOnly: true }), b: report('relay-udp', 'relay', 'relay', { relayOnly: true }) }, true).ok).toBe(true);
  });
});

describe('predictionProblems', () => {
  const pair = { a: labHost('restricted-a'), b: labHost('port-restricted-b') };
  const withPrediction = (kind: PathKind, check: 'agree' | 'disagree' | null): ConnectivityReport => ({
    ...report(kind, 'srflx', 'srflx'),
    diagnosis: {
      local: null,
      remote: null,
      prediction: { prediction: { path: 'direct', reason: '' }, predictedLabel: 'direct', actual: check ? kind : null, actualLabel: null, check, note: null },
    },
  });
  it('is empty when both pages agree with their settled path', () => {
    expect(predictionProblems(pair, { a: withPrediction('p2p-nat', 'agree'), b: withPrediction('p2p-nat', 'agree') })).toEqual([]);
  });
  it('names the side that disagrees, has no prediction, or never settled', () => {
    expect(predictionProblems(pair, { a: withPrediction('relay-udp', 'disagree'), b: withPrediction('p2p-nat', 'agree') })).toEqual([
      'restricted-a: predicted direct, settled relay-udp (disagree)',
    ]);
    expect(predictionProblems(pair, { a: report('p2p-nat', 'srflx', 'srflx'), b: withPrediction('p2p-nat', null) })).toEqual([
      'restricted-a: no prediction in the report (local verdict missing, peer\'s missing)',
      'port-restricted-b: predicted direct, settled nothing (not settled)',
    ]);
  });
});
