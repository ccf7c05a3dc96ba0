// Polls RTCPeerConnection.getStats() on a timer and hands each mapped snapshot on. Never overlaps polls.
import { mapStats, type StatsSnapshot } from './stats-mapping';

export function startStatsPoller(pc: RTCPeerConnection, onSnapshot: (s: StatsSnapshot) => void, intervalMs = 500): () => void {
  let busy = false;
  let stopped = false;
  const poll = async () => {
    if (busy || stopped) return;
    busy = true;
    try {
      const report = await pc.getStats();
      if (!stopped) onSnapshot(mapStats(report.values() as Iterable<unknown>));
    } catch {
      // The connection was closed between ticks; the next stop() ends the loop.
    } finally {
      busy = false;
    }
  };
  void poll();
  const timer = setInterval(poll, intervalMs);
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
