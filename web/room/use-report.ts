// The live report for the room page: rebuilt when the peer, stats or RTT slices change.
import { useMemo } from 'react';
import type { ConnectivityReport } from '../../common/report';
import { buildReport } from '../report/build-report';
import { useAppStore } from '../store/app-store';

export function useLiveReport(): ConnectivityReport {
  const peer = useAppStore((s) => s.peer);
  const stats = useAppStore((s) => s.stats);
  const rtt = useAppStore((s) => s.rtt);
  const diagnosis = useAppStore((s) => s.diagnosis);
  const quality = useAppStore((s) => s.link.quality);
  const iceEvents = useAppStore((s) => s.link.iceEvents);
  return useMemo(() => buildReport({ peer, stats, rtt, diagnosis, link: { quality, iceEvents } }), [peer, stats, rtt, diagnosis, quality, iceEvents]);
}
