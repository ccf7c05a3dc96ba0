// Polls RTCPeerConnection.getStats() on a timer and hands each mapped snapshot on. Never overlaps polls. The interval
// may be a function, read before each wait: the peer driver polls faster while a path is being settled.
import { mapStats, type StatsSnapshot } from './stats-mapping';

export function startStatsPoller(pc: RTCPeerConnection, onSnapshot: (s: StatsSnapshot) => void, intervalMs: number | (() => number) = 500): () => void {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const nextWait = () => (typeof intervalMs === 'function' ? intervalMs() : intervalMs);
  const poll = async () => {
    timer = null;
    if (stopped) return;
    try {
      const report = await pc.getStats();
      if (!stopped) onSnapshot(mapStats(report.values() as Iterable<unknown>));
    } catch {
      // The connection was closed between ticks; the next stop() ends the loop.
    }
    if (!stopped) timer = setTimeout(() => void poll(), nextWait());
  };
  void poll();
  return () => {
    stopped = true;
    if (timer !== null) clearTimeout(timer);
  };
}
