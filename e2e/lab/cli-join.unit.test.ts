// The lab's judgement of `p2pcheck join` behind a NAT with a Chromium page behind another (no lab needed: reports
// built by hand in the shape both sides print).
import { describe, expect, it } from 'vitest';
import type { CandidateType, ConnectivityReport } from '../../common/report';
import type { PathKind } from '../../common/path-kind';
import { EXIT } from '../../cli/exit-codes';
import { CLI_JOIN_QUICK, agreementProblems, cliJoinPairs, cliJoinSelection, judgeCliJoin, type CliJoinPair } from './cli-join';
import { NAT_KINDS, labHost } from './lab-topology';

type End = { type: CandidateType; address: string; port: number; relayProtocol?: string };

function report(kind: PathKind, local: End, remote: End): ConnectivityReport {
  const cand = (e: End) => ({ id: `${e.type}-${e.port}`, type: e.type, protocol: 'udp' as const, address: e.address, port: e.port, priority: null, relayProtocol: e.type === 'relay' ? (e.relayProtocol ?? 'udp') : null, url: null, at: 0 });
  return {
    version: 1, roomId: 'r', createdAt: 0, relayOnly: false, peerState: 'connected',
    path: { kind, label: kind, settled: true, settleMs: 2000 },
    selectedPair: { local: cand(local), remote: cand(remote), currentRtt: 1 },
    selectedPairHistory: [], localCandidates: [], remoteCandidates: [], pairs: [],
    rtt: { samples: [], min: null, avg: null, max: null },
    timings: { peerJoined: 0, firstCandidate: 10, connected: 200, pathSettled: 2300 },
    iceServers: [], errors: [],
  };
}

const pairById = (id: string): CliJoinPair => cliJoinPairs().find((p) => p.id === id)!;
const ok = { code: EXIT.ok as number, stderr: '' };

describe('the p2pcheck join pairs', () => {
  it('put the command behind every NAT kind once, and behind the office firewall', () => {
    const kinds = cliJoinPairs().filter((p) => p.a.network === 'plain').map((p) => p.a.kind);
    expect([...kinds].sort()).toEqual([...NAT_KINDS].sort());
    expect(cliJoinPairs().find((p) => p.a.name === 'tcp443')?.expected).toBe('relay-tls');
  });
  it('cover direct, a UDP relay and a TCP relay with exit 7 in npm test, on six different hosts (one round)', () => {
    const quick = cliJoinSelection({ mode: undefined, filter: undefined }, false);
    expect(quick.map((p) => p.id)).toEqual([...CLI_JOIN_QUICK]);
    expect(quick.map((p) => p.expected)).toEqual(['direct', 'relay', 'relay-tcp']);
    expect(quick.map((p) => p.wantExit)).toEqual([EXIT.ok, EXIT.ok, EXIT.pathUnexpected]);
    expect(new Set(quick.flatMap((p) => [p.a.name, p.b.name])).size).toBe(6);
  });
  it('selects by P2L_CLI_JOIN and P2L_CLI_PAIRS, and refuses a bad mode', () => {
    expect(cliJoinSelection({ mode: undefined, filter: undefined }, true)).toHaveLength(cliJoinPairs().length);
    expect(cliJoinSelection({ mode: '0', filter: undefined }, true)).toEqual([]);
    expect(cliJoinSelection({ mode: 'full', filter: 'tcp443, symmetric-a' }, false).map((p) => p.a.name)).toEqual(['symmetric-a', 'tcp443']);
    expect(() => cliJoinSelection({ mode: 'all', filter: undefined }, false)).toThrow(/P2L_CLI_JOIN='all'/);
  });
});

