// What this page tells the other peer about itself over signaling `peer-info`, and how it reads the same
// from the other side. Each feature uses its own top-level key so payloads merge without clobbering.
import type { CandidateType } from '../../common/report';
import type { PathEnd } from '../report/path-classify';

export interface SelectedPairInfo {
  /** Our local candidate of the selected pair (the far end of the other peer's pair). */
  local: PathEnd & { protocol: string };
  relayOnly: boolean;
}

const TYPES: readonly string[] = ['host', 'srflx', 'prflx', 'relay'];

export function selectedPairInfo(local: SelectedPairInfo['local'], relayOnly: boolean): { selectedPair: SelectedPairInfo } {
  return { selectedPair: { local, relayOnly } };
}

/** The other peer's view of its own end of the selected pair, or null when absent or not shaped right. */
export function readPeerSelectedPair(info: Record<string, unknown>): PathEnd | null {
  const sp = info.selectedPair;
  if (!sp || typeof sp !== 'object') return null;
  const local = (sp as Record<string, unknown>).local;
  if (!local || typeof local !== 'object') return null;
  const l = local as Record<string, unknown>;
  if (typeof l.type !== 'string' || !TYPES.includes(l.type)) return null;
  return {
    type: l.type as CandidateType,
    address: typeof l.address === 'string' ? l.address : null,
    port: typeof l.port === 'number' ? l.port : null,
    relayProtocol: typeof l.relayProtocol === 'string' ? l.relayProtocol : null,
  };
}

export function readPeerRelayOnly(info: Record<string, unknown>): boolean | null {
  const sp = info.selectedPair;
  if (sp && typeof sp === 'object' && typeof (sp as Record<string, unknown>).relayOnly === 'boolean') return (sp as { relayOnly: boolean }).relayOnly;
  return typeof info.relayOnly === 'boolean' ? info.relayOnly : null;
}
