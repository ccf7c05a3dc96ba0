// The NAT lab's topology as data: every namespace, address and expected behavior, in one place so the lab
// builder, the classifier check, the matrix spec and later specs (e.g. "check my network" from each host)
// agree. Pure: no side effects on import.
//
// Picture: one "internet" namespace holds a bridge (198.51.100.0/24) and p2pcheck's server with two public
// addresses (RFC 5780 needs a second IP). Each router namespace has `wan0` on that bridge and a LAN bridge
// `lan0` (10.<n>.0.0/24) with its host(s) behind it. Open hosts sit directly on the internet bridge.

export const LAB_PREFIX = 'p2l-';

/** The NAT kinds of the classic taxonomy, plus "no NAT" and "firewall that drops UDP". */
export type NatKind = 'open' | 'full-cone' | 'restricted' | 'port-restricted' | 'symmetric' | 'udp-blocked';

export const NAT_KINDS: readonly NatKind[] = ['open', 'full-cone', 'restricted', 'port-restricted', 'symmetric', 'udp-blocked'];

/** RFC 4787 / RFC 5780 vocabulary: what turnutils_natdiscovery (or our own server) should report. */
export type MappingBehavior = 'no-nat' | 'EIM' | 'ADM' | 'APDM';
export type FilteringBehavior = 'EIF' | 'ADF' | 'APDF';
export type NatDiscoveryResult =
  | { udp: 'ok'; mapping: MappingBehavior; filtering: FilteringBehavior }
  | { udp: 'blocked' };

export const EXPECTED_DISCOVERY: Record<NatKind, NatDiscoveryResult> = {
  open: { udp: 'ok', mapping: 'no-nat', filtering: 'EIF' },
  'full-cone': { udp: 'ok', mapping: 'EIM', filtering: 'EIF' },
  restricted: { udp: 'ok', mapping: 'EIM', filtering: 'ADF' },
  'port-restricted': { udp: 'ok', mapping: 'EIM', filtering: 'APDF' },
  symmetric: { udp: 'ok', mapping: 'APDM', filtering: 'APDF' },
  'udp-blocked': { udp: 'blocked' },
};

/** What a router does (see lab-router-rules.ts): the classic NAT kinds, plus the networks of issue 17. */
export type RouterRecipe =
  | Exclude<NatKind, 'open'>
  /** Office firewall: NAT, no UDP out at all, TCP out only to port 443. */
  | 'tcp-443-only'
  /** Carrier-grade NAT (RFC 6888: endpoint-independent mapping), 100.64.0.0/10 on its inside. */
  | 'carrier'
  /** Port-restricted NAT with two isolated LAN segments that reach each other only through the public
   * address: with NAT loopback ("hairpin") rules, or without. */
  | 'hairpin'
  | 'no-hairpin';

export interface LabRouter {
  name: string;
  ns: string;
  /** NAT recipe this router applies (see lab-router-rules.ts). */
  kind: RouterRecipe;
  wanAddress: string;
  /** Namespace of the router whose LAN this router's WAN sits on (CGNAT), or null for the internet bridge. */
  upstream: string | null;
  /** /24 prefix of the first LAN, e.g. "10.3.0"; the router is .1, hosts .2, .3. */
  lanPrefix: string;
  /** Every LAN segment's /24 prefix (bridges lan0, lan1 …); one for most routers. */
  lanPrefixes: string[];
  /** IPv6: the router's address on the internet bridge and its LAN's /64 (no NAT, stateful firewall). */
  ipv6: { wan: string; lanPrefix: string } | null;
}

/** What is special about a host's network beyond its IPv4 NAT kind (issue 17). */
export type LabNetwork = 'plain' | 'tcp-443-only' | 'cgnat' | 'hairpin' | 'no-hairpin' | 'dual-stack';

