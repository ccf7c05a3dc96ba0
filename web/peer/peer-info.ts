// What this page tells the other peer about itself over signaling `peer-info`, and how it reads the same
// from the other side. Each feature uses its own top-level key so payloads merge without clobbering; the wire
// shapes live in common/messages.ts (peerInfoSchema), which the relay checks too.
import { selectedPairInfoSchema, type PeerInfo, type SelectedPairInfo } from '../../common/messages';
import type { PathEnd } from '../report/path-classify';

export type { SelectedPairInfo };

export function selectedPairInfo(local: PathEnd & { protocol: string }, relayOnly: boolean): { selectedPair: SelectedPairInfo } {
  return { selectedPair: { local, relayOnly } };
}

/** The other peer's view of its own end of the selected pair, or null when absent or not shaped right. */
export function readPeerSelectedPair(info: PeerInfo | Record<string, unknown>): PathEnd | null {
  const parsed = selectedPairInfoSchema.safeParse(info.selectedPair);
  if (!parsed.success) return null;
  const l = parsed.data.local;
  return { type: l.type, address: l.address ?? null, port: l.port ?? null, relayProtocol: l.relayProtocol ?? null };
}

export function readPeerRelayOnly(info: PeerInfo | Record<string, unknown>): boolean | null {
  const parsed = selectedPairInfoSchema.safeParse(info.selectedPair);
  if (parsed.success) return parsed.data.relayOnly;
  return typeof info.relayOnly === 'boolean' ? info.relayOnly : null;
}
