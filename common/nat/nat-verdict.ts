// The plain-language verdict at the top of the report: which NAT this network is behind, what that means for
// peer-to-peer connections, and what the person can do about it. Pure; built from the measured facts.
import { isGlobalIpv6, isLoopbackAddress } from '../net/address-ranges';
import { formatTransportAddress, type TransportAddress } from '../net/transport-address';
import {
  FILTERING_LABELS,
  MAPPING_LABELS,
  type FilteringBehavior,
  type FilteringResult,
  type MappingBehavior,
  type MappingResult,
} from './nat-behavior';

export type NatKind =
  | 'open'
  | 'full-cone'
  | 'restricted-cone'
  | 'port-restricted-cone'
  | 'symmetric'
  | 'cone'
  | 'udp-blocked'
  | 'tls-relay-only'
  | 'no-connectivity'
  | 'same-machine'
  | 'undetermined';

export const NAT_KIND_LABELS: Record<NatKind, string> = {
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
};

export interface DiagnosisFacts {
  /** Did p2pcheck's STUN server answer over UDP? */
  udp: 'answered' | 'no-answer' | 'not-tested';
  /** Did a TURN allocation over TCP succeed (a relay candidate reached over TCP)? */
  tcpRelay: 'ok' | 'failed' | 'not-tested';
  /** The same over TLS (`turns:`); 'not-configured' when the server offers none. */
  tlsRelay?: 'ok' | 'failed' | 'not-configured' | 'not-tested';
  /** The ports the TCP/TLS relay tests used (named in the verdict: "TURN over TLS on port 443"). */
  relayPorts?: { tcp: number | null; tls: number | null };
  /** Why the TLS relay test failed, when it did (for instance Firefox refusing an IP-literal turns: URL). */
  tlsRelayReason?: string | null;
  /** Is the address the server saw one of this device's own addresses? 'unknown' when the browser hides them. */
  publicAddress: 'yes' | 'no' | 'unknown';
  mapping: MappingResult;
  filtering: FilteringResult;
  /** The address the server saw (a loopback one means the page runs on the server's own machine). */
  mappedAddress?: TransportAddress | null;
  /** This device's own addresses (host candidates; '.local' names when the browser hides them). */
  hostAddresses?: readonly string[];
  /** The STUN server address the tests used: a loopback one (or "localhost") is only reachable from its own machine. */
  serverAddress?: string | null;
  /** Did packets sent to the router's own public address come back in (hairpinning)? */
  hairpin?: 'works' | 'fails' | 'not-applicable' | 'not-tested';
}

export const HAIRPIN_LABELS: Record<NonNullable<DiagnosisFacts['hairpin']>, string> = {
  works: 'Two devices behind this router can reach each other through its public address (it supports hairpinning).',
  fails:
    'Two devices behind this router cannot reach each other through its public address (no hairpinning): on the same local network they still connect directly; on separate segments of the router they need a relay.',
  'not-applicable': 'No NAT on the way, so hairpinning does not apply.',
  'not-tested': 'Hairpinning (two devices behind this router reaching each other through its public address) was not tested.',
};

export type Ipv6State = 'open' | 'firewalled' | 'public' | 'none' | 'unknown';

export const IPV6_LABELS: Record<Ipv6State, string> = {
  open: 'IPv6: public, open',
  firewalled: 'IPv6: public, firewalled',
  public: 'IPv6: public (firewall not tested)',
  none: 'IPv6: no public address',
  unknown: 'IPv6: not known',
};

