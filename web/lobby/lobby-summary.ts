// The answers above the lobby's matrix: how many links work and how ("all 28 links work (21 direct, 7 relayed)"),
// who cannot reach whom directly and why (naming both NAT types), which links settled otherwise than their NAT
// types predict, and who left. Pure, from the matrix. Counts cover the pairs of members still present; a leaver's
// cells stay in the matrix, marked. Sentences start in lower case where the wording does; the view
// capitalises the first letter with CSS, so the text stays what tests and screen readers read.
import { PATH_LABELS } from '../../common/path-kind';
import type { LobbyMatrix, MatrixCell, MatrixMember } from './lobby-matrix';

export interface LobbyCounts {
  /** Pairs of present members. */
  total: number;
  direct: number;
  relayed: number;
  failed: number;
  pending: number;
}

export interface LobbySummary {
  counts: LobbyCounts;
  headline: string;
  /** Who cannot reach whom directly and why, one sentence per peer with such links (the most first). */
  blocked: string[];
  /** Links that settled otherwise than the two NAT verdicts predict. */
  mismatches: string[];
  /** Who left (their cells are kept, marked). */
  left: string | null;
}

const list = (xs: readonly string[], last = 'and') => (xs.length <= 1 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} ${last} ${xs.at(-1)}`);
const who = (m: MatrixMember) => `${m.name} (${m.natPhrase})`;

function headlineOf(c: LobbyCounts): string {
  const working = c.direct + c.relayed;
  const how = [c.direct ? `${c.direct} direct` : '', c.relayed ? `${c.relayed} relayed` : ''].filter(Boolean).join(', ');
  if (c.total === 0) return 'waiting for others to join: send them the link';
  if (c.total === 1) {
    if (c.pending) return 'the link is still connecting';
    return c.failed ? 'the link fails' : `the link works (${how})`;
  }
  if (c.pending === c.total) return `connecting all ${c.total} links…`;
  const parts: string[] = [];
  if (c.pending === 0 && c.failed === 0) return `all ${c.total} links work (${how})`;
  parts.push(working === 0 ? `none of ${c.total} links work` : `${working} of ${c.total} links work${c.pending ? ' so far' : ''} (${how})`);
  if (c.failed) parts.push(`${c.failed} fail`);
  if (c.pending) parts.push(`${c.pending} still connecting`);
  return parts.join('; ');
}

/** Groups the pairs that are not direct by peer, the peer with the most first, so eight peers give a few lines. */
function blockedLines(matrix: LobbyMatrix, present: MatrixMember[]): string[] {
  const byId = new Map(present.map((m) => [m.peerId, m]));
  let open: MatrixCell[] = matrix.cells.filter((c) => byId.has(c.a) && byId.has(c.b) && (c.route === 'relayed' || c.path === 'failed'));
  const lines: string[] = [];
  while (open.length) {
    const count = (m: MatrixMember) => open.filter((c) => c.a === m.peerId || c.b === m.peerId).length;
    const hub = present.reduce((best, m) => (count(m) > count(best) ? m : best));
    const mine = open.filter((c) => c.a === hub.peerId || c.b === hub.peerId);
    open = open.filter((c) => !mine.includes(c));
    const other = (c: MatrixCell) => byId.get(c.a === hub.peerId ? c.b : c.a)!;
    const relayed = mine.filter((c) => c.route === 'relayed').map(other);
    const failed = mine.filter((c) => c.path === 'failed').map(other);
    if (relayed.length === 1) lines.push(`${who(hub)} and ${who(relayed[0]!)} cannot connect directly: relayed through TURN`);
    else if (relayed.length > 1) lines.push(`${who(hub)} cannot connect directly to ${list(relayed.map(who), 'or')}: relayed through TURN`);
    if (failed.length === 1) lines.push(`${who(hub)} and ${who(failed[0]!)} cannot connect at all: no direct path, and no relay got through`);
    else if (failed.length > 1) lines.push(`${who(hub)} cannot connect at all to ${list(failed.map(who), 'or')}: no direct path, and no relay got through`);
  }
  return lines;
}

function mismatchLine(c: MatrixCell, a: MatrixMember, b: MatrixMember): string {
  const p = c.prediction!;
  const actual = c.path === 'failed' || c.path === 'pending' ? 'no connection was made' : `it settled on ${PATH_LABELS[c.path]}`;
  return `${a.name} and ${b.name}: their NAT types predict ${p.predictedLabel}, but ${actual}`;
}

export function summarizeLobby(matrix: LobbyMatrix): LobbySummary {
  const present = matrix.members.filter((m) => !m.left);
  const presentIds = new Set(present.map((m) => m.peerId));
  const cells = matrix.cells.filter((c) => presentIds.has(c.a) && presentIds.has(c.b));
  const counts: LobbyCounts = {
    total: cells.length,
    direct: cells.filter((c) => c.route === 'direct').length,
    relayed: cells.filter((c) => c.route === 'relayed').length,
    failed: cells.filter((c) => c.path === 'failed').length,
    pending: cells.filter((c) => c.path === 'pending').length,
  };
  const byId = new Map(matrix.members.map((m) => [m.peerId, m]));
  const leavers = matrix.members.filter((m) => m.left).map((m) => m.name);
  return {
    counts,
    headline: headlineOf(counts),
    blocked: blockedLines(matrix, present),
    mismatches: cells.filter((c) => c.mismatch).map((c) => mismatchLine(c, byId.get(c.a)!, byId.get(c.b)!)),
    left: leavers.length ? `${list(leavers)} left: ${leavers.length === 1 ? 'that peer\u2019s' : 'their'} links are kept in the matrix, marked` : null,
  };
}
