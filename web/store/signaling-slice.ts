// Signaling connection state: the WebSocket, our peer id, the other peer, and a full room.
import type { StateCreator } from 'zustand';
import type { AppState } from './app-store';

export type SocketStatus = 'idle' | 'connecting' | 'open' | 'closed';

export interface SignalingState {
  status: SocketStatus;
  peerId: string | null;
  remotePeerId: string | null;
  roomFull: boolean;
}

export interface SignalingSlice {
  signaling: SignalingState;
  setSignaling(patch: Partial<SignalingState>): void;
}

export const initialSignaling = (): SignalingState => ({ status: 'idle', peerId: null, remotePeerId: null, roomFull: false });

export const createSignalingSlice: StateCreator<AppState, [], [], SignalingSlice> = (set) => ({
  signaling: initialSignaling(),
  setSignaling: (patch) => set((s) => ({ signaling: { ...s.signaling, ...patch } })),
});
