// One test between two peers: room, policy, peer state, candidates as they were gathered/received,
// milestones, errors, and what the other peer told us about itself (peer-info).
import type { StateCreator } from 'zustand';
import type { ConnectivityReport, ReportCandidate } from '../../common/report';
import type { AppState } from './app-store';

export type PeerState = ConnectivityReport['peerState'];
export type Timings = ConnectivityReport['timings'];
export type ReportError = ConnectivityReport['errors'][number];

export const MAX_CANDIDATES = 200;
export const MAX_ERRORS = 100;

export interface PeerTestState {
  roomId: string;
  relayOnly: boolean;
  /** Epoch ms when the room page opened (the report's createdAt). */
  createdAt: number;
  /** Epoch ms when the other peer joined and this test began; every `at` is relative to it. */
  startedAt: number | null;
  /** Counts tests in this page: a new peer after one left starts test 2, … */
  testNumber: number;
  peerState: PeerState;
  timings: Timings;
  gatheredLocal: ReportCandidate[];
  receivedRemote: ReportCandidate[];
  gatheringComplete: boolean;
  iceServers: { urls: string[] }[];
  errors: ReportError[];
  /** Merged peer-info payloads from the other peer (each feature sends its own top-level key). */
  remoteInfo: Record<string, unknown>;
}

export interface PeerSlice {
  peer: PeerTestState;
  openRoom(roomId: string, relayOnly: boolean, now: number): void;
  /** The other peer is here: clear the previous test's data and start the clock. */
  beginTest(now: number): void;
  setPeerState(state: PeerState): void;
  markTiming(name: keyof Timings, at: number): void;
  addLocalCandidate(c: ReportCandidate): void;
  addRemoteCandidate(c: ReportCandidate): void;
  setGatheringComplete(): void;
  setIceServers(servers: { urls: string[] }[]): void;
  addError(e: ReportError): void;
  mergeRemoteInfo(info: Record<string, unknown>): void;
  /** ms since the test started (0 before it started). */
  sinceStart(now: number): number;
}

const emptyTimings = (): Timings => ({ peerJoined: null, firstCandidate: null, connected: null, pathSettled: null });

export const initialPeer = (roomId = '', relayOnly = false, createdAt = 0): PeerTestState => ({
  roomId,
  relayOnly,
  createdAt,
  startedAt: null,
  testNumber: 0,
  peerState: 'waiting',
  timings: emptyTimings(),
  gatheredLocal: [],
  receivedRemote: [],
  gatheringComplete: false,
  iceServers: [],
  errors: [],
  remoteInfo: {},
});

export const createPeerSlice: StateCreator<AppState, [], [], PeerSlice> = (set, get) => {
  const patch = (p: Partial<PeerTestState>) => set((s) => ({ peer: { ...s.peer, ...p } }));
  return {
    peer: initialPeer(),
    openRoom: (roomId, relayOnly, now) => {
      set({ peer: initialPeer(roomId, relayOnly, now) });
      get().resetStats();
      get().resetRtt();
    },
    beginTest: (now) => {
      const { peer } = get();
      set({
        peer: {
          ...initialPeer(peer.roomId, peer.relayOnly, peer.createdAt),
          iceServers: peer.iceServers,
          startedAt: now,
          testNumber: peer.testNumber + 1,
          peerState: 'connecting',
          timings: { ...emptyTimings(), peerJoined: 0 },
        },
      });
      get().resetStats();
      get().resetRtt();
    },
    setPeerState: (peerState) => patch({ peerState }),
    markTiming: (name, at) => {
      // Milestones keep their first time, except the settled path, which follows the latest settled pair.
      const current = get().peer.timings[name];
      if (current === at || (current !== null && name !== 'pathSettled')) return;
      set((s) => ({ peer: { ...s.peer, timings: { ...s.peer.timings, [name]: at } } }));
    },
    addLocalCandidate: (c) => set((s) => ({ peer: { ...s.peer, gatheredLocal: [...s.peer.gatheredLocal, c].slice(0, MAX_CANDIDATES) } })),
    addRemoteCandidate: (c) => set((s) => ({ peer: { ...s.peer, receivedRemote: [...s.peer.receivedRemote, c].slice(0, MAX_CANDIDATES) } })),
    setGatheringComplete: () => patch({ gatheringComplete: true }),
    setIceServers: (iceServers) => patch({ iceServers }),
    addError: (e) => set((s) => ({ peer: { ...s.peer, errors: [...s.peer.errors, e].slice(-MAX_ERRORS) } })),
    mergeRemoteInfo: (info) => set((s) => ({ peer: { ...s.peer, remoteInfo: { ...s.peer.remoteInfo, ...info } } })),
    sinceStart: (now) => {
      const start = get().peer.startedAt;
      return start === null ? 0 : Math.max(0, Math.round(now - start));
    },
  };
};