/** What a peer-to-peer prediction needs to know about one side (see path-prediction.ts). */
export interface PeerBehavior {
  udp: 'yes' | 'no' | 'unknown';
  tcpRelay: DiagnosisFacts['tcpRelay'];
  tlsRelay: NonNullable<DiagnosisFacts['tlsRelay']>;
  /** A public (global) IPv6 address of its own: two such peers connect directly over IPv6 whatever their IPv4 NAT. */
  ipv6: 'yes' | 'no' | 'unknown';
  /** Its router loops packets for its own public address back in: two peers behind it reach each other that way. */
  hairpin: 'yes' | 'no' | 'unknown';
  /** Every mapping/filtering behavior still possible after the tests. */
  mappings: readonly ('EIM' | 'ADM' | 'APDM')[];
  filterings: readonly ('EIF' | 'ADF' | 'APDF')[];
}

export interface NatVerdict {
  kind: NatKind;
  label: string;
  /** False when part of the classification rests on a guess (one-address server, missing answer). */
  certain: boolean;
  /** What it means for peer-to-peer connections, in two or three sentences. */
  explanation: string;
  /** What the person can do, most useful first. */
  advice: string[];
  /** Why the verdict is not certain, if it isn't. */
  caveats: string[];
  mapping: { behavior: MappingBehavior; label: string; evidence: string };
  filtering: { behavior: FilteringBehavior; label: string; evidence: string };
  /** The verdict is per address family: `label` is IPv4's NAT (or the server's family), this is IPv6's. */
  ipv6: { state: Ipv6State; label: string; explanation: string };
  hairpin: { state: NonNullable<DiagnosisFacts['hairpin']>; label: string };
  behavior: PeerBehavior;
}

const ALL_MAPPINGS = ['EIM', 'ADM', 'APDM'] as const;
const ALL_FILTERINGS = ['EIF', 'ADF', 'APDF'] as const;

export function possibleMappings(b: MappingBehavior): PeerBehavior['mappings'] {
  switch (b) {
    case 'EIM':
    case 'ADM':
    case 'APDM':
      return [b];
    case 'EIM-or-ADM':
      return ['EIM', 'ADM'];
    case 'ADM-or-APDM':
      return ['ADM', 'APDM'];
    case 'not-determined':
      return ALL_MAPPINGS;
  }
}

export function possibleFilterings(b: FilteringBehavior): PeerBehavior['filterings'] {
  switch (b) {
    case 'EIF':
    case 'ADF':
    case 'APDF':
      return [b];
    case 'EIF-or-ADF':
      return ['EIF', 'ADF'];
    case 'ADF-or-APDF':
      return ['ADF', 'APDF'];
    case 'not-determined':
      return ALL_FILTERINGS;
  }
}

const UPNP_NOTE =
  'If your router supports UPnP or NAT-PMP/PCP, applications can open a port on it by themselves; a web page cannot use or test these protocols, so p2pcheck cannot tell whether they are available.';
const FORWARD = 'Forward a UDP port on your router to this device (only helps applications that let you choose their port).';
const OTHER_NETWORK = 'Try another network (a home connection or a phone hotspot instead of an office, school or hotel network).';
const TURN = 'Keep a TURN relay configured: connections that cannot go direct will still work through it, with extra latency.';

