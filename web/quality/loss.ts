// Loss, duplicates and reordering of a numbered packet stream as the receiver saw it. Sequence numbers are
// 0..sent-1; arrivals outside that range (a stale stream, a confused peer) are ignored rather than counted.

export interface LossResult {
  sent: number;
  /** Distinct packets received. */
  received: number;
  lost: number;
  /** lost / sent, 0..1; 0 when nothing was sent. */
  lossRatio: number;
  duplicates: number;
  /** Packets that arrived after a higher sequence number had already arrived. */
  reordered: number;
}

/** `arrivals` are sequence numbers in arrival order. */
export function lossFromSequences(sent: number, arrivals: readonly number[]): LossResult {
  const seen = new Set<number>();
  let duplicates = 0;
  let reordered = 0;
  let highest = -1;
  for (const seq of arrivals) {
    if (!Number.isInteger(seq) || seq < 0 || seq >= sent) continue;
    if (seen.has(seq)) {
      duplicates++;
      continue;
    }
    seen.add(seq);
    if (seq < highest) reordered++;
    else highest = seq;
  }
  const received = seen.size;
  const lost = Math.max(0, sent - received);
  return { sent, received, lost, lossRatio: sent > 0 ? lost / sent : 0, duplicates, reordered };
}
