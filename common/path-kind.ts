// The kind of path a connection took, as the page classifies the selected candidate pair, the report records it and
// the NAT diagnosis predicts it. Below both the report and common/nat, which each name it.

export type PathKind = 'direct-lan' | 'direct-public' | 'p2p-nat' | 'relay-udp' | 'relay-tcp' | 'relay-tls' | 'none';

export const PATH_LABELS: Record<PathKind, string> = {
  'direct-lan': 'direct (same network)',
  'direct-public': 'direct (public addresses)',
  'p2p-nat': 'peer-to-peer through NAT',
  'relay-udp': 'relayed via TURN (UDP)',
  'relay-tcp': 'relayed via TURN (TCP)',
  'relay-tls': 'relayed via TURN (TLS)',
  none: 'no path',
};
