// Words and numbers as the report shows them.
import type { ConnectivityReport } from '../../common/report';

export const PEER_STATE_WORDS: Record<ConnectivityReport['peerState'], string> = {
  waiting: 'waiting for the other peer',
  connecting: 'connecting…',
  connected: 'connected',
  disconnected: 'connection interrupted, retrying…',
  failed: 'failed: no path found',
  'peer-left': 'the other peer left',
};

/** The words for data-testid="selected-path": a PATH_LABELS value once there is a path, else a waiting text. */
export function selectedPathText(report: ConnectivityReport): string {
  if (report.path.kind !== 'none' || report.peerState === 'failed') return report.path.label;
  switch (report.peerState) {
    case 'waiting':
      return 'waiting for the other peer to open the link';
    case 'peer-left':
      return 'the other peer left before a path was found';
    default:
      return 'checking paths…';
  }
}

export const PATH_EXPLANATIONS: Record<ConnectivityReport['path']['kind'], string> = {
  'direct-lan': 'Both browsers reach each other directly on the same network: the best possible path.',
  'direct-public': 'Both browsers have public addresses and talk directly, without NAT in between.',
  'p2p-nat': 'The browsers found a direct path through NAT (hole punching): no relay server carries the traffic.',
  'relay-udp': 'The traffic goes through a TURN relay server over UDP: it works, but adds latency and server cost.',
  'relay-tcp': 'The traffic goes through a TURN relay over TCP: UDP seems blocked; expect more delay under loss.',
  'relay-tls': 'The traffic goes through a TURN relay over TLS: only encrypted web traffic gets through this network.',
  none: 'No candidate pair carries traffic yet.',
};
