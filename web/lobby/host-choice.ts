// Which member of a lobby should host (a game server, the hub of a call): the present peer with direct
// (non-relayed) paths to the most others, then the one that reaches the most others at all (a failed link cannot
// be hosted), then the lowest worst-case RTT over its links — with the reasoning in words. Pure, from the matrix.
// Honest about what is not known: while a link is still connecting, or the RTTs that would decide are not
// measured yet, no host is named ("not settled yet"); worst RTTs this close count as a tie.
import { ms } from '../format/milliseconds';
import type { LobbyMatrix, MatrixMember } from './lobby-matrix';

/** Worst-case RTTs within this many ms (or HOST_RTT_TIE_RATIO of the smaller) are a tie: jitter, not a difference. */
export const HOST_RTT_TIE_MS = 2;
export const HOST_RTT_TIE_RATIO = 0.05;

export interface HostCandidate {
  peerId: string;
  name: string;
  /** Of the other present members: reached directly, through a relay, not at all, not settled yet. */
  direct: number;
  relayed: number;
  failed: number;
  pending: number;
  of: number;
  /** Highest RTT over its working links, ms; null when none has one. */
  worstRttMs: number | null;
  /** Working links without an RTT yet. */
  rttMissing: number;
}

export type HostChoice =
  | { state: 'too-few'; hosts: []; headline: string; reasoning: string; ranking: HostCandidate[] }
  | { state: 'pending'; hosts: []; headline: string; reasoning: string; ranking: HostCandidate[] }
  | { state: 'chosen' | 'tie'; hosts: string[]; headline: string; reasoning: string; ranking: HostCandidate[] };

function candidateOf(matrix: LobbyMatrix, m: MatrixMember, present: MatrixMember[]): HostCandidate {
  const c: HostCandidate = { peerId: m.peerId, name: m.name, direct: 0, relayed: 0, failed: 0, pending: 0, of: 0, worstRttMs: null, rttMissing: 0 };
  for (const o of present) {
    if (o === m) continue;
    const cell = matrix.cell(m.peerId, o.peerId)!;
    c.of++;
    if (cell.route === null) {
      if (cell.path === 'failed') c.failed++;
      else c.pending++;
      continue;
    }
    if (cell.route === 'direct') c.direct++;
    else c.relayed++;
    if (cell.rttMs === null) c.rttMissing++;
    else c.worstRttMs = Math.max(c.worstRttMs ?? 0, cell.rttMs);
  }
  return c;
}

const reachedOf = (c: HostCandidate) => c.direct + c.relayed;

export function rttTie(a: number, b: number): boolean {
  return Math.abs(a - b) <= Math.max(HOST_RTT_TIE_MS, HOST_RTT_TIE_RATIO * Math.min(a, b));
}

function compare(x: HostCandidate, y: HostCandidate): number {
  if (x.direct !== y.direct) return y.direct - x.direct;
  if (reachedOf(x) !== reachedOf(y)) return reachedOf(y) - reachedOf(x);
  return (x.worstRttMs ?? Infinity) - (y.worstRttMs ?? Infinity);
}

/** "reaches 6 of 7 directly (1 relayed)", "reaches all 7 directly". */
function reachWords(c: HostCandidate): string {
  const extra = [c.relayed ? `${c.relayed} relayed` : '', c.failed ? `${c.failed} not at all` : ''].filter(Boolean);
  const head = c.direct === c.of ? (c.of === 1 ? 'reaches the other directly' : `reaches all ${c.of} directly`) : `reaches ${c.direct} of ${c.of} directly`;
  return extra.length ? `${head} (${extra.join(', ')})` : head;
}

const rttWords = (c: HostCandidate) => (c.worstRttMs === null ? 'no RTT measured' : `worst RTT ${ms(c.worstRttMs)}`);

function names(xs: readonly HostCandidate[]): string {
  const n = xs.map((x) => x.name);
  return n.length <= 1 ? (n[0] ?? '') : `${n.slice(0, -1).join(', ')} and ${n.at(-1)}`;
}

export function chooseHost(matrix: LobbyMatrix): HostChoice {
  const present = matrix.members.filter((m) => !m.left);
  const ranking = present.map((m) => candidateOf(matrix, m, present)).sort(compare);
  if (present.length < 2) {
    return { state: 'too-few', hosts: [], headline: 'No host to choose yet', reasoning: 'A host is chosen once at least two peers are here.', ranking };
  }
  const pendingLinks = matrix.cells.filter((c) => c.state === 'connecting').length;
  if (pendingLinks > 0) {
    const total = (present.length * (present.length - 1)) / 2;
    const lead = ranking[0]!;
    return {
      state: 'pending',
      hosts: [],
      headline: 'Best host: not settled yet',
      reasoning: `${pendingLinks} of ${total} links ${pendingLinks === 1 ? 'is' : 'are'} still connecting; the host is chosen once every link has settled.${
        reachedOf(lead) > 0 ? ` So far ${lead.name} ${reachWords(lead)}.` : ''
      }`,
      ranking,
    };
  }
  const best = ranking[0]!;
  // Those as good as the best on paths; RTT decides between them, if it is known.
  const top = ranking.filter((c) => c.direct === best.direct && reachedOf(c) === reachedOf(best));
  if (top.length > 1 && top.some((c) => c.rttMissing > 0)) {
    return {
      state: 'pending',
      hosts: [],
      headline: 'Best host: not settled yet',
      reasoning: `${names(top)} each ${reachWords(best)}; their round-trip times are still being measured.`,
      ranking,
    };
  }
  const tied = top.filter((c) => c === best || (c.worstRttMs !== null && best.worstRttMs !== null && rttTie(c.worstRttMs, best.worstRttMs)));
  if (tied.length > 1) {
    return {
      state: 'tie',
      hosts: tied.map((c) => c.peerId),
      headline: `Best host: ${names(tied)} (a tie)`,
      reasoning: `${names(tied)} each ${reachWords(best)}, ${rttWords(best)}${tied.length === 2 ? ' or within a few ms of it' : ' or close to it'}: either can host.`,
      ranking,
    };
  }
  const next = ranking[1];
  let reasoning = `${best.name} ${reachWords(best)}, ${rttWords(best)}`;
  if (next) {
    if (next.direct === best.direct && reachedOf(next) === reachedOf(best)) reasoning += `; ${next.name} reaches ${next.direct} too but ${rttWords(next)}`;
    else if (next.direct === best.direct) reasoning += `; ${next.name} ${reachWords(next)}`;
    else reasoning += `; the next best, ${next.name}, ${reachWords(next)}`;
  }
  return { state: 'chosen', hosts: [best.peerId], headline: `Best host: ${best.name}`, reasoning: `${reasoning}.`, ranking };
}
