// The latest getStats() view and the selected-pair history built from successive polls.
import type { StateCreator } from 'zustand';
import { mergeCandidates, type StatsSnapshot } from '../stats/stats-mapping';
import { initialSelection, trackSelection, type SelectionState } from '../stats/selection-tracker';
import { readPeerSelectedPair } from '../peer/peer-info';
import type { AppState } from './app-store';

export interface StatsState {
  snapshot: StatsSnapshot | null;
  selection: SelectionState;
  polls: number;
}

export interface StatsSlice {
  stats: StatsState;
  /** Applies one poll; `at` is ms since the test started. */
  applyStats(snapshot: StatsSnapshot, at: number): void;
  resetStats(): void;
}

export const initialStats = (): StatsState => ({ snapshot: null, selection: initialSelection(), polls: 0 });

export const createStatsSlice: StateCreator<AppState, [], [], StatsSlice> = (set, get) => ({
  stats: initialStats(),
  applyStats: (snapshot, at) => {
    const { peer, stats } = get();
    const selection = trackSelection(stats.selection, {
      snapshot,
      local: mergeCandidates(peer.gatheredLocal, snapshot.localCandidates),
      remote: mergeCandidates(peer.receivedRemote, snapshot.remoteCandidates),
      peerLocal: readPeerSelectedPair(peer.remoteInfo),
      at,
    });
    set({ stats: { snapshot, selection, polls: stats.polls + 1 } });
    if (selection.settled) get().markTiming('pathSettled', selection.history.at(-1)!.at);
  },
  resetStats: () => set({ stats: initialStats() }),
});
