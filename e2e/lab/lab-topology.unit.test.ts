// The subset of the lab that `npm test` runs (QUICK) must stay representative and small: every NAT kind, every
// network of issue 17, every expected path, the Firefox pairs, the three relay transports — in a handful of
// items, because the lab's share of CI's 30 minutes is ~5 (docs/nat-lab.md, "What `npm test` runs").
import { describe, expect, it } from 'vitest';
import { LAB, NAT_KINDS, labPairs, labSelection, type LabHost, type LabNetwork, type LabPair } from './lab-topology';

const quick = labSelection(false);
const NETWORKS: readonly LabNetwork[] = ['tcp-443-only', 'cgnat', 'hairpin', 'no-hairpin', 'dual-stack'];
const sides = (pairs: LabPair[]): LabHost[] => pairs.flatMap((p) => [p.a, p.b]);

describe('the lab in npm test (QUICK)', () => {
  it('checks one host of every NAT kind and every network in Chromium, and Firefox behind the hosts issue 17 is about', () => {
    for (const kind of NAT_KINDS) expect(quick.chromiumHosts.some((h) => h.kind === kind && h.network === 'plain'), kind).toBe(true);
    for (const network of NETWORKS) expect(quick.chromiumHosts.some((h) => h.network === network), network).toBe(true);
    // Firefox's rows reuse the Chromium rows' natdiscovery results.
    for (const h of quick.firefoxHosts) expect(quick.chromiumHosts).toContain(h);
    const ff = quick.firefoxHosts.map((h) => h.name);
    expect(ff).toEqual(expect.arrayContaining(['symmetric-a', 'tcp443']));
    expect(quick.firefoxHosts.some((h) => h.hairpin === true)).toBe(true);
    expect(quick.firefoxHosts.some((h) => h.ipv6 !== null)).toBe(true);
  });

  it('runs every NAT kind, every network and every expected path in the normal matrix, and three Firefox pairs', () => {
    const hosts = sides(quick.pairs);
    for (const kind of NAT_KINDS) expect(hosts.some((h) => h.kind === kind && h.network === 'plain'), kind).toBe(true);
    for (const network of NETWORKS) expect(hosts.some((h) => h.network === network), network).toBe(true);
    for (const path of ['direct-lan', 'direct', 'direct-ipv6', 'relay', 'relay-tcp', 'relay-tls'] as const) {
      expect(quick.pairs.some((p) => p.expected === path), path).toBe(true);
    }
    expect(quick.pairs.filter((p) => p.firefox !== null).length).toBeGreaterThanOrEqual(3);
    // Firefox's TURN over TLS (it needs the server's DNS name) behind the office firewall.
    expect(quick.pairs.some((p) => p.firefox === 'a' && p.a.network === 'tcp-443-only' && p.expected === 'relay-tls')).toBe(true);
    // The hairpin router with NAT loopback and the one without, both as a pair (the path differs).
    expect(quick.pairs.some((p) => p.a.network === 'hairpin' && p.b.network === 'hairpin')).toBe(true);
    expect(quick.pairs.some((p) => p.a.network === 'no-hairpin' && p.b.network === 'no-hairpin')).toBe(true);
  });

  it('forces the relay over UDP on both sides, over TCP and over TLS, and behind one NAT', () => {
    const udp = (h: LabHost) => h.kind !== 'udp-blocked';
    expect(quick.relayPairs.some((p) => udp(p.a) && udp(p.b))).toBe(true);
    expect(quick.relayPairs.some((p) => [p.a, p.b].some((h) => h.kind === 'udp-blocked' && h.network === 'plain'))).toBe(true);
    expect(quick.relayPairs.some((p) => [p.a, p.b].some((h) => h.network === 'tcp-443-only'))).toBe(true);
    expect(quick.relayPairs.some((p) => p.a.router !== null && p.a.router === p.b.router)).toBe(true);
  });

  it('stays a handful: the lab in npm test aims at 5 minutes', () => {
    expect(quick.chromiumHosts.length).toBeLessThanOrEqual(12);
    expect(quick.firefoxHosts.length).toBeLessThanOrEqual(4);
    expect(quick.pairs.length).toBeLessThanOrEqual(14);
    expect(quick.relayPairs.length).toBeLessThanOrEqual(6);
    // Nothing twice.
    for (const list of [quick.chromiumHosts, quick.firefoxHosts, quick.pairs, quick.relayPairs] as unknown[][]) expect(new Set(list).size).toBe(list.length);
  });

  it('leaves everything to the full lab (npm run lab)', () => {
    const full = labSelection(true);
    expect(full.chromiumHosts).toEqual(LAB.hosts);
    expect(full.firefoxHosts).toEqual(LAB.hosts);
    expect(full.pairs).toEqual(labPairs());
    expect(full.relayPairs).toEqual(labPairs());
  });
});