export interface LabHost {
  name: string;
  ns: string;
  /** How its IPv4 NAT looks from outside (what natdiscovery should find). */
  kind: NatKind;
  network: LabNetwork;
  /** Router namespace name, or null for an open host on the internet bridge. */
  router: string | null;
  address: string;
  gateway: string;
  /** The address the rest of the lab sees this host's traffic come from (router WAN or its own). */
  publicAddress: string;
  expectedDiscovery: NatDiscoveryResult;
  /** What natdiscovery must find over IPv6 (dual-stack hosts: no NAT, filtered by a stateful firewall), or null. */
  expectedDiscovery6: NatDiscoveryResult | null;
  /** What `turnutils_natdiscovery -H` must say (packets to its own public address come back), or null = not checked. */
  hairpin: boolean | null;
  /** Global IPv6 address (dual-stack hosts), or null: IPv6 is off. */
  ipv6: string | null;
  /** Ephemeral port range of the host (`net.ipv4.ip_local_port_range`), for routers that forward by port. */
  portRange: [number, number] | null;
  /** The page's base URL as this host loads it (the TCP-443-only host can only reach port 443). */
  pageUrl: string;
  /** Dual-stack hosts: the IPv6-only p2pcheck's page (LabServer.v6Only), where "Check my network" runs over IPv6. */
  pageUrl6: string | null;
}

export interface LabServer {
  ns: string;
  /** First public address: the page, /ws, STUN/TURN, TURN over TLS on 443. */
  primary: string;
  /** Second public address (RFC 5780 CHANGE-REQUEST "other address"). */
  alternate: string;
  /** Third address: the page on port 443 (plain HTTP, redirected to httpPort), for the TCP-443-only host.
   * The page and TURN over TLS both on 443 need two addresses (or a TLS-aware front). */
  page443: string;
  httpPort: number;
  turnPort: number;
  turnAltPort: number;
  turnTlsPort: number;
  /** IPv6 of the server (primary, alternate) on the internet bridge; only dual-stack hosts can reach it. */
  ipv6: { primary: string; alternate: string; prefix: string };
  /** A second, IPv6-only p2pcheck beside the first (lab-server.ts): the page tests one address family, the one
   * of the ICE host it is given, so the dual-stack hosts' IPv6 firewall is tested on a page served from here. */
  v6Only: { primary: string; alternate: string; httpPort: number };
  /** CIDRs that hold the lab's "public" addresses (for the relay's allow-list). */
  publicCidrs: string[];
  /** The lab's DNS resolver (lab-dns.ts), UDP and TCP port 53: every lab namespace's resolv.conf names it. */
  dns: string;
}

export interface LabTopology {
  internetNs: string;
  /** Subnet of the internet bridge. */
  internetPrefix: string;
  server: LabServer;
  routers: LabRouter[];
  hosts: LabHost[];
}

const INTERNET_PREFIX = '198.51.100';
const V6_PREFIX = '2001:db8:100';
/** The carrier NAT's inside (RFC 6598 shared address space). */
const CGN_PREFIX = '100.64.0';

