// Which path two peers should end up on, predicted from both sides' NAT behavior, and the compatibility table
// ("with a peer behind X, expect …"). Pure. The model follows ICE (RFC 8445): each side sends checks to the
// other's server-reflexive address, and a check that gets in is answered and teaches the receiver a
// peer-reflexive address it then checks back.
import type { PathKind } from '../path-kind';
import type { PeerBehavior } from './nat-verdict';

export type PredictedPath = 'direct-lan' | 'direct' | 'relay' | 'relay-tcp' | 'relay-tls' | 'none' | 'uncertain';

export const PREDICTED_PATH_LABELS: Record<PredictedPath, string> = {
  'direct-lan': 'direct (same network)',
  direct: 'direct (peer-to-peer)',
  relay: 'relayed via TURN',
  'relay-tcp': 'relayed via TURN over TCP',
  'relay-tls': 'relayed via TURN over TLS',
  none: 'no connection',
  uncertain: 'direct or relayed (not enough known)',
};

export interface PathPrediction {
  path: PredictedPath;
  reason: string;
}

type Mapping = PeerBehavior['mappings'][number];
type Filtering = PeerBehavior['filterings'][number];
interface Side {
  m: Mapping;
  f: Filtering;
}

/**
 * Does a check from `from` to `to`'s server-reflexive address get through `to`'s NAT? Its mapping only
 * remembers destinations `to` sent to from that same mapping: with EIM, `to`'s own checks towards `from`
 * leave from it (so `from`'s IP is known; the exact port only if `from` is EIM too); otherwise they leave from
 * a fresh mapping and the reflexive one knows only the STUN server.
 */
function checkGetsIn(from: Side, to: Side): boolean {
  if (to.f === 'EIF') return true;
  if (to.m !== 'EIM') return false;
  return to.f === 'ADF' || from.m === 'EIM';
}

/** Does the answer (sent from `to`'s mapping towards `from`) get back through `from`'s NAT? */
function answerGetsBack(from: Side, to: Side): boolean {
  return from.f !== 'APDF' || to.m === 'EIM';
}

/** Direct UDP between two known behaviors. */
export function directPossible(a: Side, b: Side): boolean {
  return (checkGetsIn(a, b) && answerGetsBack(a, b)) || (checkGetsIn(b, a) && answerGetsBack(b, a));
}

function sides(p: PeerBehavior): Side[] {
  return p.mappings.flatMap((m) => p.filterings.map((f) => ({ m, f })));
}

