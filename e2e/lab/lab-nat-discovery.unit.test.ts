import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseNatDiscovery } from './lab-nat-discovery';

// Real captures of turnutils_natdiscovery (coturn 4.6.1) run inside the lab against coturn.
const fixture = (name: string) => readFileSync(new URL(`./testdata/natdiscovery-${name}.txt`, import.meta.url), 'utf8');

describe('parseNatDiscovery', () => {
  it('reads address-dependent filtering and the server OTHER-ADDRESS', () => {
    const r = parseNatDiscovery(fixture('restricted-a-f'), '10.3.0.2');
    expect(r.filtering).toBe('ADF');
    expect(r.otherAddress).toBe('203.0.113.1:3579');
    expect(r.noResponse).toBe(false);
  });
  it('reads address-and-port-dependent mapping', () => {
    const r = parseNatDiscovery(fixture('symmetric-a-m'), '10.7.0.2');
    expect(r.mapping).toBe('APDM');
    expect(r.filtering).toBeNull();
  });
  it('reads APDF where the CHANGE-REQUEST answers time out', () => {
    expect(parseNatDiscovery(fixture('symmetric-a-f'), '10.7.0.2').filtering).toBe('APDF');
  });
  it('calls a mapping equal to the host address "no NAT"', () => {
    expect(parseNatDiscovery(fixture('open-a-m'), '198.51.100.101').mapping).toBe('no-nat');
    expect(parseNatDiscovery(fixture('open-a-m'), '10.9.9.9').mapping).toBe('EIM');
  });
  it('reports no response when UDP is dropped', () => {
    const r = parseNatDiscovery(fixture('udp-blocked-a-m'), '10.9.0.2');
    expect(r).toMatchObject({ noResponse: true, mapping: null, reflexive: null });
  });
  it('gives no verdict for output without one', () => {
    expect(parseNatDiscovery('garbage', '10.0.0.1')).toMatchObject({ mapping: null, filtering: null, noResponse: false });
  });
});

describe('parseNatDiscovery, issue 17', () => {
  // Lines of real runs in the lab: dualstack-a against coturn's IPv6 addresses, and -H behind the hairpin router.
  const v6 = [
    '-= Mapping Behavior Discovery =-',
    '0: : IPv6. Other addr: : 2001:db8:100::2:3579',
    '0: : IPv6. UDP reflexive addr: 2001:db8:17::2:50870',
    '0: : IPv6. Local addr: : :::50870',
    'NAT with Endpoint Independent Mapping!',
  ].join('\n');
  it('reads IPv6 addresses (printed without brackets) and calls a mapping to our own IPv6 "no NAT"', () => {
    const r = parseNatDiscovery(v6, '2001:db8:17::2');
    expect(r).toMatchObject({ mapping: 'no-nat', reflexive: '2001:db8:17::2:50870', otherAddress: '2001:db8:100::2:3579' });
    expect(parseNatDiscovery(v6, '2001:db8:18::2').mapping).toBe('EIM');
  });
  it('reads a hairpinning answer (-H), and its absence', () => {
    const yes = '-= Hairpinning Behavior Discovery =-\n0: : IPv4. UDP reflexive addr: 198.51.100.25:22494\nReceived a request (maybe a successful hairpinning)\n';
    expect(parseNatDiscovery(yes, '10.15.0.2').hairpin).toBe(true);
    expect(parseNatDiscovery(yes.replace(/Received.*\n/, 'STUN receive timeout..\n'), '10.15.0.2').hairpin).toBe(false);
  });
});
