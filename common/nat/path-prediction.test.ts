import { describe, expect, it } from 'vitest';
import { NAT_KINDS, expectedPath, type NatKind as LabKind } from '../../e2e/lab/lab-topology';
import type { PeerBehavior } from './nat-verdict';
import { PREDICTED_PATH_LABELS, REFERENCE_PEERS, checkPrediction, compatibilityTable, directPossible, predictPath, sameSegment } from './path-prediction';

const LAB_TO_REFERENCE: Record<LabKind, string> = {
  open: 'open',
  'full-cone': 'full-cone',
  restricted: 'restricted-cone',
  'port-restricted': 'port-restricted-cone',
  symmetric: 'symmetric',
  'udp-blocked': 'udp-blocked',
};
const behaviorOf = (k: LabKind): PeerBehavior => REFERENCE_PEERS.find((p) => p.id === LAB_TO_REFERENCE[k])!.behavior;

describe('predictPath agrees with the NAT lab\u2019s expectations (written independently from how the NATs behave)', () => {
  for (const a of NAT_KINDS) {
    for (const b of NAT_KINDS) {
      const lab = expectedPath(a, b, false);
      it(`${a} × ${b} → ${lab}`, () => {
        const p = predictPath(behaviorOf(a), behaviorOf(b));
        expect(p.path).toBe(lab);
        expect(predictPath(behaviorOf(b), behaviorOf(a)).path).toBe(p.path); // symmetric in its arguments
      });
    }
  }
  it('same public address → direct (same network), as the lab expects for two hosts behind one router', () => {
    const pr = behaviorOf('port-restricted');
    expect(predictPath(pr, pr, { sameNetwork: true }).path).toBe(expectedPath('port-restricted', 'port-restricted', true));
  });
});

describe('directPossible over every mapping × filtering pair', () => {
  const ms = ['EIM', 'ADM', 'APDM'] as const;
  const fs = ['EIF', 'ADF', 'APDF'] as const;
  it('is symmetric, and EIF on either side always suffices; APDM+APDF on both never does', () => {
    for (const am of ms) for (const af of fs) for (const bm of ms) for (const bf of fs) {
      const a = { m: am, f: af };
      const b = { m: bm, f: bf };
      expect(directPossible(a, b)).toBe(directPossible(b, a));
      if (af === 'EIF' && am === 'EIM') expect(directPossible(a, b)).toBe(true);
    }
    expect(directPossible({ m: 'APDM', f: 'APDF' }, { m: 'APDM', f: 'APDF' })).toBe(false);
    expect(directPossible({ m: 'ADM', f: 'ADF' }, { m: 'EIM', f: 'APDF' })).toBe(false);
    expect(directPossible({ m: 'ADM', f: 'ADF' }, { m: 'EIM', f: 'ADF' })).toBe(true);
  });
});

describe('uncertain sides', () => {
  const pr: PeerBehavior = { udp: 'yes', tcpRelay: 'ok', tlsRelay: 'not-configured', ipv6: 'no', hairpin: 'unknown', mappings: ['EIM'], filterings: ['APDF'] };
  it('one-address server: EIF-or-ADF ↔ symmetric is direct either way, EIM-or-ADM ↔ port-restricted is not certain', () => {
    const oneIp: PeerBehavior = { udp: 'yes', tcpRelay: 'ok', tlsRelay: 'not-configured', ipv6: 'no', hairpin: 'unknown', mappings: ['EIM'], filterings: ['EIF', 'ADF'] };
    expect(predictPath(oneIp, behaviorOf('symmetric')).path).toBe('direct');
    const maybeAdm: PeerBehavior = { udp: 'yes', tcpRelay: 'ok', tlsRelay: 'not-configured', ipv6: 'no', hairpin: 'unknown', mappings: ['EIM', 'ADM'], filterings: ['APDF'] };
    expect(predictPath(maybeAdm, pr).path).toBe('uncertain');
  });
  it('an untested side gives no prediction, unless the other side rules out UDP', () => {
    const untested: PeerBehavior = { udp: 'unknown', tcpRelay: 'not-tested', tlsRelay: 'not-tested', ipv6: 'unknown', hairpin: 'unknown', mappings: ['EIM', 'ADM', 'APDM'], filterings: ['EIF', 'ADF', 'APDF'] };
    expect(predictPath(untested, pr).path).toBe('uncertain');
    expect(predictPath(untested, behaviorOf('udp-blocked')).path).toBe('relay-tcp');
  });
  it('no UDP and no TCP relay → no connection', () => {
    const dead: PeerBehavior = { udp: 'no', tcpRelay: 'failed', tlsRelay: 'not-configured', ipv6: 'no', hairpin: 'unknown', mappings: [], filterings: [] };
    expect(predictPath(pr, dead).path).toBe('none');
    expect(predictPath(pr, { ...dead, tlsRelay: 'failed' }).path).toBe('none');
  });
});

