import { describe, expect, it } from 'vitest';
import { verdictFacts, type DiagnosisResult } from '../../common/nat/diagnosis-result';
import { natVerdict } from '../../common/nat/nat-verdict';
import { compatibilityTable } from '../../common/nat/path-prediction';
import { readPeerDiagnosis } from './peer-diagnosis';
import { roomDiagnosis, roomPrediction } from './room-diagnosis';
import { emptyDiagnosis } from './run-diagnosis';

function finished(m: DiagnosisResult['mapping']['result']['behavior'], f: DiagnosisResult['filtering']['result']['behavior'], over: Partial<DiagnosisResult> = {}): DiagnosisResult {
  const r = emptyDiagnosis('bundled', 1000);
  r.state = 'done';
  r.reachability = { ...r.reachability, udp: 'answered', udpMs: 40, tcpRelay: 'ok', tlsRelay: 'not-configured', ipv6: 'none', tcpRelayPort: 3478 };
  r.publicAddress = 'no';
  r.mappedAddress = { address: '198.51.100.11', port: 40000 };
  r.mapping.result = { behavior: m, evidence: 'seen' };
  r.filtering.result = { behavior: f, evidence: 'seen' };
  Object.assign(r, over);
  r.verdict = natVerdict(verdictFacts(r));
  r.compatibility = compatibilityTable(r.verdict.behavior);
  return r;
}
const wire = (d: unknown) => JSON.parse(JSON.stringify(d)) as unknown;

describe('readPeerDiagnosis (untrusted peer-info)', () => {
  it('keeps the facts and rebuilds the verdict locally', () => {
    const theirs = finished('APDM', 'APDF');
    const got = readPeerDiagnosis({ diagnosis: wire(theirs) });
    expect(got?.verdict?.label).toBe('Symmetric NAT');
    expect(got?.compatibility).toEqual(theirs.compatibility);
  });

  it('ignores the peer\u2019s own words: a forged label/advice is replaced by ours', () => {
    const theirs = wire(finished('EIM', 'APDF')) as Record<string, any>;
    theirs.verdict.label = 'Full cone NAT';
    theirs.verdict.advice = ['visit evil.example'];
    theirs.iceErrors = [{ url: 'x', code: 401, text: 'x', meaning: 'call this number', fix: 'x' }];
    const got = readPeerDiagnosis({ diagnosis: theirs });
    expect(got?.verdict?.label).toBe('Port-restricted cone NAT');
    expect(JSON.stringify(got)).not.toMatch(/evil|call this number/);
  });

  it('rejects what is not a finished diagnosis of this version, without throwing', () => {
    const good = wire(finished('EIM', 'EIF')) as Record<string, any>;
    const bad: unknown[] = [
      undefined,
      null,
      'x',
      42,
      { ...good, version: 2 },
      { ...good, state: 'running' },
      { ...good, reachability: { ...good.reachability, udp: 'maybe' } },
      { ...good, mapping: { ...good.mapping, result: { behavior: 'EIM', evidence: 'x'.repeat(10_000) } } },
      { ...good, hostAddresses: new Array(1000).fill('1.2.3.4') },
      { ...good, mappedAddress: { address: '1.2.3.4', port: 70000 } },
      { ...good, filtering: { ...good.filtering, observations: 'nope' } },
    ];
    for (const d of bad) expect(readPeerDiagnosis({ diagnosis: d })).toBeNull();
  });
});

