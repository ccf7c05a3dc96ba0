// The call test: its progress while it runs, its result, and whether the user asked to skip it.
// Written by web/call/call-session.ts through web/peer/peer-driver.ts; reset with each new test (the skip choice
// stays: it is the user's).
import type { StateCreator } from 'zustand';
import type { CallTest } from '../../common/call-report';
import type { CallProgress } from '../call/call-session';
import type { AppState } from './app-store';

export interface CallState {
  /** 'pending': the link test is done and the call is about to start; 'off': this test does not run one. */
  phase: 'idle' | 'pending' | 'running' | 'done' | 'off';
  progress: CallProgress | null;
  result: CallTest | null;
  /** The user asked to skip the call test (the button, or ?call=off). */
  skipRequested: boolean;
}

export interface CallSlice {
  call: CallState;
  setCallPhase(phase: CallState['phase']): void;
  setCallProgress(p: CallProgress): void;
  setCallResult(r: CallTest): void;
  requestCallSkip(): void;
  resetCall(): void;
}

export const initialCall = (skipRequested = false): CallState => ({ phase: 'idle', progress: null, result: null, skipRequested });

export const createCallSlice: StateCreator<AppState, [], [], CallSlice> = (set) => ({
  call: initialCall(),
  setCallPhase: (phase) => set((s) => ({ call: { ...s.call, phase } })),
  setCallProgress: (progress) => set((s) => ({ call: { ...s.call, phase: 'running', progress } })),
  setCallResult: (result) => set((s) => ({ call: { ...s.call, phase: 'done', result } })),
  requestCallSkip: () => set((s) => ({ call: { ...s.call, skipRequested: true } })),
  resetCall: () => set((s) => ({ call: initialCall(s.call.skipRequested) })),
});

/** True while the call test still has something to add to the report. */
export const callPending = (c: CallState | undefined) => c !== undefined && (c.phase === 'pending' || c.phase === 'running');
