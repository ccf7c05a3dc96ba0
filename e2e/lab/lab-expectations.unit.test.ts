import { describe, expect, it } from 'vitest';
import type { CandidateType, ConnectivityReport } from '../../common/report';
import type { PathKind } from '../../common/path-kind';
import type { DiagnosisResult } from '../../common/nat/diagnosis-result';
import { FIREFOX_TURNS_IP } from '../../web/diagnosis/ice-error-advice';
import { firefoxIpLiteralProblems, ipv6PageProblems, judgePair, pageVerdictProblems, predictionProblems } from './lab-expectations';
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

describe('judgePair, issue 17', () => {
  const withAddresses = (r: ConnectivityReport, local: string, remote: string): ConnectivityReport => ({
    ...r,
    selectedPair: { ...r.selectedPair!, local: { ...r.selectedPair!.local, address: local }, remote: { ...r.selectedPair!.remote, address: remote } },
  });
  it('wants a local TLS relay behind the TCP-443-only firewall', () => {
    const pair = { a: labHost('tcp443'), b: labHost('open-b'), expected: 'relay-tls' as const };
    const open = report('relay-tls', 'host', 'relay');
    expect(judgePair(pair, { a: report('relay-tls', 'relay', 'host', { relayProtocol: 'tls' }), b: open }, false).ok).toBe(true);
    const tcp = judgePair(pair, { a: report('relay-tcp', 'relay', 'host', { relayProtocol: 'tcp' }), b: open }, false);
    expect(tcp.problems.join()).toMatch(/only TCP to port 443 gets out/);
  });
  it('wants host to host over IPv6 for the dual-stack pair', () => {
    const pair = { a: labHost('dualstack-a'), b: labHost('dualstack-b'), expected: 'direct-ipv6' as const };
    const v6 = withAddresses(report('direct-public', 'host', 'host'), '2001:db8:17::2', '2001:db8:18::2');
    expect(judgePair(pair, { a: v6, b: v6 }, false).ok).toBe(true);
    const v4 = withAddresses(report('p2p-nat', 'srflx', 'prflx'), '198.51.100.27', '198.51.100.28');
    expect(judgePair(pair, { a: v4, b: v6 }, false).problems.join()).toMatch(/expected direct-public over IPv6/);
  });
});

