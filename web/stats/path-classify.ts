// Which way the traffic goes, judged from both ends of the selected candidate pair.
// A relay candidate at either end means the packets pass through a TURN server (RFC 8656 §2).
import { isPrivateAddress } from '../../common/net/address-ranges';
import type { CandidateType } from '../../common/report';
import type { PathKind } from '../../common/path-kind';

export interface PathEnd {
  type: CandidateType;
  address: string | null;
  port: number | null;
  /** Only meaningful for relay candidates: how that end reaches its TURN server. */
  relayProtocol: string | null;
}

export interface PathInput {
  local: PathEnd;
  /** The remote candidate as this browser sees it (a relayed peer may show up as prflx here). */
  remote: PathEnd;
  /** The other peer's own view of its local candidate (peer-info), when it has sent one. */
  peerLocal?: PathEnd | null;
}

/** The one answer to "which PathKind is a relay reached over this protocol" (a candidate's relayProtocol). */
export function relayKind(protocol: string | null | undefined): PathKind {
  switch (protocol?.toLowerCase()) {
    case 'tcp':
      return 'relay-tcp';
    case 'tls':
      return 'relay-tls';
    default:
      return 'relay-udp';
  }
}

/**
 * The peer's report counts only when it describes exactly the candidate we see at the far end of our pair.
 * (Not by port alone when Chromium hides a prflx address: port-preserving NATs would make a NATed host look local.)
 */
function peerDescribesRemote(peer: PathEnd | null | undefined, remote: PathEnd): peer is PathEnd {
  return !!peer && peer.address !== null && peer.address === remote.address && peer.port === remote.port;
}

/**
 * The two sides on different pairs, one relayed and one not. The other peer reports only its own local end, so
 * what we can compare is whether it sends from its relay with what we see at the far end of our pair. Only
 * with a known far address: a relay hidden as a prflx "?" would look like a direct end.
 */
export function pathAsymmetry({ remote, peerLocal }: PathInput): string | null {
  if (!peerLocal || remote.address === null) return null;
  const far = peerDescribesRemote(peerLocal, remote) ? peerLocal : remote;
  const weSendToItsRelay = far.type === 'relay';
  const itSendsFromItsRelay = peerLocal.type === 'relay';
  if (weSendToItsRelay && !itSendsFromItsRelay) {
    return `This side sends to the other peer's TURN relay, while the other peer sends from its own ${peerLocal.type} address: the two directions take different paths (each side keeps the pair it selected).`;
  }
  if (!weSendToItsRelay && itSendsFromItsRelay) {
    return 'The other peer sends through its TURN relay, while this side sends to it directly: the two directions take different paths (each side keeps the pair it selected).';
  }
  return null;
}

export function classifyPath({ local, remote, peerLocal }: PathInput): PathKind {
  if (local.type === 'relay') return relayKind(local.relayProtocol);
  const far = peerDescribesRemote(peerLocal, remote) ? { ...remote, type: peerLocal.type, relayProtocol: peerLocal.relayProtocol } : remote;
  if (far.type === 'relay') return relayKind(far.relayProtocol);
  const reflexive = local.type === 'srflx' || far.type === 'srflx';
  // Two host candidates on one address: both browsers run on the same machine.
  if (local.type === 'host' && far.type === 'host' && local.address !== null && local.address === far.address) return 'direct-lan';
  if (!reflexive && isPrivateAddress(local.address) && isPrivateAddress(far.address)) return 'direct-lan';
  const localPublic = local.address !== null && !isPrivateAddress(local.address);
  const farPublic = far.address !== null && !isPrivateAddress(far.address);
  if (local.type === 'host' && far.type === 'host' && localPublic && farPublic) return 'direct-public';
  return 'p2p-nat';
}
