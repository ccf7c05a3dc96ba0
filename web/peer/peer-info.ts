// What this page tells the other peer about itself over signaling `peer-info`, and how it reads the same
// from the other side. Each feature uses its own top-level key so payloads merge without clobbering; the wire
// shapes live in common/messages.ts (peerInfoSchema), which the relay checks too. The other peer's selected
// pair is read with the stats it is judged against (readPeerSelectedPair in web/stats/stats-model.ts).
import type { SelectedPairInfo } from '../../common/messages';

export type { SelectedPairInfo };

export function selectedPairInfo(local: SelectedPairInfo['local'], relayOnly: boolean): { selectedPair: SelectedPairInfo } {
  return { selectedPair: { local, relayOnly } };
}