/** The verdict for one network. Exhaustive over the facts; never throws. */
export function natVerdict(facts: DiagnosisFacts): NatVerdict {
  const caveats: string[] = [];
  const tlsRelay = facts.tlsRelay ?? 'not-tested';
  let kind: NatKind;
  if ((facts.mappedAddress && isLoopbackAddress(facts.mappedAddress.address)) || (facts.serverAddress && isLoopbackAddress(facts.serverAddress))) {
    kind = 'same-machine';
  } else if (facts.udp !== 'answered') {
    if (facts.udp === 'not-tested') kind = 'undetermined';
    else kind = relayOnlyKind(facts.tcpRelay, tlsRelay);
    if (kind === 'udp-blocked' && facts.tcpRelay === 'not-tested') caveats.push('A relay over TCP was not tested, so it is not known whether one would work.');
  } else if (facts.publicAddress === 'yes') {
    kind = 'open';
  } else {
    kind = natKindFrom(facts.mapping.behavior, facts.filtering.behavior);
    if (facts.publicAddress === 'unknown' && kind !== 'undetermined') {
      caveats.push('The browser hides its local addresses, so p2pcheck cannot rule out that this device has a public address of its own.');
    }
  }

  const mappings = kind === 'open' ? (['EIM'] as const) : possibleMappings(facts.mapping.behavior);
  const filterings = possibleFilterings(facts.filtering.behavior);
  if (!RELAY_ONLY_KINDS.includes(kind) && kind !== 'no-connectivity' && kind !== 'undetermined' && kind !== 'same-machine') {
    if (mappings.length > 1 && kind !== 'symmetric') caveats.push(`Mapping: ${facts.mapping.evidence}.`);
    if (filterings.length > 1) caveats.push(`Filtering: ${facts.filtering.evidence}.`);
  }
  // On the server's own machine nothing was measured about a NAT: every behavior stays possible.
  const udp = kind === 'same-machine' ? 'unknown' : facts.udp === 'answered' ? 'yes' : facts.udp === 'no-answer' ? 'no' : 'unknown';
  const ipv6 = ipv6Verdict(facts);
  const hairpin = kind === 'same-machine' ? 'not-tested' : (facts.hairpin ?? 'not-tested');
  return {
    kind,
    label: NAT_KIND_LABELS[kind],
    certain: caveats.length === 0 && kind !== 'undetermined',
    ...texts(kind, facts),
    caveats,
    mapping: { behavior: facts.mapping.behavior, label: MAPPING_LABELS[facts.mapping.behavior], evidence: facts.mapping.evidence },
    filtering: { behavior: facts.filtering.behavior, label: FILTERING_LABELS[facts.filtering.behavior], evidence: facts.filtering.evidence },
    ipv6,
    hairpin: { state: hairpin, label: HAIRPIN_LABELS[hairpin] },
    behavior: {
      udp,
      tcpRelay: facts.tcpRelay,
      tlsRelay,
      ipv6: ipv6.state === 'none' ? 'no' : ipv6.state === 'unknown' ? 'unknown' : 'yes',
      hairpin: hairpin === 'works' ? 'yes' : hairpin === 'fails' ? 'no' : 'unknown',
      mappings: udp === 'no' ? [] : udp === 'unknown' ? ALL_MAPPINGS : mappings,
      filterings: udp === 'no' ? [] : udp === 'unknown' ? ALL_FILTERINGS : filterings,
    },
  };
}

/**
 * IPv6, judged apart from IPv4: a global address of the device's own is public (no NAT on IPv6). Whether a
 * firewall filters it is only known when the server itself was reached over IPv6 (then the filtering test ran
 * over IPv6: anyone got in → open, else firewalled).
 */
function ipv6Verdict(facts: DiagnosisFacts): NatVerdict['ipv6'] {
  const hosts = (facts.hostAddresses ?? []).map((h) => h.replace(/^\[|\]$/g, '').toLowerCase()); // Chromium writes IPv6 in brackets
  const mapped = facts.mappedAddress;
  const overV6 = !!mapped && mapped.address.includes(':') && isGlobalIpv6(mapped.address) && hosts.includes(mapped.address.toLowerCase());
  let state: Ipv6State;
  if (overV6 && facts.udp === 'answered') {
    const f = facts.filtering.behavior;
    state = f === 'EIF' ? 'open' : f === 'not-determined' ? 'public' : 'firewalled';
  } else if (hosts.some(isGlobalIpv6)) state = 'public';
  else if (hosts.length === 0 || hosts.some((h) => h.endsWith('.local'))) state = 'unknown';
  else state = 'none';
  const explanation: Record<Ipv6State, string> = {
    open: 'This device has a public IPv6 address and nothing filters incoming IPv6 UDP: peers with IPv6 reach it directly.',
    firewalled:
      'This device has a public IPv6 address (no NAT on IPv6); a firewall lets in only answers to what it sent. Two peers with IPv6 still connect directly: each side\u2019s own checks open its firewall for the other.',
    public:
      'This device has a public IPv6 address (no NAT on IPv6). Two peers with IPv6 connect directly over it, whatever their IPv4 NAT; whether a firewall filters incoming IPv6 could not be tested (the server was not reached over IPv6).',
    none: 'This device has no public IPv6 address, so only IPv4 counts.',
    unknown: 'The browser hides this device\u2019s addresses, so whether it has IPv6 is not known.',
  };
  return { state, label: IPV6_LABELS[state], explanation: explanation[state] };
}

