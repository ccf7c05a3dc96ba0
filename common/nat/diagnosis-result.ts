// "Check my network" result: what the page shows at the top of the report, shares with the other peer
// (`peer-info`), and puts in the report JSON as `diagnosis`. Plain JSON.
import type { FilteringResult, MappingObservation, MappingResult } from './nat-behavior';
import type { TransportAddress } from '../net/transport-address';
import type { EndpointRole } from '../net/endpoint-role';
import type { DiagnosisFacts, NatVerdict } from './nat-verdict';
import type { CompatibilityRow, PathPrediction, PredictionCheck } from './path-prediction';
import type { PathKind } from '../path-kind';
import type { RegionChoice } from '../ice-regions';

export const DIAGNOSIS_VERSION = 1;

export interface MappingObservationDetail extends MappingObservation {
  url: string;
  /**
   * Chromium reports one server-reflexive candidate per distinct address: an endpoint whose answer repeated an
   * address already reported (or the device's own address) produces no candidate. Such a mapping is inferred
   * from "gathering completed without an error for this server", and marked here.
   */
  inferred: boolean;
}

export interface FilteringObservationDetail {
  role: EndpointRole;
  answered: boolean;
  sent: number;
  rttMs: number | null;
}

export interface IceErrorDetail {
  url: string;
  code: number;
  text: string;
  /** What the code means and what to change. */
  meaning: string;
  fix: string;
}

export interface SkippedTest {
  test: 'mapping' | 'filtering' | 'udp' | 'tcp-relay' | 'tls-relay' | 'ipv6';
  reason: string;
}

/** Hairpinning: did packets sent to the router's own public address come back in to this device? */
export interface HairpinResult {
  /** 'not-applicable': no NAT on the way (no public address other than the device's own). */
  result: 'works' | 'fails' | 'not-applicable' | 'not-tested';
  evidence: string;
  ms: number | null;
}

export interface ReachabilityReasons {
  udp: string | null;
  tcpRelay: string | null;
  tlsRelay: string | null;
  ipv6: string | null;
}

export interface DiagnosisResult {
  version: typeof DIAGNOSIS_VERSION;
  /** ms since the epoch. */
  startedAt: number;
  /** ms from start until the verdict was known. */
  verdictMs: number | null;
  state: 'running' | 'done' | 'error';
  /** 'bundled' = p2pcheck's own STUN/TURN server; 'custom' = the user's iceServers (server tests skipped). */
  servers: 'bundled' | 'custom';
  reachability: {
    udp: 'answered' | 'no-answer' | 'not-tested';
    /** ms from start to the first UDP answer. */
    udpMs: number | null;
    tcpRelay: 'ok' | 'failed' | 'not-tested';
    tlsRelay: 'ok' | 'failed' | 'not-configured' | 'not-tested';
    /** Ports of the TURN URLs the TCP / TLS relay tests used (the verdict names them: "TURN over TLS on port 443"). */
    tcpRelayPort: number | null;
    tlsRelayPort: number | null;
    /** Why a row failed or was not tested, in words a person can act on: every 'failed'/'no-answer' has one. */
    reasons: ReachabilityReasons;
    /** 'reached' = an IPv6 candidate got an answer from a server; 'gathered-only' = only IPv6 host candidates. */
    ipv6: 'reached' | 'gathered-only' | 'none' | 'not-tested';
  };
  /** This device's own addresses as the browser reports them (host candidates); '.local' names when hidden. */
  hostAddresses: string[];
  /** The STUN server address the tests used (p2pcheck's primary endpoint); null with custom ICE servers. */
  serverAddress: string | null;
  /** The address:port p2pcheck's server saw (the browser's mapping towards the primary endpoint). */
  mappedAddress: TransportAddress | null;
  publicAddress: 'yes' | 'no' | 'unknown';
  mapping: { observations: MappingObservationDetail[]; result: MappingResult };
  hairpin: HairpinResult;
  filtering: { observations: FilteringObservationDetail[]; result: FilteringResult };
  verdict: NatVerdict | null;
  compatibility: CompatibilityRow[];
  iceErrors: IceErrorDetail[];
  skipped: SkippedTest[];
  /** ms since start for each step, for the report's timeline. */
  timeline: { at: number; step: string }[];
  error: string | null;
  /** ICE_REGIONS: the regions ranked by round trip and the one the tests ran against; absent without regions. */
  regions?: RegionChoice | null;
}

/** Room report: the path predicted from both sides' verdicts next to the settled one. */
export interface RoomPrediction {
  prediction: PathPrediction;
  predictedLabel: string;
  actual: PathKind | null;
  actualLabel: string | null;
  /** null while the path has not settled yet. */
  check: PredictionCheck | null;
  /** A sentence for the report when they disagree (or no path was found). */
  note: string | null;
}

/** The report's optional `diagnosis` field (common/report.ts). */
export interface RoomDiagnosis {
  local: DiagnosisResult | null;
  /** The other peer's result, received as peer-info. */
  remote: DiagnosisResult | null;
  prediction: RoomPrediction | null;
}

/** The measured facts a verdict is built from — the same for this page's own result and the other peer's. */
export function verdictFacts(
  d: Pick<DiagnosisResult, 'reachability' | 'publicAddress' | 'mapping' | 'filtering' | 'mappedAddress' | 'hostAddresses' | 'hairpin' | 'serverAddress'>,
): DiagnosisFacts {
  return {
    udp: d.reachability.udp,
    tcpRelay: d.reachability.tcpRelay,
    tlsRelay: d.reachability.tlsRelay,
    relayPorts: { tcp: d.reachability.tcpRelayPort, tls: d.reachability.tlsRelayPort },
    tlsRelayReason: d.reachability.reasons.tlsRelay,
    publicAddress: d.publicAddress,
    mapping: d.mapping.result,
    filtering: d.filtering.result,
    mappedAddress: d.mappedAddress,
    hostAddresses: d.hostAddresses,
    serverAddress: d.serverAddress,
    hairpin: d.hairpin.result,
  };
}
