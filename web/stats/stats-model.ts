// One reading of a stats poll: the getStats() snapshot joined with the candidates seen in events and signaling and
// with the other peer's view of its own end. The store, the peer driver, the timeline's pair events and the report
// all read this model; none of them joins or classifies a poll again. Pure, and memoised on its inputs, so the
// store and the report asking for the same state get the same model.
import { selectedPairInfoSchema, type PeerInfo } from '../../common/messages';
import type { ReportCandidate, ReportPair } from '../../common/report';
import type { PathKind } from '../../common/path-kind';
import { classifyPath, type PathEnd, type PathInput } from './path-classify';
import { mergeCandidates, type StatsSnapshot } from './stats-mapping';

export interface SelectedPath {
  pair: ReportPair;
  local: ReportCandidate;
  remote: ReportCandidate;
  /** Both ends as the path classifier reads them, with the other peer's view of its end when it sent one. */
  ends: PathInput;
  kind: PathKind;
}

export interface StatsModel {
  /** The last poll, null before the first. */
  snapshot: StatsSnapshot | null;
  /** Candidates from events/signaling joined with the poll's (the poll's ids, the events' times). */
  local: ReportCandidate[];
  remote: ReportCandidate[];
  pairs: readonly ReportPair[];
  /** The poll's selected pair with both of its candidates found, else null. */
  selected: SelectedPath | null;
}

export interface StatsModelInput {
  snapshot: StatsSnapshot | null;
  gatheredLocal: readonly ReportCandidate[];
  receivedRemote: readonly ReportCandidate[];
  /** The other peer's peer-info payloads, merged. */
  remoteInfo: PeerInfo | Record<string, unknown>;
}

export const pathEnd = (c: ReportCandidate): PathEnd => ({ type: c.type, address: c.address, port: c.port, relayProtocol: c.relayProtocol });

/** The other peer's view of its own end of the selected pair, or null when absent or not shaped right. */
export function readPeerSelectedPair(info: PeerInfo | Record<string, unknown>): PathEnd | null {
  const parsed = selectedPairInfoSchema.safeParse(info.selectedPair);
  if (!parsed.success) return null;
  const l = parsed.data.local;
  return { type: l.type, address: l.address ?? null, port: l.port ?? null, relayProtocol: l.relayProtocol ?? null };
}

export function readStatsModel({ snapshot, gatheredLocal, receivedRemote, remoteInfo }: StatsModelInput): StatsModel {
  const local = mergeCandidates(gatheredLocal, snapshot?.localCandidates ?? []);
  const remote = mergeCandidates(receivedRemote, snapshot?.remoteCandidates ?? []);
  const pairs = snapshot?.pairs ?? [];
  const pair = snapshot?.selectedPairId ? pairs.find((p) => p.id === snapshot.selectedPairId) : undefined;
  const l = pair && local.find((c) => c.id === pair.localId);
  const r = pair && remote.find((c) => c.id === pair.remoteId);
  let selected: SelectedPath | null = null;
  if (pair && l && r) {
    const ends: PathInput = { local: pathEnd(l), remote: pathEnd(r), peerLocal: readPeerSelectedPair(remoteInfo) };
    selected = { pair, local: l, remote: r, ends, kind: classifyPath(ends) };
  }
  return { snapshot, local, remote, pairs, selected };
}

let last: { input: StatsModelInput; model: StatsModel } | null = null;

/** readStatsModel, computed once for the same four inputs (the store replaces each of them when it changes). */
export function statsModel(input: StatsModelInput): StatsModel {
  const i = last?.input;
  if (
    last &&
    i!.snapshot === input.snapshot &&
    i!.gatheredLocal === input.gatheredLocal &&
    i!.receivedRemote === input.receivedRemote &&
    i!.remoteInfo === input.remoteInfo
  ) {
    return last.model;
  }
  last = { input, model: readStatsModel(input) };
  return last.model;
}