describe('restricted egress: only TURN over TCP and/or TLS gets out', () => {
  const pr: PeerBehavior = { udp: 'yes', tcpRelay: 'ok', tlsRelay: 'ok', ipv6: 'no', hairpin: 'unknown', mappings: ['EIM'], filterings: ['APDF'] };
  const tlsOnly: PeerBehavior = { udp: 'no', tcpRelay: 'failed', tlsRelay: 'ok', ipv6: 'no', hairpin: 'unknown', mappings: [], filterings: [] };
  it('a TLS-only side is relayed over TLS, not "no connection" — with any peer, and with another such side', () => {
    expect(predictPath(pr, tlsOnly).path).toBe('relay-tls');
    expect(predictPath(tlsOnly, pr).path).toBe('relay-tls');
    expect(predictPath(tlsOnly, tlsOnly).path).toBe('relay-tls');
    expect(predictPath(tlsOnly, behaviorOf('udp-blocked')).path).toBe('relay-tcp');
    expect(compatibilityTable(tlsOnly).every((r) => r.prediction.path.startsWith('relay-'))).toBe(true);
  });
  it('TCP and TLS both working: relayed over TCP; a relayed-over-TLS path agrees with any relay prediction', () => {
    expect(predictPath(pr, { ...tlsOnly, tcpRelay: 'ok' }).path).toBe('relay-tcp');
    expect(checkPrediction('relay-tls', 'relay-tls')).toBe('agree');
    expect(checkPrediction('relay-tls', 'relay-tcp')).toBe('agree');
    expect(checkPrediction('relay-tls', 'p2p-nat')).toBe('disagree');
  });
});

describe('compatibilityTable', () => {
  it('a symmetric NAT: direct with open/full/restricted, relay with port-restricted/symmetric, TCP relay with UDP blocked', () => {
    const rows = compatibilityTable(behaviorOf('symmetric'));
    expect(rows.map((r) => [r.peer, r.prediction.path])).toEqual([
      ['open', 'direct'],
      ['full-cone', 'direct'],
      ['restricted-cone', 'direct'],
      ['port-restricted-cone', 'relay'],
      ['symmetric', 'relay'],
      ['udp-blocked', 'relay-tcp'],
    ]);
  });
});

describe('checkPrediction', () => {
  it('compares by category', () => {
    expect(checkPrediction('direct', 'p2p-nat')).toBe('agree');
    expect(checkPrediction('direct', 'direct-public')).toBe('agree');
    expect(checkPrediction('direct-lan', 'direct-lan')).toBe('agree');
    expect(checkPrediction('direct', 'relay-udp')).toBe('disagree');
    expect(checkPrediction('relay', 'p2p-nat')).toBe('disagree');
    expect(checkPrediction('relay-tcp', 'relay-tcp')).toBe('agree');
    expect(checkPrediction('relay', 'relay-tls')).toBe('agree');
    expect(checkPrediction('uncertain', 'relay-udp')).toBe('no-prediction');
    expect(checkPrediction('direct', 'none')).toBe('no-path');
    expect(checkPrediction('none', 'none')).toBe('agree');
    expect(checkPrediction('none', 'relay-udp')).toBe('disagree');
  });
});

describe('IPv6: two peers with public IPv6 addresses', () => {
  const sym = behaviorOf('symmetric');
  it('are predicted direct over IPv6 although their IPv4 NATs (symmetric × symmetric) need a relay', () => {
    expect(predictPath(sym, sym).path).toBe('relay');
    const p = predictPath({ ...sym, ipv6: 'yes' }, { ...sym, ipv6: 'yes' });
    expect(p.path).toBe('direct');
    expect(p.reason).toMatch(/IPv6/);
  });
  it('one side without IPv6 (or unknown): IPv4 decides', () => {
    expect(predictPath({ ...sym, ipv6: 'yes' }, sym).path).toBe('relay');
    expect(predictPath({ ...sym, ipv6: 'yes' }, { ...sym, ipv6: 'unknown' }).path).toBe('relay');
  });
  it('UDP blocked on one side still means a relay over TCP', () => {
    expect(predictPath({ ...sym, ipv6: 'yes' }, { ...behaviorOf('udp-blocked'), ipv6: 'yes' }).path).toBe('relay-tcp');
  });
});

