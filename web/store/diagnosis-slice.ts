// "Check my network": this page's own diagnosis (progress and result). The other peer's diagnosis arrives as
// peer-info under the `diagnosis` key (peer.remoteInfo) and is read with readPeerDiagnosis().
import type { StateCreator } from 'zustand';
import type { DiagnosisResult } from '../../common/nat/diagnosis-result';
import type { AppState } from './app-store';

export interface DiagnosisState {
  /** Latest snapshot of the running or finished check; null before the first run. */
  local: DiagnosisResult | null;
  running: boolean;
  /** Counts runs, so a late update of an old run never overwrites a newer one. */
  run: number;
}

export interface DiagnosisSlice {
  diagnosis: DiagnosisState;
  /** Starts run n+1 and returns its number. */
  beginDiagnosis(): number;
  updateDiagnosis(run: number, result: DiagnosisResult): void;
  resetDiagnosis(): void;
}

export const initialDiagnosis = (): DiagnosisState => ({ local: null, running: false, run: 0 });

export const createDiagnosisSlice: StateCreator<AppState, [], [], DiagnosisSlice> = (set, get) => ({
  diagnosis: initialDiagnosis(),
  beginDiagnosis: () => {
    const run = get().diagnosis.run + 1;
    set({ diagnosis: { local: null, running: true, run } });
    return run;
  },
  updateDiagnosis: (run, result) => {
    if (run !== get().diagnosis.run) return;
    set({ diagnosis: { local: result, running: result.state === 'running', run } });
  },
  resetDiagnosis: () => set({ diagnosis: initialDiagnosis() }),
});
