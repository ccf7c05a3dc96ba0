// The firewalls that block UDP let DNS through to the lab's resolver, and nothing else of UDP (docs/nat-lab.md,
// "The server's name and the lab's DNS"): browsers there must resolve the server's name, STUN must stay blocked.
import { describe, expect, it } from 'vitest';
import { routerRules } from './lab-router-rules';
import { LAB, labHost } from './lab-topology';

function rulesOf(hostName: string): string[][] {
  const host = labHost(hostName);
  const router = LAB.routers.find((r) => r.ns === host.router)!;
  return routerRules(router, LAB.hosts.filter((h) => h.router === router.ns));
}
const accepts = (rules: string[][], proto: string) => rules.filter((r) => r.includes('ACCEPT') && r[r.indexOf('-p') + 1] === proto);

describe('router rules of the networks that block UDP', () => {
  for (const name of ['tcp443', 'udp-blocked-a']) {
    it(`${name}: DNS (UDP and TCP 53) to the lab's resolver only, before any drop; no other UDP accepted`, () => {
      const rules = rulesOf(name);
      for (const proto of ['udp', 'tcp']) {
        const dns = rules.findIndex((r) => r.includes('ACCEPT') && r.includes(proto) && r.join(' ').includes(`-d ${LAB.server.dns} -p ${proto} --dport 53`));
        expect(dns, `${proto} 53 to ${LAB.server.dns}`).toBeGreaterThanOrEqual(0);
        const firstDrop = rules.findIndex((r) => r[0] === '-A' && r[1] === 'FORWARD' && r.includes('DROP'));
        expect(dns).toBeLessThan(firstDrop);
      }
      expect(accepts(rules, 'udp')).toHaveLength(1);
    });
  }
  it('other routers are untouched: no DNS exception where nothing blocks UDP', () => {
    expect(rulesOf('port-restricted-a').some((r) => r.includes('53'))).toBe(false);
  });
});