const RELAY_ONLY_KINDS: readonly NatKind[] = ['udp-blocked', 'tls-relay-only'];

/**
 * No UDP: what still gets through. "No connectivity" only when every relay that was tested failed; with no
 * relay tested at all, the old "UDP blocked" guess stays (with a caveat).
 */
function relayOnlyKind(tcp: DiagnosisFacts['tcpRelay'], tls: NonNullable<DiagnosisFacts['tlsRelay']>): NatKind {
  if (tcp === 'ok') return 'udp-blocked';
  if (tls === 'ok') return 'tls-relay-only';
  return tcp === 'failed' || tls === 'failed' ? 'no-connectivity' : 'udp-blocked';
}

/** "TURN over TLS on port 443" — the port when known. */
function relayName(proto: 'TCP' | 'TLS', port: number | null | undefined): string {
  return `TURN over ${proto}${port ? ` on port ${port}` : ''}`;
}

/** Which relays got through, in one phrase: "only TURN over TLS on port 443 gets through". */
function relaysThatWork(facts: DiagnosisFacts): string {
  const works: string[] = [];
  if (facts.tcpRelay === 'ok') works.push(relayName('TCP', facts.relayPorts?.tcp));
  if (facts.tlsRelay === 'ok') works.push(relayName('TLS', facts.relayPorts?.tls));
  if (works.length === 0) return 'a TURN relay over TCP is assumed to get through (it was not tested)';
  return works.length === 1 ? `only ${works[0]} gets through` : `${works.join(' and ')} get through`;
}

/**
 * The classic names (RFC 3489 §5) from the RFC 4787 behaviors: any non-independent mapping is "symmetric";
 * otherwise the filtering decides. Where a one-address server leaves two filterings possible, the stricter
 * name is used (and a caveat says so), so the prediction errs towards needing a relay.
 */
export function natKindFrom(mapping: MappingBehavior, filtering: FilteringBehavior): NatKind {
  if (mapping === 'ADM' || mapping === 'APDM' || mapping === 'ADM-or-APDM') return 'symmetric';
  if (mapping === 'not-determined') return 'undetermined';
  switch (filtering) {
    case 'EIF':
      return 'full-cone';
    case 'ADF':
    case 'EIF-or-ADF':
      return 'restricted-cone';
    case 'APDF':
    case 'ADF-or-APDF':
      return 'port-restricted-cone';
    case 'not-determined':
      return 'cone';
  }
}