function buildTopology(): LabTopology {
  const internetNs = `${LAB_PREFIX}inet`;
  const routers: LabRouter[] = [];
  const hosts: LabHost[] = [];
  const natKinds = NAT_KINDS.filter((k): k is Exclude<NatKind, 'open'> => k !== 'open');
  const server = {
    ns: internetNs,
    primary: `${INTERNET_PREFIX}.1`,
    alternate: '203.0.113.1',
    page443: `${INTERNET_PREFIX}.2`,
    httpPort: 8080,
    turnPort: 3478,
    turnAltPort: 3479,
    turnTlsPort: 443,
    ipv6: { primary: `${V6_PREFIX}::1`, alternate: `${V6_PREFIX}::2`, prefix: `${V6_PREFIX}::/64` },
    v6Only: { primary: `${V6_PREFIX}::3`, alternate: `${V6_PREFIX}::4`, httpPort: 8086 },
    publicCidrs: [`${INTERNET_PREFIX}.0/24`, '203.0.113.0/24'],
    dns: `${INTERNET_PREFIX}.53`,
  };
  const defaultPage = `http://${server.primary}:${server.httpPort}`;
  let n = 0;
  interface RouterOptions {
    upstream?: LabRouter;
    segments?: number;
    ipv6?: boolean;
  }
  /** hostNames[i] goes on segment i (when the router has several) or all on the first. */
  const addRouter = (name: string, kind: RouterRecipe, hostNames: string[], host: Partial<Pick<LabHost, 'kind' | 'network' | 'hairpin' | 'pageUrl'>> = {}, opts: RouterOptions = {}): LabRouter => {
    n += 1;
    const segments = opts.segments ?? 1;
    const lanPrefixes = kind === 'carrier' ? [CGN_PREFIX] : Array.from({ length: segments }, (_, i) => `10.${n}.${i}`);
    const router: LabRouter = {
      name,
      ns: `${LAB_PREFIX}r-${name}`,
      kind,
      wanAddress: opts.upstream ? `${opts.upstream.lanPrefix}.${2 + routers.filter((r) => r.upstream === opts.upstream!.ns).length}` : `${INTERNET_PREFIX}.${10 + n}`,
      upstream: opts.upstream?.ns ?? null,
      lanPrefix: lanPrefixes[0]!,
      lanPrefixes,
      ipv6: opts.ipv6 ? { wan: `${V6_PREFIX}::${10 + n}`, lanPrefix: `2001:db8:${n}::` } : null,
    };
    routers.push(router);
    const publicAddress = opts.upstream ? opts.upstream.wanAddress : router.wanAddress;
    hostNames.forEach((hostName, i) => {
      const segment = segments > 1 ? i : 0;
      const kindOfHost = host.kind ?? (kind as NatKind);
      hosts.push({
        name: hostName,
        ns: `${LAB_PREFIX}h-${hostName}`,
        kind: kindOfHost,
        network: host.network ?? 'plain',
        router: router.ns,
        address: `${lanPrefixes[segment]}.${segments > 1 ? 2 : 2 + i}`,
        gateway: `${lanPrefixes[segment]}.1`,
        publicAddress,
        expectedDiscovery: EXPECTED_DISCOVERY[kindOfHost],
        hairpin: host.hairpin ?? null,
        ipv6: router.ipv6 ? `${router.ipv6.lanPrefix}2` : null,
        expectedDiscovery6: router.ipv6 ? { udp: 'ok', mapping: 'no-nat', filtering: 'APDF' } : null,
        // Routers that forward by port (hairpin) need each host's ports apart: 20000–29999, 30000–39999.
        portRange: segments > 1 ? [20000 + 10000 * i, 29999 + 10000 * i] : null,
        pageUrl: host.pageUrl ?? defaultPage,
        pageUrl6: router.ipv6 ? `http://[${server.v6Only.primary}]:${server.v6Only.httpPort}` : null,
      });
    });
    return router;
  };
  for (const kind of natKinds) {
    for (const suffix of ['a', 'b']) addRouter(`${kind}-${suffix}`, kind, [`${kind}-${suffix}`]);
  }
  // Two hosts behind one home router (port-restricted, the most common kind) for the same-LAN pair.
  addRouter('home', 'port-restricted', ['lan-a', 'lan-b']);
  // Issue 17: the networks many people are behind. An office firewall that lets out only TCP to port 443 …
  addRouter('tcp443', 'tcp-443-only', ['tcp443'], { kind: 'udp-blocked', network: 'tcp-443-only', pageUrl: `http://${server.page443}:443` });
  // … a home NAT behind a carrier-grade NAT (the mobile or ISP carrier's), 100.64.0.0/10 in between …
  const carrier = addRouter('cgn', 'carrier', []);
  addRouter('cgnat-home', 'port-restricted', ['cgnat'], { kind: 'port-restricted', network: 'cgnat' }, { upstream: carrier });
  // … two devices on separate segments of one router, which reach each other only through its public address
  // (with NAT loopback, and without) …
  addRouter('hairpin', 'hairpin', ['hairpin-a', 'hairpin-b'], { kind: 'port-restricted', network: 'hairpin', hairpin: true }, { segments: 2 });
  addRouter('no-hairpin', 'no-hairpin', ['nohairpin-a', 'nohairpin-b'], { kind: 'port-restricted', network: 'no-hairpin', hairpin: false }, { segments: 2 });
  // … and dual-stack hosts: IPv4 behind a symmetric NAT, global IPv6 behind a stateful firewall.
  for (const suffix of ['a', 'b']) addRouter(`dualstack-${suffix}`, 'symmetric', [`dualstack-${suffix}`], { kind: 'symmetric', network: 'dual-stack' }, { ipv6: true });
  ['a', 'b'].forEach((suffix, i) => {
    const address = `${INTERNET_PREFIX}.${101 + i}`;
    hosts.push({
      name: `open-${suffix}`,
      ns: `${LAB_PREFIX}h-open-${suffix}`,
      kind: 'open',
      network: 'plain',
      router: null,
      address,
      gateway: `${INTERNET_PREFIX}.1`,
      publicAddress: address,
      expectedDiscovery: EXPECTED_DISCOVERY.open,
      hairpin: null,
      ipv6: null,
      expectedDiscovery6: null,
      portRange: null,
      pageUrl: defaultPage,
      pageUrl6: null,
    });
  });
  return { internetNs, internetPrefix: INTERNET_PREFIX, server, routers, hosts };
}