describe('judgeCliJoin', () => {
  const punch = pairById('port-restricted-a (p2pcheck join) × port-restricted-b');
  const a = labHost('port-restricted-a');
  const b = labHost('port-restricted-b');
  // Hole punching: each side names its host end; the other sees the router's mapping of it.
  const cliSide = report('p2p-nat', { type: 'host', address: a.address, port: 5000 }, { type: 'srflx', address: b.publicAddress, port: 40001 });
  const pageSide = report('p2p-nat', { type: 'srflx', address: b.publicAddress, port: 40001 }, { type: 'prflx', address: a.publicAddress, port: 5000 });

  it('accepts a direct pair both reports name from their two ends, with exit 0', () => {
    expect(judgeCliJoin(punch, { cli: cliSide, page: pageSide }, ok)).toMatchObject({ ok: true, observed: 'p2p-nat' });
  });
  it('fails a relayed path where the NATs allow a direct one', () => {
    const relayed = report('relay-udp', { type: 'relay', address: '198.51.100.1', port: 50000 }, { type: 'srflx', address: b.publicAddress, port: 40001 });
    expect(judgeCliJoin(punch, { cli: relayed, page: pageSide }, ok).problems.join('\n')).toMatch(/expected direct[\s\S]*the reports disagree/);
  });
  it('fails reports that name different pairs', () => {
    // The port behind a NAT is the router's choice; the address is not.
    const other = report('p2p-nat', { type: 'srflx', address: b.publicAddress, port: 40001 }, { type: 'prflx', address: '198.51.100.77', port: 5000 });
    expect(agreementProblems(punch, { ...cliSide }, other)).toEqual([expect.stringMatching(/different pairs/)]);
    const elsewhere = report('p2p-nat', { type: 'host', address: a.address, port: 5000 }, { type: 'srflx', address: '198.51.100.99', port: 40001 });
    expect(agreementProblems(punch, elsewhere, pageSide)).toEqual([expect.stringMatching(/different pairs/)]);
  });
  it('wants the documented exit status: 0 for the path --expect asked, 7 for the other kind', () => {
    expect(judgeCliJoin(punch, { cli: cliSide, page: pageSide }, { code: EXIT.noConnection, stderr: 'p2pcheck: no connection\n' }).problems).toEqual([
      'p2pcheck join --expect direct: exit 6, expected 0 (p2pcheck: no connection)',
    ]);
    const blocked = pairById('udp-blocked-a (p2pcheck join) × open-b');
    expect(blocked).toMatchObject({ cliExpect: 'direct', wantExit: EXIT.pathUnexpected });
    const open = labHost('open-b');
    const cli = report('relay-tcp', { type: 'relay', address: '198.51.100.1', port: 50000, relayProtocol: 'tcp' }, { type: 'host', address: open.address, port: 7000 });
    const page = report('relay-tcp', { type: 'host', address: open.address, port: 7000 }, { type: 'relay', address: '198.51.100.1', port: 50000 });
    expect(judgeCliJoin(blocked, { cli, page }, { code: EXIT.pathUnexpected, stderr: '' }).ok).toBe(true);
    expect(judgeCliJoin(blocked, { cli, page }, ok).ok).toBe(false);
  });
  it('wants the TCP relay on the UDP-blocked side, and agrees that both are relayed whatever transport each names', () => {
    const blocked = pairById('udp-blocked-a (p2pcheck join) × open-b');
    const open = labHost('open-b');
    const udpRelay = report('relay-udp', { type: 'relay', address: '198.51.100.1', port: 50000 }, { type: 'host', address: open.address, port: 7000 });
    const page = report('relay-udp', { type: 'host', address: open.address, port: 7000 }, { type: 'relay', address: '198.51.100.1', port: 50000 });
    expect(judgeCliJoin(blocked, { cli: udpRelay, page }, { code: EXIT.pathUnexpected, stderr: '' }).problems.join()).toMatch(/UDP is blocked here/);
    expect(agreementProblems(blocked, udpRelay, report('relay-tcp', { type: 'host', address: open.address, port: 7000 }, { type: 'relay', address: '198.51.100.1', port: 50000 }))).toEqual([]);
  });
});
