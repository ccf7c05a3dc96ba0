// Link quality: the measurement's progress and result, the ICE events recorded for the timeline,
// and sharing (auto-save to the server, permalink, redaction choice). Written by web/peer and
// web/share/report-saver.ts through getState(); reset with each new test.
import type { StateCreator } from 'zustand';
import { MAX_ICE_EVENTS, type IceEvent } from '../../common/ice-events';
import type { LinkQuality } from '../../common/link-quality';
import type { RelayCheck, ReportCandidate, ReportPair } from '../../common/report';
import type { LinkTestProgress } from '../quality/link-test-driver';
import { diffPairStates, type PairStates } from '../timeline/pair-events';
import type { AppState } from './app-store';

export interface ShareState {
  status: 'idle' | 'saving' | 'saved' | 'failed';
  /** Mask private addresses in the saved copy (default on). */
  redact: boolean;
  id: string | null;
  url: string | null;
  error: string | null;
  /** The redact choice the saved copy was made with. */
  savedRedacted: boolean | null;
}

export interface LinkState {
  /** null until the measurement starts. */
  progress: LinkTestProgress | null;
  quality: LinkQuality | null;
  iceEvents: IceEvent[];
  pairStates: PairStates;
  share: ShareState;
  /** The relay fallback check (web/peer/relay-check.ts); null until it starts. */
  relayCheck: RelayCheck | null;
}

export interface LinkSlice {
  link: LinkState;
  setLinkProgress(p: LinkTestProgress): void;
  setLinkQuality(q: LinkQuality): void;
  setRelayCheck(c: RelayCheck): void;
  recordIceEvent(e: IceEvent): void;
  /** Records pair state changes seen in one stats poll. */
  recordPairStates(pairs: readonly ReportPair[], at: number, local: readonly ReportCandidate[], remote: readonly ReportCandidate[]): void;
  setShare(patch: Partial<ShareState>): void;
  resetLink(): void;
}

export const initialShare = (redact = true): ShareState => ({ status: 'idle', redact, id: null, url: null, error: null, savedRedacted: null });
export const initialLink = (redact = true): LinkState => ({ progress: null, quality: null, iceEvents: [], pairStates: {}, share: initialShare(redact), relayCheck: null });

export const createLinkSlice: StateCreator<AppState, [], [], LinkSlice> = (set, get) => ({
  link: initialLink(),
  setLinkProgress: (progress) => set((s) => ({ link: { ...s.link, progress } })),
  setLinkQuality: (quality) => set((s) => ({ link: { ...s.link, quality } })),
  setRelayCheck: (relayCheck) => set((s) => ({ link: { ...s.link, relayCheck } })),
  recordIceEvent: (e) => set((s) => ({ link: { ...s.link, iceEvents: [...s.link.iceEvents, e].slice(0, MAX_ICE_EVENTS) } })),
  recordPairStates: (pairs, at, local, remote) => {
    const { link } = get();
    const { events, states } = diffPairStates(link.pairStates, pairs, at, local, remote);
    if (events.length === 0) return;
    set({ link: { ...link, pairStates: states, iceEvents: [...link.iceEvents, ...events].slice(0, MAX_ICE_EVENTS) } });
  },
  setShare: (patch) => set((s) => ({ link: { ...s.link, share: { ...s.link.share, ...patch } } })),
  // Keeps the redaction choice across tests: it is the user's, not the test's.
  resetLink: () => set((s) => ({ link: initialLink(s.link.share.redact) })),
});
