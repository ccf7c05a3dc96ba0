// The lab's judgement of `p2pcheck nat` behind a host (no lab needed: results built from the verdict code).
import { describe, expect, it } from 'vitest';
import { emptyDiagnosis } from '../../web/diagnosis/run-diagnosis';
import { natVerdict } from '../../common/nat/nat-verdict';
import { verdictFacts, type DiagnosisResult } from '../../common/nat/diagnosis-result';
import { CLI_NAT_QUICK_HOSTS, cliNatProblems, type CliNatRun } from './cli-nat';
import { LAB, labHost } from './lab-topology';

/** A port-restricted cone result as the command prints it behind port-restricted-a. */
function portRestricted(): DiagnosisResult {
  const host = labHost('port-restricted-a');
  const r = emptyDiagnosis('bundled');
  r.state = 'done';
  r.reachability = { ...r.reachability, udp: 'answered', udpMs: 40, tcpRelay: 'ok', tlsRelay: 'ok', ipv6: 'none' };
  r.hostAddresses = [host.address];
  r.serverAddress = LAB.server.primary;
  r.mappedAddress = { address: host.publicAddress, port: 40000 };
  r.publicAddress = 'no';
  r.mapping.result = { behavior: 'EIM', evidence: 'same mapping everywhere' };
  r.filtering.result = { behavior: 'APDF', evidence: 'only the primary got through' };
  r.hairpin = { result: 'fails', evidence: 'nothing came back', ms: 3000 };
  r.verdict = natVerdict(verdictFacts(r));
  return r;
}

const run = (result: DiagnosisResult | null, code: number | null): CliNatRun => ({ code, result, stderr: '', wallMs: 5000 });
const discovery = { udp: 'ok', mapping: 'EIM', filtering: 'APDF' } as const;

describe('p2pcheck nat in the lab', () => {
  it('agrees with natdiscovery: no problem', () => {
    expect(cliNatProblems(labHost('port-restricted-a'), discovery, run(portRestricted(), 0))).toEqual([]);
  });

  it('another verdict than natdiscovery\u2019s is a problem named for the command', () => {
    const r = portRestricted();
    r.filtering.result = { behavior: 'EIF', evidence: 'everything got through' };
    r.verdict = natVerdict(verdictFacts(r));
    const problems = cliNatProblems(labHost('port-restricted-a'), discovery, run(r, 0));
    expect(problems).toContain('port-restricted-a (p2pcheck nat): it says "Full cone NAT", natdiscovery "Port-restricted cone NAT"');
  });

  it('a wrong exit status, or no result at all, is a problem', () => {
    expect(cliNatProblems(labHost('port-restricted-a'), discovery, run(portRestricted(), 9))).toEqual(['port-restricted-a (p2pcheck nat): exit 9, expected 0 (UDP answered)']);
    expect(cliNatProblems(labHost('port-restricted-a'), discovery, { code: 3, result: null, stderr: 'p2pcheck nat: cannot reach …\n', wallMs: 1 })).toEqual([
      'port-restricted-a (p2pcheck nat): exit 3, no result: p2pcheck nat: cannot reach …',
    ]);
  });

  it('npm test\u2019s hosts exist in the lab', () => {
    for (const name of CLI_NAT_QUICK_HOSTS) expect(labHost(name).name).toBe(name);
  });
});