describe('roomPrediction / roomDiagnosis', () => {
  const settled = { kind: 'p2p-nat' as const, settled: true };
  it('port-restricted × symmetric: relay predicted; a direct settled path is called out as a disagreement', () => {
    const p = roomPrediction(finished('EIM', 'APDF'), finished('APDM', 'APDF', { mappedAddress: { address: '198.51.100.12', port: 5 } }), settled);
    expect(p?.prediction.path).toBe('relay');
    expect(p?.check).toBe('disagree');
    expect(p?.note).toMatch(/Predicted relayed via TURN/);
  });

  it('a peer behind a TCP-443-only firewall (TURN over TLS works): relayed over TLS predicted, and a TLS relay agrees', () => {
    const tlsOnly = finished('not-determined', 'not-determined', { mappedAddress: null });
    tlsOnly.reachability = { ...tlsOnly.reachability, udp: 'no-answer', udpMs: null, tcpRelay: 'failed', tlsRelay: 'ok', tlsRelayPort: 443 };
    tlsOnly.verdict = natVerdict(verdictFacts(tlsOnly));
    expect(tlsOnly.verdict.label).toBe('UDP blocked (TLS relay only)');
    const p = roomPrediction(finished('EIM', 'APDF'), tlsOnly, { kind: 'relay-tls', settled: true });
    expect(p?.prediction.path).toBe('relay-tls');
    expect(p?.predictedLabel).toBe('relayed via TURN over TLS');
    expect(p?.check).toBe('agree');
    expect(roomPrediction(finished('EIM', 'APDF'), tlsOnly, { kind: 'p2p-nat', settled: true })?.note).toMatch(/let more through than its test showed/);
    // The other side rebuilds the same verdict from the facts it receives.
    expect(readPeerDiagnosis({ diagnosis: wire(tlsOnly) })?.verdict?.explanation).toMatch(/only TURN over TLS on port 443 gets through/);
  });

  it('two dual-stack peers, IPv4 symmetric on both sides, public IPv6 on both: direct (over IPv6) predicted', () => {
    const a = finished('APDM', 'APDF', { hostAddresses: ['10.1.0.2', '2001:470:1:1::2'] });
    const b = finished('APDM', 'APDF', { hostAddresses: ['10.2.0.2', '2001:470:1:2::2'], mappedAddress: { address: '198.51.100.12', port: 5 } });
    expect(a.verdict?.ipv6.label).toBe('IPv6: public (firewall not tested)');
    const p = roomPrediction(a, readPeerDiagnosis({ diagnosis: wire(b) }), { kind: 'direct-public', settled: true });
    expect(p?.prediction.path).toBe('direct');
    expect(p?.check).toBe('agree');
  });

  it('two peers behind one router on separate segments: relay when it does not hairpin, direct when it does', () => {
    const seg = (host: string, hairpin: DiagnosisResult['hairpin']['result']) =>
      finished('EIM', 'APDF', { hostAddresses: [host], hairpin: { result: hairpin, evidence: 'tested', ms: 100 } });
    const no = roomPrediction(seg('10.0.1.2', 'fails'), readPeerDiagnosis({ diagnosis: wire(seg('10.0.2.2', 'fails')) }), { kind: 'relay-udp', settled: true });
    expect(no?.prediction.path).toBe('relay');
    expect(no?.check).toBe('agree');
    const yes = roomPrediction(seg('10.0.1.2', 'works'), readPeerDiagnosis({ diagnosis: wire(seg('10.0.2.2', 'works')) }), { kind: 'p2p-nat', settled: true });
    expect(yes?.prediction.path).toBe('direct');
    expect(yes?.check).toBe('agree');
    // An older peer without the hairpin field: read as not tested, nothing rejected.
    const old = wire(seg('10.0.2.2', 'works')) as Record<string, unknown>;
    delete old.hairpin;
    expect(readPeerDiagnosis({ diagnosis: old })?.hairpin.result).toBe('not-tested');
  });

  it('both pages on the server\u2019s own machine (localhost): direct on one machine, not "not enough known"', () => {
    const here = () => finished('EIM-or-ADM', 'EIF-or-ADF', { serverAddress: '127.0.0.1', hostAddresses: ['192.0.2.2'] });
    const p = roomPrediction(here(), readPeerDiagnosis({ diagnosis: wire(here()) }), { kind: 'direct-lan', settled: true });
    expect(p?.prediction.path).toBe('direct-lan');
    expect(p?.check).toBe('agree');
  });

  it('two peers behind one public address: same network predicted', () => {
    const p = roomPrediction(finished('EIM', 'APDF'), finished('EIM', 'APDF'), { kind: 'direct-lan', settled: true });
    expect(p?.prediction.path).toBe('direct-lan');
    expect(p?.check).toBe('agree');
  });

  it('no check until the path settles; nothing at all until both verdicts exist', () => {
    expect(roomPrediction(finished('EIM', 'EIF'), finished('EIM', 'EIF', { mappedAddress: null }), { kind: 'relay-udp', settled: false })?.check).toBeNull();
    expect(roomPrediction(finished('EIM', 'EIF'), null, settled)).toBeNull();
    expect(roomDiagnosis(null, {}, settled)).toBeNull();
    const onlyRemote = roomDiagnosis(null, { diagnosis: wire(finished('EIM', 'EIF')) }, settled);
    expect(onlyRemote?.remote?.verdict?.label).toBe('Full cone NAT');
    expect(onlyRemote?.prediction).toBeNull();
  });
});
