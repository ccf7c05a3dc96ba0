import { describe, expect, it } from 'vitest';
import type { FilteringBehavior, MappingBehavior } from './nat-behavior';
import { NAT_KIND_LABELS, natKindFrom, natVerdict, type DiagnosisFacts, type NatKind } from './nat-verdict';

const MAPPINGS: MappingBehavior[] = ['EIM', 'ADM', 'APDM', 'EIM-or-ADM', 'ADM-or-APDM', 'not-determined'];
const FILTERINGS: FilteringBehavior[] = ['EIF', 'ADF', 'APDF', 'EIF-or-ADF', 'ADF-or-APDF', 'not-determined'];

function facts(over: Partial<DiagnosisFacts> & { m?: MappingBehavior; f?: FilteringBehavior } = {}): DiagnosisFacts {
  return {
    udp: 'answered',
    tcpRelay: 'ok',
    publicAddress: 'no',
    mapping: { behavior: over.m ?? 'EIM', evidence: 'mapping evidence' },
    filtering: { behavior: over.f ?? 'APDF', evidence: 'filtering evidence' },
    ...over,
  };
}

describe('natKindFrom: the classic name for every mapping × filtering result', () => {
  const table: Record<MappingBehavior, NatKind | Record<FilteringBehavior, NatKind>> = {
    EIM: { EIF: 'full-cone', ADF: 'restricted-cone', APDF: 'port-restricted-cone', 'EIF-or-ADF': 'restricted-cone', 'ADF-or-APDF': 'port-restricted-cone', 'not-determined': 'cone' },
    'EIM-or-ADM': { EIF: 'full-cone', ADF: 'restricted-cone', APDF: 'port-restricted-cone', 'EIF-or-ADF': 'restricted-cone', 'ADF-or-APDF': 'port-restricted-cone', 'not-determined': 'cone' },
    ADM: 'symmetric',
    APDM: 'symmetric',
    'ADM-or-APDM': 'symmetric',
    'not-determined': 'undetermined',
  };
  for (const m of MAPPINGS) {
    for (const f of FILTERINGS) {
      const row = table[m];
      const expected = typeof row === 'string' ? row : row[f];
      it(`${m} + ${f} → ${expected}`, () => expect(natKindFrom(m, f)).toBe(expected));
    }
  }
});

