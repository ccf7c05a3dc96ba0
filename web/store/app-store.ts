// The page's one store, built from slices (zustand slices pattern). Connection code outside React writes
// through appStore.getState(); components read narrow fields with useAppStore(selector).
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import { createCallSlice, type CallSlice } from './call-slice';
import { createDiagnosisSlice, type DiagnosisSlice } from './diagnosis-slice';
import { createLinkSlice, type LinkSlice } from './link-slice';
import { createPeerSlice, type PeerSlice } from './peer-slice';
import { createRttSlice, type RttSlice } from './rtt-slice';
import { createSignalingSlice, type SignalingSlice } from './signaling-slice';
import { createStatsSlice, type StatsSlice } from './stats-slice';
import { createUiSlice, type UiSlice } from './ui-slice';

export type AppState = SignalingSlice & PeerSlice & StatsSlice & RttSlice & UiSlice & DiagnosisSlice & LinkSlice & CallSlice;

export const createAppStore = () =>
  createStore<AppState>()((...a) => ({
    ...createSignalingSlice(...a),
    ...createPeerSlice(...a),
    ...createStatsSlice(...a),
    ...createRttSlice(...a),
    ...createUiSlice(...a),
    ...createDiagnosisSlice(...a),
    ...createLinkSlice(...a),
    ...createCallSlice(...a),
  }));

export type AppStore = ReturnType<typeof createAppStore>;

export const appStore = createAppStore();

export function useAppStore<T>(selector: (s: AppState) => T): T {
  return useStore(appStore, selector);
}