describe('two peers behind one router (same public address): hairpinning and segments', () => {
  const pr = behaviorOf('port-restricted');
  const hp = (h: PeerBehavior['hairpin']): PeerBehavior => ({ ...pr, hairpin: h });
  it('one local segment: direct on the LAN, whatever the hairpin test said', () => {
    expect(predictPath(hp('no'), hp('no'), { sameNetwork: true, sameSegment: 'yes' }).path).toBe('direct-lan');
  });
  it('separate segments: direct through the public address when the router hairpins, relayed when it does not', () => {
    expect(predictPath(hp('yes'), hp('yes'), { sameNetwork: true, sameSegment: 'no' }).path).toBe('direct');
    expect(predictPath(hp('yes'), hp('unknown'), { sameNetwork: true, sameSegment: 'no' }).path).toBe('direct');
    const no = predictPath(hp('no'), hp('no'), { sameNetwork: true, sameSegment: 'no' });
    expect(no.path).toBe('relay');
    expect(no.reason).toMatch(/no hairpinning/);
    expect(predictPath(hp('unknown'), hp('unknown'), { sameNetwork: true, sameSegment: 'no' }).path).toBe('uncertain');
  });
  it('addresses hidden (mDNS): the hairpin result decides, a router without it leaves it open', () => {
    expect(predictPath(hp('yes'), hp('yes'), { sameNetwork: true, sameSegment: 'unknown' }).path).toBe('direct');
    expect(predictPath(hp('no'), hp('no'), { sameNetwork: true, sameSegment: 'unknown' }).path).toBe('uncertain');
    expect(predictPath(hp('unknown'), hp('unknown'), { sameNetwork: true }).path).toBe('direct-lan');
  });
  it('sameSegment: a shared IPv4 /24, none shared, or hidden addresses', () => {
    expect(sameSegment(['192.168.1.10', 'fe80::1'], ['192.168.1.20'])).toBe('yes');
    expect(sameSegment(['10.0.1.2'], ['10.0.2.2'])).toBe('no');
    expect(sameSegment(['abc.local'], ['10.0.2.2'])).toBe('unknown');
    expect(sameSegment([], [])).toBe('unknown');
  });
});

describe('directPossible: the cases that decide between direct and relay', () => {
  it('two symmetric NATs that filter by address only still need a relay: each side\u2019s checks leave from a new mapping', () => {
    expect(directPossible({ m: 'APDM', f: 'ADF' }, { m: 'APDM', f: 'ADF' })).toBe(false);
    expect(directPossible({ m: 'ADM', f: 'ADF' }, { m: 'ADM', f: 'ADF' })).toBe(false);
  });
  it('a symmetric NAT that lets anyone in: direct with an address-filtering peer, not with a port-restricted one (its answer leaves from a new port)', () => {
    expect(directPossible({ m: 'ADM', f: 'ADF' }, { m: 'APDM', f: 'EIF' })).toBe(true);
    expect(directPossible({ m: 'EIM', f: 'APDF' }, { m: 'APDM', f: 'EIF' })).toBe(false);
  });
});