export const LAB: LabTopology = buildTopology();

/** The name the TLS certificate is issued for, and the host the ICE server URLs name (the server's ICE_HOST):
 * Firefox ignores `turns:` URLs whose host is an IP literal (issue 17), and a real deployment has a name too.
 * Every lab namespace resolves it to the primary address twice over: its hosts file (/etc/netns/<ns>/hosts, for
 * page loads, openssl and Firefox) and the lab's DNS responder (lab-dns.ts; Chromium looks STUN/TURN names up
 * with its own DNS client, and Firefox asks DNS for the AAAA record the hosts file lacks). */
export const LAB_TLS_NAME = 'turn.p2l.test';

export const LAB_ICE_HOST = LAB_TLS_NAME;

/** A `turns:` URL with the server's IP literal, for the check that the page explains why Firefox skips it. */
export const LAB_TURNS_IP_URL = `turns:${LAB.server.primary}:${LAB.server.turnTlsPort}?transport=tcp`;

export function labHost(name: string): LabHost {
  const host = LAB.hosts.find((h) => h.name === name);
  if (!host) throw new Error(`no lab host named "${name}" (have: ${LAB.hosts.map((h) => h.name).join(', ')})`);
  return host;
}

/** The page's base URL as the classic lab hosts load it (ICE server URLs use ICE_HOST = the primary address). */
export function labServerUrl(): string {
  return `http://${LAB.server.primary}:${LAB.server.httpPort}`;
}

/** How we expect the settled path to look for a pair, from how the NATs behave (issues 4 and 17). */
export type ExpectedPath = 'direct-lan' | 'direct' | 'direct-ipv6' | 'relay' | 'relay-tcp' | 'relay-tls';

export interface LabPair {
  /** Stable id used in logs and the table, e.g. "port-restricted-a × symmetric-b". */
  id: string;
  a: LabHost;
  b: LabHost;
  expected: ExpectedPath;
  /** Issue 17's pairs (new networks), shown in their own table. */
  extra: boolean;
  /** Why this expectation, for the doc's table (extra pairs only). */
  why?: string;
  /** Which side runs Firefox ESR instead of Chromium (the Firefox pairs), or null. */
  firefox: 'a' | 'b' | null;
}

const EASY: readonly NatKind[] = ['open', 'full-cone'];