describe('natVerdict', () => {
  it('the four classic NATs as the lab builds them, with no caveats', () => {
    expect(natVerdict(facts({ m: 'EIM', f: 'EIF' })).label).toBe('Full cone NAT');
    expect(natVerdict(facts({ m: 'EIM', f: 'ADF' })).label).toBe('Restricted cone NAT');
    expect(natVerdict(facts({ m: 'EIM', f: 'APDF' })).label).toBe('Port-restricted cone NAT');
    const sym = natVerdict(facts({ m: 'APDM', f: 'APDF' }));
    expect(sym.label).toBe('Symmetric NAT');
    expect(sym.certain).toBe(true);
    expect(sym.caveats).toEqual([]);
    expect(sym.advice.join(' ')).toMatch(/UPnP/);
    expect(sym.advice.join(' ')).toMatch(/cannot/); // a page cannot test UPnP/NAT-PMP
    expect(sym.advice.join(' ')).toMatch(/TURN/);
  });

  it('a public address wins over the NAT tests; filtering still shapes the explanation', () => {
    const open = natVerdict(facts({ publicAddress: 'yes', m: 'EIM', f: 'EIF' }));
    expect(open.label).toBe('No NAT (public address)');
    expect(open.explanation).toMatch(/nothing filters/);
    expect(open.behavior.mappings).toEqual(['EIM']);
    expect(natVerdict(facts({ publicAddress: 'yes', f: 'APDF' })).explanation).toMatch(/firewall/);
  });

  it('UDP blocked: relay over TCP worked / failed / untested', () => {
    const blocked = natVerdict(facts({ udp: 'no-answer', tcpRelay: 'ok', m: 'not-determined', f: 'not-determined' }));
    expect(blocked.label).toBe('UDP blocked (TCP relay only)');
    expect(blocked.certain).toBe(true);
    expect(blocked.behavior).toMatchObject({ udp: 'no', mappings: [], filterings: [] });
    expect(natVerdict(facts({ udp: 'no-answer', tcpRelay: 'failed' })).label).toBe('No connectivity to the server');
    const untested = natVerdict(facts({ udp: 'no-answer', tcpRelay: 'not-tested' }));
    expect(untested.label).toBe('UDP blocked (TCP relay only)');
    expect(untested.certain).toBe(false);
    expect(untested.caveats.join(' ')).toMatch(/TCP was not tested/);
  });

  it('restricted egress: only TURN over TLS gets out → says so, names the port, calls will work relayed over TLS', () => {
    const v = natVerdict(facts({ udp: 'no-answer', tcpRelay: 'failed', tlsRelay: 'ok', relayPorts: { tcp: 3478, tls: 443 }, m: 'not-determined', f: 'not-determined' }));
    expect(v.kind).toBe('tls-relay-only');
    expect(v.label).toBe('UDP blocked (TLS relay only)');
    expect(v.explanation).toMatch(/^UDP is blocked; only TURN over TLS on port 443 gets through \u2014 calls will work, relayed, with extra latency\./);
    expect(v.explanation).not.toMatch(/fail/);
    expect(v.certain).toBe(true);
    expect(v.behavior).toMatchObject({ udp: 'no', tcpRelay: 'failed', tlsRelay: 'ok' });
  });

  it('restricted egress: TCP and TLS both work → both named with their ports', () => {
    const v = natVerdict(facts({ udp: 'no-answer', tcpRelay: 'ok', tlsRelay: 'ok', relayPorts: { tcp: 443, tls: 5349 } }));
    expect(v.label).toBe('UDP blocked (TCP relay only)');
    expect(v.explanation).toMatch(/TURN over TCP on port 443 and TURN over TLS on port 5349 get through/);
  });

  it('"No connectivity" only when nothing works: every relay tested failed', () => {
    expect(natVerdict(facts({ udp: 'no-answer', tcpRelay: 'failed', tlsRelay: 'failed' })).kind).toBe('no-connectivity');
    expect(natVerdict(facts({ udp: 'no-answer', tcpRelay: 'not-tested', tlsRelay: 'failed' })).kind).toBe('no-connectivity');
    const noTls = natVerdict(facts({ udp: 'no-answer', tcpRelay: 'failed', tlsRelay: 'not-configured' }));
    expect(noTls.kind).toBe('no-connectivity');
    expect(noTls.advice.join(' ')).toMatch(/TLS on port 443/);
    expect(natVerdict(facts({ udp: 'no-answer', tcpRelay: 'failed', tlsRelay: 'ok' })).kind).not.toBe('no-connectivity');
    const firefox = natVerdict(facts({ udp: 'no-answer', tcpRelay: 'failed', tlsRelay: 'failed', tlsRelayReason: 'Firefox does not use TURN over TLS with an IP address; the server needs a DNS name' }));
    expect(firefox.advice[0]).toBe('TURN over TLS failed: Firefox does not use TURN over TLS with an IP address; the server needs a DNS name');
  });

  it('the page opened on the server\u2019s own machine (loopback mapped address): says the NAT cannot be tested there and how to test for real', () => {
    for (const address of ['127.0.0.1', '::1']) {
      // What the old verdict called "Restricted cone NAT (not certain)": hidden host addresses, one-address server.
      const v = natVerdict(facts({ publicAddress: 'unknown', m: 'EIM-or-ADM', f: 'EIF-or-ADF', mappedAddress: { address, port: 50000 } }));
      expect(v.kind).toBe('same-machine');
      expect(v.label).toBe('Same machine as the server (NAT not tested)');
      expect(v.explanation).toMatch(/cannot be tested from the same machine/);
      expect(v.advice.join(' ')).toMatch(/another device.*public name or address instead of localhost/);
      expect(v.certain).toBe(true);
      expect(v.behavior.udp).toBe('unknown');
    }
    expect(natVerdict(facts({ mappedAddress: { address: '198.51.100.7', port: 50000 } })).kind).toBe('port-restricted-cone');
    // Firefox on localhost does not talk to a loopback STUN server at all: no UDP, no relay — still the same machine.
    const ff = natVerdict(facts({ udp: 'no-answer', tcpRelay: 'failed', tlsRelay: 'not-configured', mappedAddress: null, serverAddress: '127.0.0.1' }));
    expect(ff.kind).toBe('same-machine');
    expect(ff.explanation).toMatch(/^The server\u2019s STUN address is 127\.0\.0\.1, which only its own machine can reach/);
    expect(natVerdict(facts({ serverAddress: 'localhost' })).kind).toBe('same-machine');
    expect(natVerdict(facts({ serverAddress: '198.51.100.1' })).kind).toBe('port-restricted-cone');
  });

  it('IPv6 judged on its own: a global IPv6 address beside an IPv4 symmetric NAT', () => {
    const v = natVerdict(facts({ m: 'APDM', f: 'APDF', hostAddresses: ['10.0.0.2', '2a01:4f8:1:2::5', 'fe80::1'] }));
    expect(v.label).toBe('Symmetric NAT');
    expect(v.ipv6).toMatchObject({ state: 'public', label: 'IPv6: public (firewall not tested)' });
    expect(v.behavior.ipv6).toBe('yes');
    expect(natVerdict(facts({ hostAddresses: ['10.0.0.2', 'fd00::2', 'fe80::1'] })).ipv6.state).toBe('none');
    expect(natVerdict(facts({ hostAddresses: ['0c2b.local'] })).ipv6.state).toBe('unknown');
  });

  it('IPv6: server reached over IPv6 at the device\u2019s own address → open or firewalled from the filtering test', () => {
    const own = { address: '2a01:4f8:1:2::5', port: 40000 };
    const open = natVerdict(facts({ publicAddress: 'yes', f: 'EIF', mappedAddress: own, hostAddresses: [own.address] }));
    expect(open.ipv6.label).toBe('IPv6: public, open');
    const fw = natVerdict(facts({ publicAddress: 'yes', f: 'APDF', mappedAddress: own, hostAddresses: [`[${own.address}]`] }));
    expect(fw.ipv6.label).toBe('IPv6: public, firewalled');
    expect(fw.ipv6.explanation).toMatch(/still connect directly/);
  });

  it('hairpinning, reported in words and carried into the behavior', () => {
    const works = natVerdict(facts({ hairpin: 'works' }));
    expect(works.hairpin.label).toMatch(/^Two devices behind this router can reach each other through its public address/);
    expect(works.behavior.hairpin).toBe('yes');
    const fails = natVerdict(facts({ hairpin: 'fails' }));
    expect(fails.hairpin.label).toMatch(/^Two devices behind this router cannot reach each other through its public address/);
    expect(fails.behavior.hairpin).toBe('no');
    expect(natVerdict(facts({})).behavior.hairpin).toBe('unknown');
  });

  it('tests skipped (custom ICE servers): undetermined, every behavior still possible', () => {
    const v = natVerdict(facts({ udp: 'not-tested', tcpRelay: 'not-tested', m: 'not-determined', f: 'not-determined' }));
    expect(v.kind).toBe('undetermined');
    expect(v.certain).toBe(false);
    expect(v.explanation).toMatch(/not run/);
    expect(v.behavior.udp).toBe('unknown');
    expect(v.behavior.mappings).toHaveLength(3);
  });

  it('a single-address server: the stricter name plus a caveat that says why', () => {
    const v = natVerdict(facts({ m: 'EIM-or-ADM', f: 'EIF-or-ADF' }));
    expect(v.label).toBe('Restricted cone NAT');
    expect(v.certain).toBe(false);
    expect(v.caveats).toEqual(['Mapping: mapping evidence.', 'Filtering: filtering evidence.']);
    expect(v.behavior.mappings).toEqual(['EIM', 'ADM']);
    expect(v.behavior.filterings).toEqual(['EIF', 'ADF']);
  });

  it('hidden host addresses (mDNS): cannot rule out a public address', () => {
    const v = natVerdict(facts({ publicAddress: 'unknown', m: 'EIM', f: 'APDF' }));
    expect(v.label).toBe('Port-restricted cone NAT');
    expect(v.caveats.join(' ')).toMatch(/hides its local addresses/);
  });

  it('every combination yields a label, an explanation and at least one piece of advice', () => {
    for (const udp of ['answered', 'no-answer', 'not-tested'] as const)
      for (const tcpRelay of ['ok', 'failed', 'not-tested'] as const)
      for (const tlsRelay of ['ok', 'failed', 'not-configured', 'not-tested'] as const)
        for (const publicAddress of ['yes', 'no', 'unknown'] as const)
          for (const m of MAPPINGS)
            for (const f of FILTERINGS) {
              const v = natVerdict(facts({ udp, tcpRelay, tlsRelay, publicAddress, m, f }));
              expect(v.ipv6.label).toMatch(/^IPv6: /);
              if (v.kind === 'no-connectivity') expect([tcpRelay, tlsRelay]).not.toContain('ok');
              expect(v.label.length).toBeGreaterThan(5);
              expect(v.explanation.length).toBeGreaterThan(40);
              expect(v.advice.length).toBeGreaterThan(0);
              if (v.certain) expect(v.caveats).toEqual([]);
            }
  });
});

