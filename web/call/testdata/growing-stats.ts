// Test support: the captured Chromium call stats (chromium-stats.json, second snapshot) as the `poll`-th getStats()
// of a call at constant rates — every counter scaled by the poll number, one second apart.
import type { RawStat } from '../call-stats';
import chromium from './chromium-stats.json';

const COUNTERS = ['bytesReceived', 'bytesSent', 'packetsReceived', 'framesDecoded', 'framesEncoded'];

export function growingChromiumStats(poll: number): Map<string, RawStat> {
  const snap = (chromium.snapshots[1] as RawStat[]).map((s) => {
    const o: RawStat = { ...s, timestamp: 1_000_000 + poll * 1000 };
    for (const f of COUNTERS) if (typeof s[f] === 'number') o[f] = (s[f] as number) * poll;
    return o;
  });
  return new Map(snap.map((s) => [s.id, s]));
}
