// The lobby's N×N matrix as a model: one row/column per member (join order) and one cell per pair, built from
// what every member broadcast (LobbyState: its diagnosis facts and its own view of each link). Pure.
// Verdicts are rebuilt here from the measured facts (web/diagnosis/peer-diagnosis.ts), never taken from a peer's
// words; the predicted path of a pair is the two-person room's (web/diagnosis/room-diagnosis.ts roomPrediction).
import type { LinkSummary } from '../../common/messages';
import type { DiagnosisResult, RoomPrediction } from '../../common/nat/diagnosis-result';
import { NAT_KIND_LABELS, type NatKind } from '../../common/nat/nat-verdict';
import { PATH_LABELS, type PathKind } from '../../common/path-kind';
import { readPeerDiagnosis } from '../diagnosis/peer-diagnosis';
import { roomPrediction } from '../diagnosis/room-diagnosis';
import type { LobbyState } from './lobby-types';

export type MatrixInput = Pick<LobbyState, 'members' | 'links' | 'selfId'>;

export interface MatrixMember {
  peerId: string;
  name: string;
  self: boolean;
  left: boolean;
  /** Its "Check my network" result with the verdict rebuilt from its facts; null until it broadcast one. */
  diagnosis: DiagnosisResult | null;
  natKind: NatKind | null;
  /** "Symmetric NAT", or "network not checked yet". */
  natLabel: string;
  /** The NAT in a sentence: "symmetric NAT", "no NAT", "UDP blocked", "network not checked". */
  natPhrase: string;
  /** How its links to the members still present settled (left members: to those present when it left, as last seen). */
  reach: { direct: number; relayed: number; failed: number; pending: number; of: number };
}

/** What a cell shows: a settled path kind, 'pending' (no path yet) or 'failed' (ICE gave up). */
export type CellPath = PathKind | 'pending' | 'failed';

export type CellState = 'connecting' | 'connected' | 'failed' | 'left';

export interface MatrixCell {
  /** The pair in join order: `a` joined first. */
  a: string;
  b: string;
  state: CellState;
  /** Kind of path the pair settled on (for a pair with a leaver: the last one seen); 'pending' or 'failed' otherwise. */
  path: CellPath;
  /** Direct (same network, public addresses, through NAT) vs relayed, for counting; null while pending or failed. */
  route: 'direct' | 'relayed' | null;
  /** Round-trip time over the data channel, ms: the mean of both sides' latest figures (one side's when only one has one). */
  rttMs: number | null;
  /** Each side's own view: links[a][b] and links[b][a]. */
  fromA: LinkSummary | null;
  fromB: LinkSummary | null;
  /**
   * Do both sides see the same path? 'agree' (same kind, or both relayed: which transport each uses to its TURN
   * server is its own), 'disagree' (for instance one side direct, the other relayed), 'one-side' (only one has
   * settled), 'unknown' (neither has).
   */
  agreement: 'agree' | 'disagree' | 'one-side' | 'unknown';
  /** The path predicted from the two members' NAT verdicts and how it compares (null until both verdicts are known). */
  prediction: RoomPrediction | null;
  /** The settled path contradicts the prediction (or no path was made where one was predicted). */
  mismatch: boolean;
}

export interface LobbyMatrix {
  members: MatrixMember[];
  /** Every pair once, in row-major order of join (a before b). */
  cells: MatrixCell[];
  /** Cell of a pair, either order; undefined on the diagonal or for unknown ids. */
  cell(x: string, y: string): MatrixCell | undefined;
}

const DIRECT: ReadonlySet<PathKind> = new Set<PathKind>(['direct-lan', 'direct-public', 'p2p-nat']);
export const isDirectPath = (p: PathKind) => DIRECT.has(p);
const isRelayPath = (p: PathKind) => p.startsWith('relay-');

/** Short cell labels (the full ones are PATH_LABELS). */
export const CELL_PATH_LABELS: Record<CellPath, string> = {
  'direct-lan': 'LAN',
  'direct-public': 'direct',
  'p2p-nat': 'P2P (NAT)',
  'relay-udp': 'relay UDP',
  'relay-tcp': 'relay TCP',
  'relay-tls': 'relay TLS',
  none: 'no path',
  pending: 'connecting…',
  failed: 'failed',
};

export const cellPathTitle = (p: CellPath) => (p === 'pending' ? 'not settled yet' : p === 'failed' ? 'failed: no path found' : PATH_LABELS[p]);

/**
 * A NAT kind inside a sentence, after a name in parentheses ("Cy (symmetric NAT)"): the label without its own
 * parenthesis, its first word in lower case unless it is an acronym ("UDP blocked").
 */
export function natPhraseOf(kind: NatKind | null): string {
  if (kind === null) return 'network not checked';
  const label = NAT_KIND_LABELS[kind].replace(/ \(.*\)$/, '');
  return /^[A-Z][a-z]/.test(label) ? label[0]!.toLowerCase() + label.slice(1) : label;
}

// When the sides disagree, the cell shows the more conservative kind: traffic through a relay in either direction
// makes the pair relayed.
const CAUTION: readonly PathKind[] = ['relay-tls', 'relay-tcp', 'relay-udp', 'p2p-nat', 'direct-public', 'direct-lan'];

