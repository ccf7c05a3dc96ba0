// The latest getStats() view and the selected-pair history built from successive polls.
import type { StateCreator } from 'zustand';
import type { StatsSnapshot } from '../stats/stats-mapping';
import { statsModel, type StatsModel } from '../stats/stats-model';
import { initialSelection, trackSelection, type SelectionState } from '../stats/selection-tracker';
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

/** The last poll read with the candidates and the peer's view that the store holds now. */
export const selectStatsModel = ({ peer, stats }: Pick<AppState, 'peer' | 'stats'>): StatsModel =>
  statsModel({ snapshot: stats.snapshot, gatheredLocal: peer.gatheredLocal, receivedRemote: peer.receivedRemote, remoteInfo: peer.remoteInfo });

export const createStatsSlice: StateCreator<AppState, [], [], StatsSlice> = (set, get) => ({
  stats: initialStats(),
  applyStats: (snapshot, at) => {
    const { peer, stats } = get();
    const model = selectStatsModel({ peer, stats: { ...stats, snapshot } });
    const selection = trackSelection(stats.selection, { model, at });
    set({ stats: { snapshot, selection, polls: stats.polls + 1 } });
    if (selection.settled) get().markTiming('pathSettled', selection.history.at(-1)!.at);
  },
  resetStats: () => set({ stats: initialStats() }),
});