describe('natVerdict: the words for each kind', () => {
  const NOTHING = /^Nothing to do\. If a connection still fails, the other side\u2019s network is the likely cause\.$/;
  const TURN = /^Keep a TURN relay configured: connections that cannot go direct will still work through it/;
  const FORWARD = /^Forward a UDP port on your router to this device/;
  const UPNP = /^If your router supports UPnP or NAT-PMP\/PCP/;
  const OTHER = /^Try another network/;
  const cases: Array<[string, Partial<DiagnosisFacts> & { m?: MappingBehavior; f?: FilteringBehavior }, NatKind, RegExp, Array<RegExp | string>]> = [
    ['public, filtered', { publicAddress: 'yes', f: 'ADF' }, 'open', /^This device has a public address, so there is no address translation\. A firewall may still drop/, [NOTHING]],
    ['full cone', { f: 'EIF' }, 'full-cone', /^Your router gives this device one public address and port for all destinations and lets anyone send to it\./, [NOTHING]],
    ['restricted cone', { f: 'ADF' }, 'restricted-cone', /only lets in packets from addresses this device has already sent to/, ['Usually nothing to do.', TURN]],
    ['port-restricted cone', { f: 'APDF' }, 'port-restricted-cone', /only lets in packets from the exact address and port this device sent to/, [FORWARD, UPNP, TURN]],
    ['symmetric', { m: 'APDM' }, 'symmetric', /^Your router picks a new public port for every destination/, [FORWARD, UPNP, OTHER, TURN]],
    ['cone', { f: 'not-determined' }, 'cone', /whether it lets in packets from peers you have not contacted could not be tested/, ['Usually nothing to do.', TURN]],
    ['UDP blocked, TCP relay untested', { udp: 'no-answer', tcpRelay: 'not-tested' }, 'udp-blocked', /^UDP is blocked; a TURN relay over TCP is assumed to get through \(it was not tested\) \u2014 calls will work/,
      [/^Nothing to change for calls to work: keep the TURN relay configured\.$/, /ask the network administrator to allow outgoing UDP/, OTHER]],
    ['UDP blocked, TCP relay on an unknown port', { udp: 'no-answer', tcpRelay: 'ok' }, 'udp-blocked', /^UDP is blocked; only TURN over TCP gets through \u2014/, [/./, /./, OTHER]],
    ['nothing gets through', { udp: 'no-answer', tcpRelay: 'failed', tlsRelay: 'failed' }, 'no-connectivity',
      /^Nothing reached the server: UDP, a TURN relay over TCP, a TURN relay over TLS \u2014 all failed\. Peer-to-peer connections from this network will most likely fail\.$/,
      [/^Check for a firewall or proxy that blocks non-web traffic/, OTHER]],
    ['only UDP tried', { udp: 'no-answer', tcpRelay: 'failed', tlsRelay: 'not-tested' }, 'no-connectivity', /^Nothing reached the server: UDP, a TURN relay over TCP \u2014 all failed/,
      [/^Check for a firewall/, OTHER]],
    ['mapping not determined', { m: 'not-determined' }, 'undetermined', /^UDP to the server works, but the NAT type could not be determined: mapping evidence\.$/, [TURN]],
  ];
  for (const [name, over, kind, explanation, advice] of cases) {
    it(`${name} → ${kind}`, () => {
      const v = natVerdict(facts(over));
      expect(v.kind).toBe(kind);
      expect(v.explanation).toMatch(explanation);
      expect(v.advice).toHaveLength(advice.length);
      advice.forEach((a, i) => (typeof a === 'string' ? expect(v.advice[i]).toBe(a) : expect(v.advice[i]).toMatch(a)));
    });
  }

  it('each kind has its own label', () => {
    expect(NAT_KIND_LABELS).toEqual({
      open: 'No NAT (public address)',
      'full-cone': 'Full cone NAT',
      'restricted-cone': 'Restricted cone NAT',
      'port-restricted-cone': 'Port-restricted cone NAT',
      symmetric: 'Symmetric NAT',
      cone: 'Cone NAT (filtering not determined)',
      'udp-blocked': 'UDP blocked (TCP relay only)',
      'tls-relay-only': 'UDP blocked (TLS relay only)',
      'no-connectivity': 'No connectivity to the server',
      'same-machine': 'Same machine as the server (NAT not tested)',
      undetermined: 'NAT type not determined',
    });
  });

  it('IPv6 and hairpinning in words, for every state', () => {
    const sm = (r: RegExp) => expect.stringMatching(r);
    const own = { address: '2a01:4f8:1:2::5', port: 40000 };
    const ipv6 = (over: Partial<DiagnosisFacts> & { f?: FilteringBehavior }) => natVerdict(facts(over)).ipv6;
    expect(ipv6({ f: 'EIF', mappedAddress: own, hostAddresses: [own.address] })).toEqual({ state: 'open', label: 'IPv6: public, open', explanation: sm(/nothing filters incoming IPv6 UDP/) });
    expect(ipv6({ f: 'ADF', mappedAddress: own, hostAddresses: [own.address] })).toEqual({ state: 'firewalled', label: 'IPv6: public, firewalled', explanation: sm(/a firewall lets in only answers to what it sent/) });
    expect(ipv6({ f: 'not-determined', mappedAddress: own, hostAddresses: [own.address] })).toEqual({ state: 'public', label: 'IPv6: public (firewall not tested)', explanation: sm(/could not be tested \(the server was not reached over IPv6\)/) });
    // Reached over IPv6 but UDP did not answer: the filtering test says nothing about IPv6.
    expect(ipv6({ udp: 'no-answer', f: 'EIF', mappedAddress: own, hostAddresses: [own.address] }).state).toBe('public');
    // The server saw a global IPv6 address that is not one of this device's: no claim about a firewall here.
    expect(ipv6({ f: 'EIF', mappedAddress: own, hostAddresses: ['2a01:4f8:1:2::6'] }).state).toBe('public');
    expect(ipv6({ hostAddresses: ['10.0.0.2'] })).toEqual({ state: 'none', label: 'IPv6: no public address', explanation: sm(/^This device has no public IPv6 address, so only IPv4 counts\.$/) });
    expect(ipv6({})).toEqual({ state: 'unknown', label: 'IPv6: not known', explanation: sm(/hides this device\u2019s addresses/) });
    expect(natVerdict(facts({ hairpin: 'not-applicable' })).hairpin).toEqual({ state: 'not-applicable', label: 'No NAT on the way, so hairpinning does not apply.' });
    expect(natVerdict(facts({})).hairpin).toEqual({ state: 'not-tested', label: sm(/^Hairpinning .* was not tested\.$/) });
  });
});