export function expectedPath(a: NatKind, b: NatKind, sameLan: boolean): ExpectedPath {
  if (sameLan) return 'direct-lan';
  if (a === 'udp-blocked' || b === 'udp-blocked') return 'relay-tcp';
  if (EASY.includes(a) || EASY.includes(b)) return 'direct';
  if (a === 'restricted' || b === 'restricted') return 'direct';
  if (a === 'port-restricted' && b === 'port-restricted') return 'direct';
  return 'relay'; // port-restricted ↔ symmetric, symmetric ↔ symmetric
}

/** Every kind against every kind (same kind through two different routers), plus the same-LAN pair. */
export function classicPairs(): LabPair[] {
  const pairs: LabPair[] = [];
  NAT_KINDS.forEach((ka, i) => {
    NAT_KINDS.slice(i).forEach((kb) => {
      const a = labHost(`${ka}-a`);
      const b = labHost(`${kb}-b`);
      pairs.push({ id: `${a.name} × ${b.name}`, a, b, expected: expectedPath(ka, kb, false), extra: false, firefox: null });
    });
  });
  const a = labHost('lan-a');
  const b = labHost('lan-b');
  pairs.push({ id: `${a.name} × ${b.name}`, a, b, expected: 'direct-lan', extra: false, firefox: null });
  return pairs;
}

/** Issue 17's networks against the classic ones: a representative subset, each pair showing something new. */
export function extraPairs(): LabPair[] {
  const pair = (a: string, b: string, expected: ExpectedPath, why: string): LabPair => ({ id: `${a} × ${b}`, a: labHost(a), b: labHost(b), expected, extra: true, why, firefox: null });
  return [
    pair('tcp443', 'open-b', 'relay-tls', 'only TCP to 443 gets out: TURN over TLS on 443'),
    pair('tcp443', 'symmetric-b', 'relay-tls', 'the same against the hardest NAT'),
    pair('tcp443', 'udp-blocked-b', 'relay-tls', 'TLS relay on one side, TCP relay on the other'),
    pair('cgnat', 'full-cone-b', 'direct', 'two cone NATs in a row (EIM+EIM) still map independently; a full cone opens the way'),
    pair('cgnat', 'port-restricted-b', 'direct', 'EIM behind EIM: hole punching works as with one port-restricted NAT'),
    pair('cgnat', 'symmetric-b', 'relay', 'port-restricted (through the CGN) against symmetric'),
    pair('hairpin-a', 'hairpin-b', 'direct', 'separate segments; the router loops packets to its public address back in'),
    pair('nohairpin-a', 'nohairpin-b', 'relay', 'separate segments; no NAT loopback, so no direct path at all'),
    pair('dualstack-a', 'dualstack-b', 'direct-ipv6', 'IPv4 symmetric on both sides, but global IPv6 behind stateful firewalls'),
    pair('dualstack-a', 'symmetric-b', 'relay', 'the other side has IPv4 only: symmetric against symmetric'),
    pair('dualstack-b', 'open-a', 'direct', 'IPv4: symmetric against a public address'),
  ];
}

/** Firefox ESR (side a) against Chromium: the Firefox cases of issue 17 and a few classic ones. */
export function firefoxPairs(): LabPair[] {
  const pair = (a: string, b: string, expected: ExpectedPath, why: string): LabPair => ({ id: `${a} (Firefox) × ${b}`, a: labHost(a), b: labHost(b), expected, extra: true, why, firefox: 'a' });
  return [
    pair('symmetric-a', 'port-restricted-b', 'relay', 'Firefox behind the symmetric NAT it used to call "not determined"'),
    pair('port-restricted-a', 'port-restricted-b', 'direct', 'hole punching between the two ICE agents'),
    pair('full-cone-a', 'symmetric-b', 'direct', 'a full cone opens the way for a symmetric NAT'),
    pair('open-a', 'udp-blocked-b', 'relay-tcp', 'Chromium relayed over TCP, Firefox public'),
    pair('hairpin-a', 'hairpin-b', 'direct', 'NAT loopback between Firefox and Chromium'),
    pair('dualstack-a', 'dualstack-b', 'direct-ipv6', 'IPv6 host to host through both firewalls'),
    pair('tcp443', 'open-b', 'relay-tls', 'Firefox behind the office firewall: TURN over TLS on 443, by the server\'s DNS name'),
  ];
}

