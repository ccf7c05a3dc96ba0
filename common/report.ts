// The connectivity report: what the page shows, what "Download JSON" saves, what tests read from
// `<pre data-testid="report-json">`. Documented in docs/report-format.md. Times are ms since the epoch
// unless a field says otherwise.
import type { CallTest } from './call-report';
import type { IceEvent } from './ice-events';
import type { LinkQuality } from './link-quality';
import type { RoomDiagnosis } from './nat/diagnosis-result';
import type { PathKind } from './path-kind';

export const REPORT_VERSION = 1;

export type CandidateType = 'host' | 'srflx' | 'prflx' | 'relay';

export interface ReportCandidate {
  id: string;
  type: CandidateType;
  protocol: 'udp' | 'tcp';
  address: string | null;
  port: number | null;
  priority: number | null;
  /** For relay candidates: how the browser reaches the TURN server ('udp' | 'tcp' | 'tls'). */
  relayProtocol: string | null;
  /** STUN/TURN server URL that produced this candidate (local candidates only). */
  url: string | null;
  /** ms since the test started (local: gathered; remote: received). */
  at: number | null;
}

export interface ReportPair {
  id: string;
  localId: string;
  remoteId: string;
  state: string;
  nominated: boolean;
  requestsSent: number;
  responsesReceived: number;
  currentRtt: number | null;
  bytesSent: number;
  bytesReceived: number;
}

export interface SelectedPairChange {
  /** ms since the test started. */
  at: number;
  localType: CandidateType;
  remoteType: CandidateType;
  local: string;
  remote: string;
  path: PathKind;
}

/**
 * The relay fallback, tried for real: once the test is done, the two pages open a second, relay-only connection
 * to each other through their TURN servers (web/peer/relay-check.ts). Absent in reports from before it existed.
 */
export interface RelayCheck {
  state: 'running' | 'works' | 'failed' | 'skipped';
  /** ms since the test started. */
  startedAt: number | null;
  /** ms from the start of the check until the relay-only data channel opened. */
  connectMs: number | null;
  /** Median round-trip time over the relay-only data channel, ms (measured by the side that started it). */
  rttMs: number | null;
  /** What a 2 s burst moved through the relays from the side that started the check to the other, bits/s. */
  throughputBps?: number | null;
  /** The relay-only connection's path as this side saw it (relay-udp, relay-tcp, relay-tls). */
  path: PathKind | null;
  /** Why it failed or was skipped, in words. */
  reason: string | null;
}

export interface ConnectivityReport {
  version: typeof REPORT_VERSION;
  roomId: string;
  createdAt: number;
  /** When the other peer joined and the test began (epoch ms); every `at` and timing is relative to it. Null while waiting. */
  startedAt?: number | null;
  relayOnly: boolean;
  peerState: 'waiting' | 'connecting' | 'connected' | 'disconnected' | 'failed' | 'peer-left';
  path: {
    kind: PathKind;
    label: string;
    /** True once the selected pair has held for `settleMs`. */
    settled: boolean;
    settleMs: number;
    /** Set when the two sides use different pairs, one through a TURN relay and one not (see pathAsymmetry). */
    asymmetry?: string | null;
  };
  selectedPair: { local: ReportCandidate; remote: ReportCandidate; currentRtt: number | null } | null;
  selectedPairHistory: SelectedPairChange[];
  localCandidates: ReportCandidate[];
  remoteCandidates: ReportCandidate[];
  pairs: ReportPair[];
  rtt: { samples: { at: number; rtt: number }[]; min: number | null; avg: number | null; max: number | null };
  /** ms since the test started (peer joined) for each milestone; null until reached. */
  timings: { peerJoined: number | null; firstCandidate: number | null; connected: number | null; pathSettled: number | null };
  iceServers: { urls: string[] }[];
  errors: { at: number; source: string; code: number | string | null; message: string }[];
  /** "Check my network" of both sides and the path predicted from them; absent before it runs. With ICE_REGIONS each
   *  side's result also holds the region ranking and the region used (`diagnosis.local.regions`, common/ice-regions.ts). */
  diagnosis?: RoomDiagnosis;
  /** Link quality over the data channel; null until the measurement starts. */
  quality?: LinkQuality | null;
  /** ICE state changes as they happened, for the timeline (common/ice-events.ts). */
  iceEvents?: IceEvent[];
  /** The relay fallback check; null until it starts. */
  relayCheck?: RelayCheck | null;
  /** The call test (common/call-report.ts): absent in reports from before it, null until it ends. */
  call?: CallTest | null;
  /** Set on a saved copy: true when private addresses were masked (common/redact-report.ts). */
  redacted?: boolean;
}
