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

export interface LabRouter {
  name: string;
  ns: string;
  /** NAT recipe this router applies (see lab-router-rules.ts). */
  kind: Exclude<NatKind, 'open'>;
  wanAddress: string;
  /** /24 prefix of the LAN, e.g. "10.3.0"; the router is .1, hosts .2, .3. */
  lanPrefix: string;
}

export interface LabHost {
  name: string;
  ns: string;
  kind: NatKind;
  /** Router namespace name, or null for an open host on the internet bridge. */
  router: string | null;
  address: string;
  gateway: string;
  /** The address the rest of the lab sees this host's traffic come from (router WAN or its own). */
  publicAddress: string;
  expectedDiscovery: NatDiscoveryResult;
}

export interface LabServer {
  ns: string;
  /** First public address: the page, /ws, STUN/TURN. */
  primary: string;
  /** Second public address (RFC 5780 CHANGE-REQUEST "other address"). */
  alternate: string;
  httpPort: number;
  turnPort: number;
  turnAltPort: number;
  /** CIDRs that hold the lab's "public" addresses (for the relay's allow-list). */
  publicCidrs: string[];
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

function buildTopology(): LabTopology {
  const internetNs = `${LAB_PREFIX}inet`;
  const routers: LabRouter[] = [];
  const hosts: LabHost[] = [];
  const natKinds = NAT_KINDS.filter((k): k is Exclude<NatKind, 'open'> => k !== 'open');
  let n = 0;
  const addRouter = (name: string, kind: Exclude<NatKind, 'open'>, hostNames: string[]): void => {
    n += 1;
    const router: LabRouter = { name, ns: `${LAB_PREFIX}r-${name}`, kind, wanAddress: `${INTERNET_PREFIX}.${10 + n}`, lanPrefix: `10.${n}.0` };
    routers.push(router);
    hostNames.forEach((hostName, i) => {
      hosts.push({
        name: hostName,
        ns: `${LAB_PREFIX}h-${hostName}`,
        kind,
        router: router.ns,
        address: `${router.lanPrefix}.${2 + i}`,
        gateway: `${router.lanPrefix}.1`,
        publicAddress: router.wanAddress,
        expectedDiscovery: EXPECTED_DISCOVERY[kind],
      });
    });
  };
  for (const kind of natKinds) {
    for (const suffix of ['a', 'b']) addRouter(`${kind}-${suffix}`, kind, [`${kind}-${suffix}`]);
  }
  // Two hosts behind one home router (port-restricted, the most common kind) for the same-LAN pair.
  addRouter('home', 'port-restricted', ['lan-a', 'lan-b']);
  ['a', 'b'].forEach((suffix, i) => {
    const address = `${INTERNET_PREFIX}.${101 + i}`;
    hosts.push({
      name: `open-${suffix}`,
      ns: `${LAB_PREFIX}h-open-${suffix}`,
      kind: 'open',
      router: null,
      address,
      gateway: `${INTERNET_PREFIX}.1`,
      publicAddress: address,
      expectedDiscovery: EXPECTED_DISCOVERY.open,
    });
  });
  return {
    internetNs,
    internetPrefix: INTERNET_PREFIX,
    server: {
      ns: internetNs,
      primary: `${INTERNET_PREFIX}.1`,
      alternate: '203.0.113.1',
      httpPort: 8080,
      turnPort: 3478,
      turnAltPort: 3479,
      publicCidrs: [`${INTERNET_PREFIX}.0/24`, '203.0.113.0/24'],
    },
    routers,
    hosts,
  };
}

export const LAB: LabTopology = buildTopology();

export function labHost(name: string): LabHost {
  const host = LAB.hosts.find((h) => h.name === name);
  if (!host) throw new Error(`no lab host named "${name}" (have: ${LAB.hosts.map((h) => h.name).join(', ')})`);
  return host;
}

/** The page's base URL as every lab host must load it (ICE server URLs use the page's host). */
export function labServerUrl(): string {
  return `http://${LAB.server.primary}:${LAB.server.httpPort}`;
}

/** How we expect the settled path to look for a pair, from how the NATs behave (issue 4). */
export type ExpectedPath = 'direct-lan' | 'direct' | 'relay' | 'relay-tcp';

export interface LabPair {
  /** Stable id used in logs and the table, e.g. "port-restricted-a × symmetric-b". */
  id: string;
  a: LabHost;
  b: LabHost;
  expected: ExpectedPath;
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
export function labPairs(): LabPair[] {
  const pairs: LabPair[] = [];
  NAT_KINDS.forEach((ka, i) => {
    NAT_KINDS.slice(i).forEach((kb) => {
      const a = labHost(`${ka}-a`);
      const b = labHost(`${kb}-b`);
      pairs.push({ id: `${a.name} × ${b.name}`, a, b, expected: expectedPath(ka, kb, false) });
    });
  });
  const a = labHost('lan-a');
  const b = labHost('lan-b');
  pairs.push({ id: `${a.name} × ${b.name}`, a, b, expected: 'direct-lan' });
  return pairs;
}
