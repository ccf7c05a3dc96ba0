// iptables rules that turn a router namespace into each NAT kind. Pure: returns argument lists; the builder
// runs them with `ip netns exec <router> iptables …`. Each kind is checked against natdiscovery by the lab; `wan0` is the public side,
// `lan0` the LAN bridge.
import { LAB, type LabHost, type LabRouter } from './lab-topology';

/** xt_recent list name used by the restricted-cone filter (cleared between tests, see lab-builder.ts). */
export const RECENT_LIST = 'p2l-contacted';

export function routerRules(router: LabRouter, hosts: LabHost[]): string[][] {
  const wan = router.wanAddress;
  const hostAddress = hosts[0]?.address ?? '';
  // Port-restricted and symmetric: without this drop, a peer's early check creates a conntrack entry on the
  // router, the host's later outbound mapping collides with it and gets another port (symmetric behavior).
  const dropUnsolicited = ['-A', 'INPUT', '-i', 'wan0', '-m', 'conntrack', '--ctstate', 'NEW', '-j', 'DROP'];
  const oneToOne = [
    ['-t', 'nat', '-A', 'POSTROUTING', '-o', 'wan0', '-s', hostAddress, '-j', 'SNAT', '--to-source', wan],
    ['-t', 'nat', '-A', 'PREROUTING', '-i', 'wan0', '-d', wan, '-j', 'DNAT', '--to-destination', hostAddress],
  ];
  const masquerade = ['-t', 'nat', '-A', 'POSTROUTING', '-o', 'wan0', '-j', 'MASQUERADE'];
  // Two LAN segments that do not route to each other (guest network, VLANs), only through the public address.
  // DNS to the lab's resolver only (UDP and TCP 53): networks that block UDP still resolve names through their
  // own resolver (an office's, a hotel's), else nobody there could open a web page; the lab's stands in for it.
  const dnsToResolver = (chain: string[]) => ['udp', 'tcp'].map((proto) => [...chain, '-d', LAB.server.dns, '-p', proto, '--dport', '53', '-j', 'ACCEPT']);
  const isolateSegments = ['-A', 'FORWARD', '-i', 'lan+', '-o', 'lan+', '-m', 'conntrack', '!', '--ctstate', 'DNAT', '-j', 'DROP'];
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
    case 'carrier': // RFC 6888 REQ-1: a CGN maps endpoint-independently; filtering like a home router
      return [masquerade, dropUnsolicited];
    case 'symmetric':
      return [[...masquerade, '--random-fully'], dropUnsolicited];
    case 'udp-blocked':
      return [masquerade, dropUnsolicited, ...dnsToResolver(['-A', 'FORWARD', '-i', 'lan0']), ['-A', 'FORWARD', '-i', 'lan0', '-p', 'udp', '-j', 'DROP']];
    case 'tcp-443-only':
      // Office firewall: out only TCP to port 443 (and the answers) and DNS to the resolver; no other UDP.
      return [
        masquerade,
        dropUnsolicited,
        ['-A', 'FORWARD', '-i', 'lan0', '-o', 'wan0', '-p', 'tcp', '--dport', '443', '-j', 'ACCEPT'],
        ...dnsToResolver(['-A', 'FORWARD', '-i', 'lan0', '-o', 'wan0']),
        ['-A', 'FORWARD', '-i', 'wan0', '-o', 'lan0', '-m', 'conntrack', '--ctstate', 'ESTABLISHED,RELATED', '-j', 'ACCEPT'],
        ['-A', 'FORWARD', '-j', 'DROP'],
      ];
    case 'no-hairpin':
      return [masquerade, dropUnsolicited, isolateSegments];
    case 'hairpin': {
      // NAT loopback: a LAN packet to the public address is sent to the host that owns the port (each host's
      // ephemeral ports are a range of their own, see LabHost.portRange; MASQUERADE keeps ports), with the
      // public address as its source (RFC 4787 REQ-9), so the receiver sees what it would see from outside.
      const loop = hosts.flatMap((h) =>
        h.portRange ? [['-t', 'nat', '-A', 'PREROUTING', '-i', 'lan+', '-d', wan, '-p', 'udp', '--dport', `${h.portRange[0]}:${h.portRange[1]}`, '-j', 'DNAT', '--to-destination', h.address]] : [],
      );
      return [
        masquerade,
        ...loop,
        ['-t', 'nat', '-A', 'POSTROUTING', '-o', 'lan+', '-m', 'conntrack', '--ctstate', 'DNAT', '-j', 'SNAT', '--to-source', wan],
        dropUnsolicited,
        isolateSegments,
      ];
    }
  }
}

/** ip6tables rules of a dual-stack router: IPv6 routed without NAT; out anything, in only what answers it
 * (a stateful firewall, as home routers ship). */
export function routerRules6(): string[][] {
  return [
    ['-A', 'FORWARD', '-i', 'wan0', '-m', 'conntrack', '--ctstate', 'ESTABLISHED,RELATED', '-j', 'ACCEPT'],
    ['-A', 'FORWARD', '-i', 'wan0', '-p', 'ipv6-icmp', '-j', 'ACCEPT'],
    ['-A', 'FORWARD', '-i', 'wan0', '-j', 'DROP'],
  ];
}
