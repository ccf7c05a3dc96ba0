// The lobby page's store (zustand, vanilla): LobbyState plus the actions lobby-session.ts calls through
// getState(), and the per-pair AppStores. Components read narrow fields with useLobby(store, selector).
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import { LOBBY_CAPACITY, type LinkSummary } from '../../common/messages';
import type { DiagnosisWire } from '../../common/nat/diagnosis-schema';
import type { AppStore } from '../store/app-store';
import type { LobbyJob } from './lobby-queue';
import type { LobbyMember, LobbyState, LobbySweep, PairStores } from './lobby-types';

export interface LobbyActions {
  /** A fresh lobby (the page mounted, or the session restarted). Pair stores are dropped. */
  openLobby(roomId: string): void;
  /** The relay answered `joined`: this page's id and the room's capacity. */
  setSelf(selfId: string, capacity: number): void;
  /** A member arrived (or came back: a known id is a member again, its cells and info kept). */
  memberJoined(peerId: string, at: number, defaultName: string, self?: boolean): void;
  /** A member left: its row, column and cells stay, marked with leftAt. */
  memberLeft(peerId: string, at: number): void;
  /** What a member broadcast about itself (peer-info name / diagnosis). Unknown ids are ignored. */
  setMemberInfo(peerId: string, info: { name?: string; diagnosis?: DiagnosisWire }): void;
  /** A member's whole view of its links (peer-info links), replacing what it said before. */
  setLinks(reporter: string, links: Record<string, LinkSummary>): void;
  /** This page's own view of its link to one other peer (written under selfId). */
  setOwnLink(otherId: string, summary: LinkSummary): void;
  setFull(full: boolean): void;
  setFatal(message: string | null): void;
  /** This page's part of the lobby queue, as the queue (lobby-queue-driver.ts) reports it. */
  setSweep(sweep: LobbySweep): void;
  /** The jobs this page asked other pages to run (lobby-session.ts). */
  setAsked(asked: LobbyJob[]): void;
  /** The AppStore of this page's connection to `peerId` (a rejoin replaces it with a new one). */
  setPairStore(peerId: string, store: AppStore): void;
}

export type LobbyStoreState = LobbyState & LobbyActions & {
  /** A new Map on every change, so a selector on it sees the change. */
  pairStores: PairStores;
};

export const initialLobby = (roomId = ''): LobbyState => ({
  roomId,
  selfId: null,
  capacity: LOBBY_CAPACITY,
  members: {},
  links: {},
  full: false,
  fatal: null,
  sweep: { queued: [], running: null, waiting: false, finished: 0 },
  asked: [],
});

export const createLobbyStore = (roomId = '') =>
  createStore<LobbyStoreState>()((set) => ({
    ...initialLobby(roomId),
    pairStores: new Map(),
    openLobby: (id) => set({ ...initialLobby(id), pairStores: new Map() }),
    setSelf: (selfId, capacity) => set({ selfId, capacity, full: false }),
    memberJoined: (peerId, at, defaultName, self = false) =>
      set((s) => {
        const known = s.members[peerId];
        const member: LobbyMember = known
          ? { ...known, leftAt: null, self: known.self || self }
          : { peerId, name: defaultName, self, joinedAt: at, leftAt: null, diagnosis: null };
        return { members: { ...s.members, [peerId]: member } };
      }),
    memberLeft: (peerId, at) =>
      set((s) => {
        const known = s.members[peerId];
        if (!known || known.leftAt !== null) return {};
        return { members: { ...s.members, [peerId]: { ...known, leftAt: at } } };
      }),
    setMemberInfo: (peerId, info) =>
      set((s) => {
        const known = s.members[peerId];
        if (!known) return {};
        const next: LobbyMember = { ...known };
        if (info.name !== undefined) next.name = info.name;
        if (info.diagnosis !== undefined) next.diagnosis = info.diagnosis;
        return { members: { ...s.members, [peerId]: next } };
      }),
    setLinks: (reporter, links) =>
      set((s) => {
        const next = { ...links };
        // A link to a member who has left stays as last seen before it left (the survivor closing its end must
        // not turn an agreed cell into a one-sided one): the leaver's cells are marked, not lost.
        const before = s.links[reporter] ?? {};
        for (const [id, m] of Object.entries(s.members)) if (m.leftAt !== null && before[id]) next[id] = before[id];
        return { links: { ...s.links, [reporter]: next } };
      }),
    setOwnLink: (otherId, summary) =>
      set((s) => {
        if (s.selfId === null) return {};
        if (s.members[otherId]?.leftAt != null && s.links[s.selfId]?.[otherId]) return {};
        return { links: { ...s.links, [s.selfId]: { ...s.links[s.selfId], [otherId]: summary } } };
      }),
    setFull: (full) => set({ full }),
    setFatal: (fatal) => set({ fatal }),
    setSweep: (sweep) => set({ sweep }),
    setAsked: (asked) => set({ asked }),
    setPairStore: (peerId, store) => set((s) => ({ pairStores: new Map(s.pairStores).set(peerId, store) })),
  }));

export type LobbyStore = ReturnType<typeof createLobbyStore>;

export function useLobby<T>(store: LobbyStore, selector: (s: LobbyStoreState) => T): T {
  return useStore(store, selector);
}

/** Members still in the lobby, in join order. */
export const presentMembers = (s: Pick<LobbyState, 'members'>): string[] => Object.values(s.members).filter((m) => m.leftAt === null).map((m) => m.peerId);

/**
 * Links among the members still here: how many there are (n·(n−1)/2) and how many have settled, i.e. both ends
 * report a connected, classified path.
 */
export function settledLinks(s: Pick<LobbyState, 'members' | 'links'>): { settled: number; expected: number } {
  const ids = presentMembers(s);
  let settled = 0;
  for (let i = 0; i < ids.length; i++) {
    for (let j = i + 1; j < ids.length; j++) {
      const ab = s.links[ids[i]!]?.[ids[j]!];
      const ba = s.links[ids[j]!]?.[ids[i]!];
      if (ab?.state === 'connected' && ab.path && ba?.state === 'connected' && ba.path) settled++;
    }
  }
  return { settled, expected: (ids.length * (ids.length - 1)) / 2 };
}
