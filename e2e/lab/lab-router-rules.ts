// iptables rules that turn a router namespace into each NAT kind. Pure: returns argument lists; the builder
// runs them with `ip netns exec <router> iptables …`. Recipes verified in issue 4; `wan0` is the public side,
// `lan0` the LAN bridge.
import type { LabRouter } from './lab-topology';

/** xt_recent list name used by the restricted-cone filter (cleared between tests, see lab-builder.ts). */
export const RECENT_LIST = 'p2l-contacted';

export function routerRules(router: LabRouter, hostAddress: string): string[][] {
  const wan = router.wanAddress;
  // Port-restricted and symmetric: without this drop, a peer's early check creates a conntrack entry on the
  // router, the host's later outbound mapping collides with it and gets another port (symmetric behavior).
  const dropUnsolicited = ['-A', 'INPUT', '-i', 'wan0', '-m', 'conntrack', '--ctstate', 'NEW', '-j', 'DROP'];
  const oneToOne = [
    ['-t', 'nat', '-A', 'POSTROUTING', '-o', 'wan0', '-s', hostAddress, '-j', 'SNAT', '--to-source', wan],
    ['-t', 'nat', '-A', 'PREROUTING', '-i', 'wan0', '-d', wan, '-j', 'DNAT', '--to-destination', hostAddress],
  ];
  const masquerade = ['-t', 'nat', '-A', 'POSTROUTING', '-o', 'wan0', '-j', 'MASQUERADE'];
  switch (router.kind) {
    case 'full-cone':
      return oneToOne;
    case 'restricted':
      // Address-restricted: inbound only from addresses the LAN has sent to (any port).
      return [
        ...oneToOne,
        ['-A', 'FORWARD', '-i', 'lan0', '-o', 'wan0', '-m', 'recent', '--name', RECENT_LIST, '--rdest', '--set', '-j', 'ACCEPT'],
        ['-A', 'FORWARD', '-i', 'wan0', '-m', 'conntrack', '--ctstate', 'ESTABLISHED,RELATED', '-j', 'ACCEPT'],
        ['-A', 'FORWARD', '-i', 'wan0', '-m', 'recent', '--name', RECENT_LIST, '--rsource', '--rcheck', '-j', 'ACCEPT'],
        ['-A', 'FORWARD', '-i', 'wan0', '-j', 'DROP'],
      ];
    case 'port-restricted':
      return [masquerade, dropUnsolicited];
    case 'symmetric':
      return [[...masquerade, '--random-fully'], dropUnsolicited];
    case 'udp-blocked':
      return [masquerade, dropUnsolicited, ['-A', 'FORWARD', '-i', 'lan0', '-p', 'udp', '-j', 'DROP']];
  }
}
