// In a room, each side runs "Check my network" once when the page opens and shares the finished result with
// the other side as peer-info `{ diagnosis }` — right away if a peer is there, else when one arrives.
import type { PeerInfo } from '../../common/messages';
import type { AppStore } from '../store/app-store';
import { customIceServersFromUrl, startDiagnosis } from './diagnosis-controller';

export interface RoomDiagnosisSession {
  /** A peer joined (a new test started): send it our result if we have one. */
  onPeerArrived(): void;
}

export function startRoomDiagnosis(store: AppStore, sendInfo: (info: PeerInfo) => void, search = location.search): RoomDiagnosisSession {
  const share = () => {
    const d = store.getState().diagnosis.local;
    if (d && d.state !== 'running' && store.getState().signaling.remotePeerId) sendInfo({ diagnosis: d });
  };
  void startDiagnosis(store, { customIceServers: customIceServersFromUrl(search).servers, share });
  return { onPeerArrived: share };
}
