// Page-only state that is not part of the report.
import type { StateCreator } from 'zustand';
import type { AppState } from './app-store';

export interface UiState {
  linkCopied: boolean;
  /** A problem that stops the test from running at all (no WebSocket, no ICE servers), shown above the report. */
  fatal: string | null;
}

export interface UiSlice {
  ui: UiState;
  setUi(patch: Partial<UiState>): void;
}

export const initialUi = (): UiState => ({ linkCopied: false, fatal: null });

export const createUiSlice: StateCreator<AppState, [], [], UiSlice> = (set) => ({
  ui: initialUi(),
  setUi: (patch) => set((s) => ({ ui: { ...s.ui, ...patch } })),
});