export interface PredictOptions {
  /** Both peers leave through the same public address (one router, or one carrier NAT). */
  sameNetwork?: boolean;
  /**
   * With `sameNetwork`: are they on one local segment (their private addresses reach each other)? Absent or
   * 'unknown' when the browsers hide their addresses.
   */
  sameSegment?: 'yes' | 'no' | 'unknown';
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.\d{1,3}$/;

/**
 * Two peers behind one public address: on one local segment when they share an IPv4 /24 (the usual home and
 * office subnet), on different ones when both show IPv4 addresses and share none; unknown when either hides
 * its addresses (mDNS names).
 */
export function sameSegment(a: readonly string[], b: readonly string[]): 'yes' | 'no' | 'unknown' {
  const nets = (xs: readonly string[]) => new Set(xs.flatMap((x) => (IPV4.test(x) && !x.startsWith('127.') ? [x.replace(/\.\d{1,3}$/, '')] : [])));
  const [na, nb] = [nets(a), nets(b)];
  if (na.size === 0 || nb.size === 0) return 'unknown';
  return [...na].some((n) => nb.has(n)) ? 'yes' : 'no';
}

/**
 * How a side without UDP reaches its relay: TCP when that worked (or was not tested), TLS when only TLS worked,
 * null when every relay tested failed.
 */
function relayTransport(x: PeerBehavior): 'tcp' | 'tls' | null {
  if (x.tcpRelay === 'ok') return 'tcp';
  if (x.tlsRelay === 'ok') return 'tls';
  return x.tcpRelay === 'failed' || x.tlsRelay === 'failed' ? null : 'tcp';
}

export function predictPath(a: PeerBehavior, b: PeerBehavior, opts: PredictOptions = {}): PathPrediction {
  const blocked = [a, b].filter((x) => x.udp === 'no');
  const transports = blocked.map(relayTransport);
  if (transports.includes(null)) {
    return { path: 'none', reason: 'one side reaches the server neither over UDP nor through a TURN relay over TCP or TLS' };
  }
  if (blocked.length > 0) {
    return transports.every((t) => t === 'tls')
      ? { path: 'relay-tls', reason: 'UDP is blocked on at least one side and only its TURN relay over TLS gets through, so the connection is relayed over TLS' }
      : { path: 'relay-tcp', reason: 'UDP is blocked on at least one side, so only a TURN relay over TCP can carry the connection' };
  }
  if (opts.sameNetwork && (opts.sameSegment ?? 'unknown') === 'yes') {
    return { path: 'direct-lan', reason: 'both peers are on one local network segment, so their local addresses reach each other' };
  }
  if (a.ipv6 === 'yes' && b.ipv6 === 'yes') {
    return { path: 'direct', reason: 'both peers have a public IPv6 address: ICE connects them directly over IPv6 (each side\u2019s own checks open its firewall for the other), whatever their IPv4 NATs' };
  }
  if (opts.sameNetwork) {
    const segment = opts.sameSegment ?? 'unknown';
    const hairpin = [a.hairpin, b.hairpin];
    if (hairpin.includes('yes') && !hairpin.includes('no')) {
      return { path: 'direct', reason: 'both peers are behind the same router, which loops packets for its public address back in (hairpinning)' };
    }
    if (hairpin.includes('no')) {
      return segment === 'no'
        ? { path: 'relay', reason: 'both peers are behind the same router but on different local segments, and the router does not loop packets for its public address back in (no hairpinning)' }
        : { path: 'uncertain', reason: 'both peers are behind the same router, which does not hairpin: direct if they share a local segment, relayed otherwise' };
    }
    if (segment === 'no') return { path: 'uncertain', reason: 'both peers are behind the same router on different local segments; whether it hairpins was not tested' };
    return { path: 'direct-lan', reason: 'both peers leave through the same public address, so their local addresses should reach each other' };
  }
  if (a.udp === 'unknown' || b.udp === 'unknown') {
    return { path: 'uncertain', reason: 'at least one side\u2019s UDP reachability was not tested' };
  }
  const outcomes = new Set<boolean>();
  for (const x of sides(a)) for (const y of sides(b)) outcomes.add(directPossible(x, y));
  if (outcomes.size !== 1) return { path: 'uncertain', reason: 'the outcome depends on NAT behavior that could not be measured' };
  return outcomes.has(true)
    ? { path: 'direct', reason: 'at least one side\u2019s NAT lets the other side\u2019s connectivity checks in, and the answers get back' }
    : { path: 'relay', reason: 'each NAT drops the other side\u2019s checks: one changes its port per destination while the other only admits the exact address and port it sent to' };
}

/** The NAT kinds a peer might have, as rows of the compatibility table. */
export const REFERENCE_PEERS: readonly { id: string; label: string; behavior: PeerBehavior }[] = [
  { id: 'open', label: 'No NAT (public address)', behavior: known('EIM', 'EIF') },
  { id: 'full-cone', label: 'Full cone NAT', behavior: known('EIM', 'EIF') },
  { id: 'restricted-cone', label: 'Restricted cone NAT', behavior: known('EIM', 'ADF') },
  { id: 'port-restricted-cone', label: 'Port-restricted cone NAT', behavior: known('EIM', 'APDF') },
  { id: 'symmetric', label: 'Symmetric NAT', behavior: known('APDM', 'APDF') },
  { id: 'udp-blocked', label: 'UDP blocked', behavior: { udp: 'no', tcpRelay: 'ok', tlsRelay: 'not-tested', ipv6: 'no', hairpin: 'unknown', mappings: [], filterings: [] } },
];

function known(m: Mapping, f: Filtering): PeerBehavior {
  return { udp: 'yes', tcpRelay: 'not-tested', tlsRelay: 'not-tested', ipv6: 'no', hairpin: 'unknown', mappings: [m], filterings: [f] };
}

export interface CompatibilityRow {
  peer: string;
  label: string;
  prediction: PathPrediction;
}

export function compatibilityTable(self: PeerBehavior): CompatibilityRow[] {
  return REFERENCE_PEERS.map((p) => ({ peer: p.id, label: p.label, prediction: predictPath(self, p.behavior) }));
}

export type PredictionCheck = 'agree' | 'disagree' | 'no-prediction' | 'no-path';

/** Compares a prediction with the settled path by category: direct (any kind) vs relayed (any transport). */
export function checkPrediction(predicted: PredictedPath, actual: PathKind): PredictionCheck {
  if (predicted === 'uncertain') return 'no-prediction';
  if (actual === 'none') return predicted === 'none' ? 'agree' : 'no-path';
  const actualDirect = actual === 'direct-lan' || actual === 'direct-public' || actual === 'p2p-nat';
  const predictedDirect = predicted === 'direct' || predicted === 'direct-lan';
  // Relayed over UDP, TCP or TLS all count as relayed: which transport each side uses to its relay is its own.
  if (predicted === 'none') return 'disagree';
  return actualDirect === predictedDirect ? 'agree' : 'disagree';
}