function settledPath(s: LinkSummary | null): PathKind | null {
  return s && s.state !== 'failed' && s.path !== null && s.path !== 'none' ? s.path : null;
}

function agreementOf(pa: PathKind | null, pb: PathKind | null): MatrixCell['agreement'] {
  if (pa === null && pb === null) return 'unknown';
  if (pa === null || pb === null) return 'one-side';
  if (pa === pb || (isRelayPath(pa) && isRelayPath(pb))) return 'agree';
  return 'disagree';
}

function buildCell(a: MatrixMember, b: MatrixMember, fromA: LinkSummary | null, fromB: LinkSummary | null): MatrixCell {
  const pa = settledPath(fromA);
  const pb = settledPath(fromB);
  const known = [pa, pb].filter((p): p is PathKind => p !== null);
  const kind = known.length ? CAUTION.find((k) => known.includes(k))! : null;
  const failed = kind === null && (fromA?.state === 'failed' || fromB?.state === 'failed');
  const left = a.left || b.left;
  const state: CellState = left ? 'left' : kind !== null ? 'connected' : failed ? 'failed' : 'connecting';
  const path: CellPath = kind ?? (failed ? 'failed' : 'pending');
  const rtts = [fromA?.rttMs, fromB?.rttMs].filter((v): v is number => typeof v === 'number');
  const rttMs = rtts.length ? rtts.reduce((x, y) => x + y, 0) / rtts.length : null;
  // The prediction is judged against a settled path, or against "no path" once ICE failed.
  const actual = kind !== null ? { kind, settled: true } : { kind: 'none' as const, settled: failed };
  const prediction = roomPrediction(a.diagnosis, b.diagnosis, actual);
  return {
    a: a.peerId,
    b: b.peerId,
    state,
    path,
    route: kind === null ? null : isDirectPath(kind) ? 'direct' : 'relayed',
    rttMs,
    fromA,
    fromB,
    agreement: agreementOf(pa, pb),
    prediction,
    mismatch: prediction?.check === 'disagree' || prediction?.check === 'no-path',
  };
}

// A member's broadcast diagnosis is read once (schema check, verdict, compatibility table), not on every rebuild
// of the matrix: the store keeps the same object until the member broadcasts a new one.
const readDiagnoses = new WeakMap<object, DiagnosisResult | null>();
function readDiagnosis(wire: object): DiagnosisResult | null {
  if (!readDiagnoses.has(wire)) readDiagnoses.set(wire, readPeerDiagnosis({ diagnosis: wire }));
  return readDiagnoses.get(wire)!;
}

export function buildLobbyMatrix(input: MatrixInput): LobbyMatrix {
  const members: MatrixMember[] = Object.values(input.members).map((m) => {
    // The same reading for this page's own result as for everyone else's: facts only, verdict rebuilt.
    const diagnosis = m.diagnosis ? readDiagnosis(m.diagnosis) : null;
    const natKind = diagnosis?.verdict?.kind ?? null;
    return {
      peerId: m.peerId,
      name: m.name,
      self: m.self || m.peerId === input.selfId,
      left: m.leftAt !== null,
      diagnosis,
      natKind,
      natLabel: natKind ? NAT_KIND_LABELS[natKind] : 'network not checked yet',
      natPhrase: natPhraseOf(natKind),
      reach: { direct: 0, relayed: 0, failed: 0, pending: 0, of: 0 },
    };
  });
  const cells: MatrixCell[] = [];
  const byKey = new Map<string, MatrixCell>();
  const side = (from: string, to: string) => input.links[from]?.[to] ?? null;
  for (let i = 0; i < members.length; i++) {
    for (let j = i + 1; j < members.length; j++) {
      const a = members[i]!;
      const b = members[j]!;
      const c = buildCell(a, b, side(a.peerId, b.peerId), side(b.peerId, a.peerId));
      cells.push(c);
      byKey.set(`${a.peerId}\n${b.peerId}`, c);
      byKey.set(`${b.peerId}\n${a.peerId}`, c);
      // Reach counts a pair of present members for both; a leaver's row counts its links as last seen.
      for (const [m, other] of [[a, b], [b, a]] as const) {
        if (other.left && !m.left) continue;
        m.reach.of++;
        if (c.route === 'direct') m.reach.direct++;
        else if (c.route === 'relayed') m.reach.relayed++;
        else if (c.path === 'failed') m.reach.failed++;
        else m.reach.pending++;
      }
    }
  }
  return { members, cells, cell: (x, y) => byKey.get(`${x}\n${y}`) };
}

/** "reaches 6 of 7 (5 direct, 1 relayed)", "1 of 3 still connecting". */
export function reachText(r: MatrixMember['reach']): string {
  if (r.of === 0) return 'alone so far';
  const reached = r.direct + r.relayed;
  const parts = [`${r.direct} direct`];
  if (r.relayed) parts.push(`${r.relayed} relayed`);
  let text = `reaches ${reached} of ${r.of} (${parts.join(', ')})`;
  if (r.failed) text += `, ${r.failed} failed`;
  if (r.pending) text += `, ${r.pending} connecting`;
  return text;
}