describe('predictPath: the reason the report gives', () => {
  const sym = behaviorOf('symmetric');
  const pr = behaviorOf('port-restricted');
  const full = behaviorOf('full-cone');
  const blocked = behaviorOf('udp-blocked');
  it('direct or relayed between two measured NATs', () => {
    expect(predictPath(full, sym).reason).toBe('at least one side\u2019s NAT lets the other side\u2019s connectivity checks in, and the answers get back');
    expect(predictPath(pr, sym).reason).toMatch(/^each NAT drops the other side\u2019s checks: one changes its port per destination while the other only admits the exact address and port it sent to$/);
  });
  it('UDP blocked: over TCP, over TLS, or not at all', () => {
    expect(predictPath(full, blocked).reason).toMatch(/^UDP is blocked on at least one side, so only a TURN relay over TCP can carry the connection$/);
    const tlsOnly: PeerBehavior = { ...blocked, tcpRelay: 'failed', tlsRelay: 'ok' };
    expect(predictPath(full, tlsOnly).reason).toMatch(/^UDP is blocked on at least one side and only its TURN relay over TLS gets through/);
    expect(predictPath(full, { ...blocked, tcpRelay: 'failed' }).reason).toMatch(/^one side reaches the server neither over UDP nor through a TURN relay over TCP or TLS$/);
  });
  it('IPv6 on both sides: direct over IPv6 whatever the IPv4 NATs; one side\u2019s IPv6 alone is not enough, on either side', () => {
    expect(predictPath({ ...sym, ipv6: 'yes' }, { ...sym, ipv6: 'yes' }).reason).toMatch(/^both peers have a public IPv6 address: ICE connects them directly over IPv6/);
    expect(predictPath(sym, { ...sym, ipv6: 'yes' }).path).toBe('relay');
  });
  it('an untested side is uncertain even against an open peer (its UDP may be blocked), and says so', () => {
    const untested: PeerBehavior = { udp: 'unknown', tcpRelay: 'not-tested', tlsRelay: 'not-tested', ipv6: 'unknown', hairpin: 'unknown', mappings: ['EIM', 'ADM', 'APDM'], filterings: ['EIF', 'ADF', 'APDF'] };
    for (const [a, b] of [[untested, full], [full, untested]] as const) {
      expect(predictPath(a, b)).toEqual({ path: 'uncertain', reason: 'at least one side\u2019s UDP reachability was not tested' });
    }
    const maybeAdm: PeerBehavior = { ...pr, mappings: ['EIM', 'ADM'] };
    expect(predictPath(maybeAdm, pr).reason).toBe('the outcome depends on NAT behavior that could not be measured');
  });
  it('UDP blocked and no relay tested: a TURN relay over TCP is assumed; TLS failed and TCP untested: no connection', () => {
    const untestedRelays: PeerBehavior = { ...blocked, tcpRelay: 'not-tested', tlsRelay: 'not-tested' };
    expect(predictPath(full, untestedRelays).path).toBe('relay-tcp');
    expect(predictPath(full, { ...untestedRelays, tlsRelay: 'failed' }).path).toBe('none');
  });
  it('behind one router: the reason names the LAN, the hairpin or the segments', () => {
    const hp = (h: PeerBehavior['hairpin']): PeerBehavior => ({ ...pr, hairpin: h });
    const same = (segment?: 'yes' | 'no' | 'unknown') => ({ sameNetwork: true, sameSegment: segment });
    expect(predictPath(hp('no'), hp('no'), same('yes')).reason).toMatch(/^both peers are on one local network segment, so their local addresses reach each other$/);
    expect(predictPath(hp('yes'), hp('yes'), same('no')).reason).toMatch(/^both peers are behind the same router, which loops packets for its public address back in \(hairpinning\)$/);
    expect(predictPath(hp('no'), hp('no'), same('unknown')).reason).toMatch(/^both peers are behind the same router, which does not hairpin: direct if they share a local segment, relayed otherwise$/);
    expect(predictPath(hp('unknown'), hp('unknown'), same('no')).reason).toMatch(/^both peers are behind the same router on different local segments; whether it hairpins was not tested$/);
    expect(predictPath(hp('unknown'), hp('unknown'), same()).reason).toMatch(/^both peers leave through the same public address, so their local addresses should reach each other$/);
    // The two peers disagree about hairpinning (one test lost its packet): no promise of a direct path.
    expect(predictPath(hp('yes'), hp('no'), same('no')).path).toBe('relay');
  });
  it('sameSegment: a third octet of three digits, a second network (VPN) beside the shared one, loopback, hidden on one side', () => {
    expect(sameSegment(['10.0.100.2'], ['10.0.100.3'])).toBe('yes');
    expect(sameSegment(['10.0.100.2'], ['10.0.101.2'])).toBe('no');
    expect(sameSegment(['192.168.1.10', '10.8.0.2'], ['192.168.1.20'])).toBe('yes');
    expect(sameSegment(['127.0.0.1'], ['127.0.0.1'])).toBe('unknown');
    expect(sameSegment(['10.0.1.2'], ['abc.local'])).toBe('unknown');
  });
});

describe('the compatibility table the report shows', () => {
  it('one row per kind of peer, named as the user reads it', () => {
    expect(compatibilityTable(behaviorOf('full-cone')).map((r) => [r.peer, r.label])).toEqual([
      ['open', 'No NAT (public address)'],
      ['full-cone', 'Full cone NAT'],
      ['restricted-cone', 'Restricted cone NAT'],
      ['port-restricted-cone', 'Port-restricted cone NAT'],
      ['symmetric', 'Symmetric NAT'],
      ['udp-blocked', 'UDP blocked'],
    ]);
  });
  it('each predicted path has its own label', () => {
    expect(PREDICTED_PATH_LABELS).toEqual({
      'direct-lan': 'direct (same network)',
      direct: 'direct (peer-to-peer)',
      relay: 'relayed via TURN',
      'relay-tcp': 'relayed via TURN over TCP',
      'relay-tls': 'relayed via TURN over TLS',
      none: 'no connection',
      uncertain: 'direct or relayed (not enough known)',
    });
  });
});
