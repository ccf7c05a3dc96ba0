// Turns one getStats() result (W3C webrtc-stats; Chromium's and Firefox's field names) into the report's
// candidate and pair rows. Pure: takes the stats objects, returns plain data; unknown or missing fields become null.
import type { CandidateType, ReportCandidate, ReportPair } from '../../common/report';

export interface StatsSnapshot {
  localCandidates: ReportCandidate[];
  remoteCandidates: ReportCandidate[];
  pairs: ReportPair[];
  /** transport.selectedCandidatePairId, else the pair flagged `selected` (Firefox), else the busiest nominated succeeded pair. */
  selectedPairId: string | null;
  iceState: string | null;
  dtlsState: string | null;
}

type Stat = Record<string, unknown>;
const str = (s: Stat, k: string): string | null => (typeof s[k] === 'string' ? (s[k] as string) : null);
const num = (s: Stat, k: string): number | null => (typeof s[k] === 'number' && Number.isFinite(s[k]) ? (s[k] as number) : null);
const CANDIDATE_TYPES: readonly string[] = ['host', 'srflx', 'prflx', 'relay'];
// Firefox spells the types out.
const TYPE_ALIASES: Record<string, CandidateType> = { serverreflexive: 'srflx', peerreflexive: 'prflx', relayed: 'relay' };

function candidateType(value: string | null): CandidateType | null {
  if (!value) return null;
  if (CANDIDATE_TYPES.includes(value)) return value as CandidateType;
  return TYPE_ALIASES[value.toLowerCase()] ?? null;
}

function toCandidate(s: Stat): ReportCandidate | null {
  const id = str(s, 'id');
  const type = candidateType(str(s, 'candidateType'));
  const protocol = str(s, 'protocol')?.toLowerCase();
  if (!id || !type || (protocol !== 'udp' && protocol !== 'tcp')) return null;
  return {
    id,
    type,
    protocol,
    // Chromium hides a peer-reflexive remote's address as "" until it is signaled.
    address: str(s, 'address') || str(s, 'ip') || null,
    port: num(s, 'port'),
    priority: num(s, 'priority'),
    relayProtocol: type === 'relay' ? str(s, 'relayProtocol') : null,
    url: str(s, 'url'),
    at: null,
  };
}

function toPair(s: Stat): ReportPair | null {
  const id = str(s, 'id');
  const localId = str(s, 'localCandidateId');
  const remoteId = str(s, 'remoteCandidateId');
  if (!id || !localId || !remoteId) return null;
  const rtt = num(s, 'currentRoundTripTime');
  return {
    id,
    localId,
    remoteId,
    state: str(s, 'state') ?? 'unknown',
    nominated: s.nominated === true,
    requestsSent: num(s, 'requestsSent') ?? 0,
    responsesReceived: num(s, 'responsesReceived') ?? 0,
    currentRtt: rtt === null ? null : Math.round(rtt * 1000 * 10) / 10,
    bytesSent: num(s, 'bytesSent') ?? 0,
    bytesReceived: num(s, 'bytesReceived') ?? 0,
  };
}

export function mapStats(stats: Iterable<unknown>): StatsSnapshot {
  const snapshot: StatsSnapshot = { localCandidates: [], remoteCandidates: [], pairs: [], selectedPairId: null, iceState: null, dtlsState: null };
  let flaggedSelected: string | null = null;
  for (const raw of stats) {
    if (!raw || typeof raw !== 'object') continue;
    const s = raw as Stat;
    switch (s.type) {
      case 'local-candidate':
      case 'remote-candidate': {
        const c = toCandidate(s);
        if (c) (s.type === 'local-candidate' ? snapshot.localCandidates : snapshot.remoteCandidates).push(c);
        break;
      }
      case 'candidate-pair': {
        const p = toPair(s);
        if (!p) break;
        snapshot.pairs.push(p);
        if (s.selected === true) flaggedSelected = p.id;
        break;
      }
      case 'transport': {
        // With bundling there is one transport; keep the first that has a selection.
        snapshot.selectedPairId ??= str(s, 'selectedCandidatePairId');
        snapshot.iceState ??= str(s, 'iceState');
        snapshot.dtlsState ??= str(s, 'dtlsState');
        break;
      }
    }
  }
  if (snapshot.selectedPairId && !snapshot.pairs.some((p) => p.id === snapshot.selectedPairId)) snapshot.selectedPairId = null;
  snapshot.selectedPairId ??= flaggedSelected;
  if (!snapshot.selectedPairId) {
    const nominated = snapshot.pairs.filter((p) => p.nominated && p.state === 'succeeded');
    nominated.sort((a, b) => b.bytesReceived + b.bytesSent - (a.bytesReceived + a.bytesSent));
    snapshot.selectedPairId = nominated[0]?.id ?? null;
  }
  return snapshot;
}

export const candidateKey = (c: Pick<ReportCandidate, 'type' | 'protocol' | 'address' | 'port'>) => `${c.type}|${c.protocol}|${c.address}|${c.port}`;

/**
 * Joins the candidates seen in events/signaling (which know when they arrived) with those in getStats (which
 * carry the ids that pairs point at). Stats rows win for ids; the event row keeps its time and server URL.
 * Candidates only stats know (peer-reflexive ones learned from checks) are added at the end.
 */
export function mergeCandidates(signaled: readonly ReportCandidate[], fromStats: readonly ReportCandidate[]): ReportCandidate[] {
  const byKey = new Map(fromStats.map((c) => [candidateKey(c), c]));
  const used = new Set<string>();
  const merged = signaled.map((c) => {
    const key = candidateKey(c);
    const s = byKey.get(key);
    if (!s) return c;
    used.add(key);
    return { ...c, id: s.id, priority: c.priority ?? s.priority, relayProtocol: c.relayProtocol ?? s.relayProtocol, url: c.url ?? s.url };
  });
  for (const s of fromStats) if (!used.has(candidateKey(s))) merged.push(s);
  return merged;
}