describe('pageVerdictProblems', () => {
  const result = (over: { label?: string; kind?: string; reach?: Partial<DiagnosisResult['reachability']>; hairpin?: string; ipv6?: string }): DiagnosisResult =>
    ({
      reachability: { udp: 'answered', udpMs: 10, tcpRelay: 'ok', tlsRelay: 'ok', ipv6: 'none', tcpRelayPort: 3478, tlsRelayPort: 443, reasons: { udp: null, tcpRelay: null, tlsRelay: null, ipv6: null }, ...over.reach },
      hairpin: { result: over.hairpin ?? 'fails', evidence: '', ms: null },
      verdict: { label: over.label, mapping: { behavior: 'EIM' }, filtering: { behavior: 'APDF' }, ipv6: { state: over.ipv6 ?? 'none', label: '' } },
    }) as unknown as DiagnosisResult;
  const pr = { udp: 'ok', mapping: 'EIM', filtering: 'APDF' } as const;
  const blocked = { udp: 'blocked' } as const;
  const tlsOnly = { udp: 'no-answer', tcpRelay: 'failed', reasons: { udp: 'no UDP', tcpRelay: 'no relay within 4 s', tlsRelay: null, ipv6: null } } as const;
  it('behind the TCP-443-only firewall: "UDP blocked (TLS relay only)", never "No connectivity" while TLS works', () => {
    const host = labHost('tcp443');
    const good = result({ label: 'UDP blocked (TLS relay only)', reach: tlsOnly });
    expect(pageVerdictProblems({ host, browser: 'chromium', discovery: blocked, label: 'UDP blocked (TLS relay only)', result: good }).problems).toEqual([]);
    const wrong = pageVerdictProblems({ host, browser: 'chromium', discovery: blocked, label: 'No connectivity to the server', result: good }).problems;
    expect(wrong.join()).toMatch(/expected "UDP blocked \(TLS relay only\)"/);
  });
  it('in Firefox too (ICE_HOST is a DNS name): TURN over TLS must work there, and the verdict say so', () => {
    const host = labHost('tcp443');
    const good = result({ label: 'UDP blocked (TLS relay only)', reach: tlsOnly });
    expect(pageVerdictProblems({ host, browser: 'firefox', discovery: blocked, label: 'UDP blocked (TLS relay only)', result: good }).problems).toEqual([]);
    const failed = result({ reach: { ...tlsOnly, tlsRelay: 'failed', reasons: { ...tlsOnly.reasons, tlsRelay: FIREFOX_TURNS_IP } } });
    const wrong = pageVerdictProblems({ host, browser: 'firefox', discovery: blocked, label: 'No connectivity to the server', result: failed }).problems.join();
    expect(wrong).toMatch(/TURN over TLS on 443 "failed"/);
    expect(wrong).toMatch(/expected "UDP blocked \(TLS relay only\)"/);
  });
  it('Firefox with a turns: URL naming an IP address: the TLS row must fail and say why', () => {
    const host = labHost('tcp443');
    const failed = (reason: string) => result({ reach: { ...tlsOnly, tlsRelay: 'failed', reasons: { ...tlsOnly.reasons, tlsRelay: reason } } });
    expect(firefoxIpLiteralProblems(host, failed(FIREFOX_TURNS_IP))).toEqual([]);
    expect(firefoxIpLiteralProblems(host, failed('no relay within 4 s')).join()).toMatch(/does not explain Firefox/);
    expect(firefoxIpLiteralProblems(host, result({ reach: tlsOnly })).join()).toMatch(/TLS relay "ok"/);
  });
  it('a dual-stack host on the IPv6-only page: "IPv6: public, firewalled" and no NAT, as natdiscovery over IPv6 says', () => {
    const host = labHost('dualstack-a');
    const nd6 = { udp: 'ok', mapping: 'no-nat', filtering: 'APDF' } as const;
    const label = 'No NAT (public address)';
    expect(ipv6PageProblems(host, 'chromium', nd6, label, result({ label, ipv6: 'firewalled' }))).toEqual([]);
    expect(ipv6PageProblems(host, 'chromium', nd6, label, result({ label, ipv6: 'public' })).join()).toMatch(/so "IPv6: public, firewalled"/);
    expect(ipv6PageProblems(host, 'firefox', { ...nd6, filtering: 'EIF' }, label, result({ label, ipv6: 'firewalled' })).join()).toMatch(/so "IPv6: public, open"/);
    expect(ipv6PageProblems(host, 'chromium', nd6, 'Symmetric NAT', result({ label, ipv6: 'firewalled' })).join()).toMatch(/natdiscovery over IPv6 "No NAT/);
  });
  it('a failed row without a reason is a problem', () => {
    const r = result({ label: 'Port-restricted cone NAT', reach: { tlsRelay: 'failed' } });
    expect(pageVerdictProblems({ host: labHost('port-restricted-a'), browser: 'chromium', discovery: pr, label: 'Port-restricted cone NAT', result: r }).problems).toEqual([
      'port-restricted-a (chromium): reachability tlsRelay "failed" without a reason',
    ]);
  });
  it('hairpinning: works only behind the hairpin router; IPv6 public only on the dual-stack hosts', () => {
    const check = (name: string, hairpin: string, ipv6 = 'none') =>
      pageVerdictProblems({ host: labHost(name), browser: 'chromium', discovery: pr, label: 'Port-restricted cone NAT', result: result({ label: 'Port-restricted cone NAT', hairpin, ipv6 }) });
    expect(check('hairpin-a', 'works').problems).toEqual([]);
    expect(check('hairpin-a', 'fails').problems.join()).toMatch(/expected works/);
    expect(check('nohairpin-a', 'fails').problems).toEqual([]);
    expect(check('port-restricted-a', 'works').problems.join()).toMatch(/expected fails/);
    expect(check('port-restricted-a', 'fails', 'public').problems.join()).toMatch(/IPv6 is off/);
  });
});