describe('natVerdict: what each verdict tells the prediction and the reader beyond its name', () => {
  it('every behavior still possible goes to the prediction: one when measured, two when a one-address server left two, all three when nothing was learnt', () => {
    const b = (over: Parameters<typeof facts>[0]) => natVerdict(facts(over)).behavior;
    expect(b({ m: 'ADM', f: 'EIF' })).toMatchObject({ udp: 'yes', mappings: ['ADM'], filterings: ['EIF'] });
    expect(b({ m: 'APDM', f: 'ADF' })).toMatchObject({ mappings: ['APDM'], filterings: ['ADF'] });
    expect(b({ m: 'ADM-or-APDM', f: 'ADF-or-APDF' })).toMatchObject({ mappings: ['ADM', 'APDM'], filterings: ['ADF', 'APDF'] });
    expect(b({ m: 'not-determined', f: 'not-determined' })).toMatchObject({ udp: 'yes', mappings: ['EIM', 'ADM', 'APDM'], filterings: ['EIF', 'ADF', 'APDF'] });
    // No TLS relay result in the facts (an older page): not tested.
    expect(b({}).tlsRelay).toBe('not-tested');
  });

  it('the mapping and filtering rows: the behavior, its label and what was seen', () => {
    const v = natVerdict(facts({ m: 'EIM', f: 'APDF' }));
    expect(v.mapping).toEqual({ behavior: 'EIM', label: 'Endpoint-independent mapping', evidence: 'mapping evidence' });
    expect(v.filtering).toEqual({ behavior: 'APDF', label: 'Address and port-dependent filtering', evidence: 'filtering evidence' });
  });

  it('caveats only where they change the answer: none for a measured NAT, none on the mapping when either mapping is symmetric', () => {
    const full = natVerdict(facts({ f: 'EIF' }));
    expect(full.caveats).toEqual([]);
    expect(full.certain).toBe(true);
    // ADM or APDM: symmetric either way, so the missing port test is no reason for doubt.
    const sym = natVerdict(facts({ m: 'ADM-or-APDM', f: 'APDF' }));
    expect(sym.kind).toBe('symmetric');
    expect(sym.caveats).toEqual([]);
    expect(sym.certain).toBe(true);
  });

  it('a public address behind a one-address server: the mapping is the device\u2019s own (EIM), no caveat about it', () => {
    const v = natVerdict(facts({ publicAddress: 'yes', m: 'EIM-or-ADM', f: 'EIF' }));
    expect(v.kind).toBe('open');
    expect(v.behavior.mappings).toEqual(['EIM']);
    expect(v.caveats).toEqual([]);
  });

  it('no mapping or filtering caveats where nothing was classified: no connectivity, undetermined (even with hidden addresses)', () => {
    const dead = natVerdict(facts({ udp: 'no-answer', tcpRelay: 'failed', tlsRelay: 'failed', m: 'not-determined', f: 'not-determined' }));
    expect(dead.kind).toBe('no-connectivity');
    expect(dead.caveats).toEqual([]);
    const unknown = natVerdict(facts({ publicAddress: 'unknown', m: 'not-determined', f: 'not-determined' }));
    expect(unknown.kind).toBe('undetermined');
    expect(unknown.caveats).toEqual([]);
    expect(unknown.explanation).toBe('UDP to the server works, but the NAT type could not be determined: mapping evidence.');
  });

  it('on the server\u2019s own machine nothing about a NAT is known: every behavior possible, hairpinning not tested, the loopback address named', () => {
    const v = natVerdict(facts({ m: 'EIM-or-ADM', f: 'EIF-or-ADF', hairpin: 'works', mappedAddress: { address: '127.0.0.1', port: 50000 } }));
    expect(v.kind).toBe('same-machine');
    expect(v.behavior).toMatchObject({ udp: 'unknown', hairpin: 'unknown', mappings: ['EIM', 'ADM', 'APDM'], filterings: ['EIF', 'ADF', 'APDF'] });
    expect(v.hairpin.state).toBe('not-tested');
    expect(v.explanation).toMatch(/^The server saw this browser at 127\.0\.0\.1:50000, a loopback address: the page was opened on the server\u2019s own machine \(localhost\)/);
  });

  it('IPv6 in the prediction: public → yes, none → no, not known → unknown', () => {
    expect(natVerdict(facts({ hostAddresses: ['10.0.0.2', '2a01:4f8:1:2::5'] })).behavior.ipv6).toBe('yes');
    expect(natVerdict(facts({ hostAddresses: ['10.0.0.2'] })).behavior.ipv6).toBe('no');
    expect(natVerdict(facts({ hostAddresses: [] })).behavior.ipv6).toBe('unknown');
    // One address hidden behind an mDNS name is enough not to know.
    expect(natVerdict(facts({ hostAddresses: ['10.0.0.2', '0c2b.local'] })).ipv6.state).toBe('unknown');
  });

  it('no connectivity: lists only what was tried and failed, gives the TLS reason only when TLS failed, the port-443 hint when TLS is not offered', () => {
    const tlsOnlyTried = natVerdict(facts({ udp: 'no-answer', tcpRelay: 'not-tested', tlsRelay: 'failed' }));
    expect(tlsOnlyTried.explanation).toMatch(/^Nothing reached the server: UDP, a TURN relay over TLS \u2014 all failed\./);
    // The reason the page recorded for a TLS relay the server does not offer is not a failure.
    const noTls = natVerdict(facts({ udp: 'no-answer', tcpRelay: 'failed', tlsRelay: 'not-configured', tlsRelayReason: 'the server offers no TURN over TLS' }));
    expect(noTls.advice.join(' ')).not.toMatch(/TURN over TLS failed/);
    expect(noTls.advice.join(' ')).toMatch(/TURN over TLS on port 443 would get through/);
    // Facts from a page that did not test TLS at all: the same hint.
    const { tlsRelay: _omitted, ...older } = facts({ udp: 'no-answer', tcpRelay: 'failed' });
    const old = natVerdict(older);
    expect(old.kind).toBe('no-connectivity');
    expect(old.advice.join(' ')).toMatch(/TURN over TLS on port 443 would get through/);
    expect(natVerdict(facts({ udp: 'no-answer', tcpRelay: 'failed', tlsRelay: 'failed' })).advice.join(' ')).not.toMatch(/port 443 would get through/);
  });
});