function texts(kind: NatKind, facts: DiagnosisFacts): { explanation: string; advice: string[] } {
  switch (kind) {
    case 'open':
      return {
        explanation:
          facts.filtering.behavior === 'EIF'
            ? 'This device has a public address and nothing filters incoming UDP. Other peers can reach it directly; it is the easiest network for peer-to-peer.'
            : 'This device has a public address, so there is no address translation. A firewall may still drop unsolicited packets, but peers that send first get through; direct connections are expected with almost everyone.',
        advice: ['Nothing to do. If a connection still fails, the other side\u2019s network is the likely cause.'],
      };
    case 'full-cone':
      return {
        explanation:
          'Your router gives this device one public address and port for all destinations and lets anyone send to it. Direct connections are expected with every peer that can use UDP.',
        advice: ['Nothing to do. If a connection still fails, the other side\u2019s network is the likely cause.'],
      };
    case 'restricted-cone':
      return {
        explanation:
          'Your router keeps one public address and port for all destinations but only lets in packets from addresses this device has already sent to. Both peers send at the same time during connection setup, so direct connections are expected with every peer except those whose UDP is blocked.',
        advice: ['Usually nothing to do.', TURN],
      };
    case 'port-restricted-cone':
      return {
        explanation:
          'Your router keeps one public address and port for all destinations but only lets in packets from the exact address and port this device sent to. That works when the other side is not behind a symmetric NAT; with a symmetric NAT on the other side the connection needs a relay.',
        advice: [FORWARD, UPNP_NOTE, TURN],
      };
    case 'symmetric':
      return {
        explanation:
          'Your router picks a new public port for every destination, so the address other peers learn from the server is not the one they would reach you at. Direct connections only work with peers whose NAT lets anyone in (no NAT, full cone) or only checks the address (restricted cone); everything else needs a relay.',
        advice: [FORWARD, UPNP_NOTE, OTHER_NETWORK, TURN],
      };
    case 'cone':
      return {
        explanation:
          'Your router keeps one public address and port for all destinations, which is good for peer-to-peer; whether it lets in packets from peers you have not contacted could not be tested.',
        advice: ['Usually nothing to do.', TURN],
      };
    case 'udp-blocked':
    case 'tls-relay-only':
      return {
        explanation: `UDP is blocked; ${relaysThatWork(facts)} \u2014 calls will work, relayed, with extra latency. WebRTC media and data normally use UDP, so every connection from this network goes through the TURN relay, never directly to the other peer.`,
        advice: [
          'Nothing to change for calls to work: keep the TURN relay configured.',
          'For direct connections (lower latency, no relay needed), ask the network administrator to allow outgoing UDP (at least to port 3478 and high ports).',
          OTHER_NETWORK,
        ],
      };
    case 'no-connectivity': {
      const tried = ['UDP', ...(facts.tcpRelay === 'failed' ? ['a TURN relay over TCP'] : []), ...(facts.tlsRelay === 'failed' ? ['a TURN relay over TLS'] : [])];
      return {
        explanation: `Nothing reached the server: ${tried.join(', ')} \u2014 all failed. Peer-to-peer connections from this network will most likely fail.`,
        advice: [
          ...(facts.tlsRelay === 'failed' && facts.tlsRelayReason ? [`TURN over TLS failed: ${facts.tlsRelayReason}`] : []),
          'Check for a firewall or proxy that blocks non-web traffic; ask the network administrator to allow UDP or TCP to the TURN port.',
          ...(facts.tlsRelay === 'not-configured' || facts.tlsRelay === undefined
            ? ['Networks that let only web traffic out usually still pass TLS on port 443: a TURN server offering TURN over TLS on port 443 would get through.']
            : []),
          OTHER_NETWORK,
        ],
      };
    }
    case 'same-machine':
      return {
        explanation: `${
          facts.mappedAddress && isLoopbackAddress(facts.mappedAddress.address)
            ? `The server saw this browser at ${formatTransportAddress(facts.mappedAddress)}, a loopback address`
            : `The server\u2019s STUN address is ${facts.serverAddress ?? 'a loopback address'}, which only its own machine can reach`
        }: the page was opened on the server\u2019s own machine (localhost), so the test packets never left it and no NAT or firewall was on their way. A NAT cannot be tested from the same machine.`,
        advice: [
          'To test this network for real, open the page from another device, or from this one through the server\u2019s public name or address instead of localhost, and press \u201cCheck my network\u201d again.',
        ],
      };
    case 'undetermined':
      return {
        explanation:
          facts.udp === 'not-tested'
            ? 'The tests that need p2pcheck\u2019s own server were not run, so the NAT type is unknown.'
            : `UDP to the server works, but the NAT type could not be determined: ${facts.mapping.evidence}.`,
        advice: [TURN],
      };
  }
}
