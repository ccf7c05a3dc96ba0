// What a lobby page knows, shared by its connection logic (lobby-session.ts writes it) and its view (the matrix,
// the summary and the host choice read it). Plain data only, except `pairStores`: the full per-pair test state
// (one AppStore per RTCPeerConnection this page is part of), which the pair report renders as in a two-person room.
import type { LinkSummary } from '../../common/messages';
import type { DiagnosisWire } from '../../common/nat/diagnosis-schema';
import type { AppStore } from '../store/app-store';
import type { LobbyJob } from './lobby-queue';

export interface LobbySweep {
  queued: LobbyJob[];
  running: LobbyJob | null;
  /** Asking the other pages: a test of another link runs (or was asked for earlier). */
  waiting: boolean;
  finished: number;
}

export interface LobbyMember {
  peerId: string;
  /** Shown name (peer-info `name`); until one arrives, a default from the OS/browser or "Peer N". */
  name: string;
  self: boolean;
  /** ms since this page's lobby session started. */
  joinedAt: number;
  /** Set when the member left (or its node went away); its row, column and cells stay, marked. */
  leftAt: number | null;
  /** Its "Check my network" facts as broadcast (peer-info `diagnosis`), null until done. */
  diagnosis: DiagnosisWire | null;
}

export interface LobbyState {
  roomId: string;
  selfId: string | null;
  capacity: number;
  /** Every member ever seen in this lobby, keyed by peer id, in join order (object key order). */
  members: Record<string, LobbyMember>;
  /** Every member's own view of its links: links[reporter][other]. This page's own view is under its selfId. */
  links: Record<string, Record<string, LinkSummary>>;
  /** The ninth browser: the lobby was full when this page joined. */
  full: boolean;
  /** A fatal, user-facing message (signaling gone for good, unsupported version). */
  fatal: string | null;
  /** This page's part of the lobby queue (lobby-queue.ts): its jobs still queued, the one running, whether it waits
   *  for another page's test to end, and how many jobs it has run. */
  sweep: LobbySweep;
  /** Jobs of links this page does not lead that it asked the leading page for (lq-ask), until this end sees them
   *  run, the link closes, or they are a jobMaxMs old (the leader's queue says nothing back). */
  asked: LobbyJob[];
}

/** The per-pair stores of this page's own connections, keyed by the other peer's id. */
export type PairStores = ReadonlyMap<string, AppStore>;