/**
 * What `npm test` runs of the lab (the full lab runs under `npm run lab` / `npm run test:lab`, or with
 * P2L_FULL=1): a representative subset, chosen so that each NAT kind, each of issue 17's networks, each expected
 * path, the Firefox pairs and the three relay transports (UDP, TCP, TLS) appear at least once, and that nothing
 * appears twice without a reason. Which item covers what: docs/nat-lab.md ("What `npm test` runs"); checked by
 * lab-topology.unit.test.ts. Ids are `LabPair.id`s and `LabHost.name`s.
 */
export const QUICK = {
  /** natdiscovery (both servers) + the page in Chromium: one host per NAT kind and per network of issue 17. */
  chromiumHosts: ['open-a', 'full-cone-a', 'restricted-a', 'port-restricted-a', 'symmetric-a', 'udp-blocked-a', 'tcp443', 'cgnat', 'hairpin-a', 'nohairpin-a', 'dualstack-a'],
  /** The page in Firefox (reuses the Chromium row's natdiscovery): APDM without candidate urls, EIM +
   * hairpinning, TURN over TLS by name (and the IP-literal explanation), IPv6 firewalled. */
  firefoxHosts: ['symmetric-a', 'hairpin-a', 'tcp443', 'dualstack-a'],
  /** Normal mode (ICE chooses, each page's prediction checked). */
  pairs: [
    'open-a × full-cone-b',
    'restricted-a × symmetric-b',
    'port-restricted-a × port-restricted-b',
    'port-restricted-a × symmetric-b',
    'symmetric-a × udp-blocked-b',
    'lan-a × lan-b',
    'tcp443 × symmetric-b',
    'cgnat × port-restricted-b',
    'nohairpin-a × nohairpin-b',
    'symmetric-a (Firefox) × port-restricted-b',
    'hairpin-a (Firefox) × hairpin-b',
    'dualstack-a (Firefox) × dualstack-b',
    'tcp443 (Firefox) × open-b',
  ],
  /** With ?relay=1: UDP relay on both sides, UDP against TCP, both behind one NAT, TLS against UDP and TCP. */
  relayPairs: ['restricted-a × symmetric-b', 'port-restricted-a × udp-blocked-b', 'lan-a × lan-b', 'tcp443 × open-b', 'tcp443 × udp-blocked-b'],
} as const;

/** What one lab run covers: everything (`full`) or QUICK. */
export interface LabSelection {
  chromiumHosts: LabHost[];
  firefoxHosts: LabHost[];
  pairs: LabPair[];
  relayPairs: LabPair[];
}

export function labSelection(full: boolean): LabSelection {
  const all = labPairs();
  const byId = (ids: readonly string[]): LabPair[] =>
    ids.map((id) => {
      const pair = all.find((p) => p.id === id);
      if (!pair) throw new Error(`QUICK names a pair "${id}" the lab does not have`);
      return pair;
    });
  if (full) return { chromiumHosts: [...LAB.hosts], firefoxHosts: [...LAB.hosts], pairs: all, relayPairs: all };
  return {
    chromiumHosts: QUICK.chromiumHosts.map(labHost),
    firefoxHosts: QUICK.firefoxHosts.map(labHost),
    pairs: byId(QUICK.pairs),
    relayPairs: byId(QUICK.relayPairs),
  };
}

/** The whole matrix: the classic pairs, issue 17's networks, and the Firefox pairs. */
export function labPairs(): LabPair[] {
  return [...classicPairs(), ...extraPairs(), ...firefoxPairs()];
}
