// The live report for the room page: rebuilt when the peer, stats, RTT, diagnosis or link slices change — at
// most every REPORT_REFRESH_MS. The store changes ~8 times a second while a test runs (stats and RTT polls,
// link-test progress); rebuilding and re-rendering the whole report (tables, charts, raw JSON) on each of
// those kept a renderer ~30 % busy on a desktop CPU — on a phone it is battery. Nobody reads faster than this.
import { useEffect, useState } from 'react';
import type { ConnectivityReport } from '../../common/report';
import { buildReport } from '../report/build-report';
import { appStore, type AppState, type AppStore } from '../store/app-store';

export const REPORT_REFRESH_MS = 500;

type ReportInputs = readonly [AppState['peer'], AppState['stats'], AppState['rtt'], AppState['diagnosis'], AppState['link']['quality'], AppState['link']['iceEvents'], AppState['link']['relayCheck'], AppState['call']['result']];

const inputsOf = (s: AppState): ReportInputs => [s.peer, s.stats, s.rtt, s.diagnosis, s.link.quality, s.link.iceEvents, s.link.relayCheck, s.call.result];
const sameInputs = (a: ReportInputs, b: ReportInputs) => a.every((x, i) => x === b[i]);
const reportOf = ([peer, stats, rtt, diagnosis, quality, iceEvents, relayCheck, callResult]: ReportInputs): ConnectivityReport =>
  buildReport({ peer, stats, rtt, diagnosis, link: { quality, iceEvents, relayCheck }, call: { result: callResult } });

export function useLiveReport(refreshMs = REPORT_REFRESH_MS): ConnectivityReport {
  return useLiveReportOf(appStore, refreshMs);
}

/** The same for any AppStore (a lobby page holds one per pair). */
export function useLiveReportOf(store: AppStore, refreshMs = REPORT_REFRESH_MS): ConnectivityReport {
  const [report, setReport] = useState(() => reportOf(inputsOf(store.getState())));
  useEffect(() => {
    let built = inputsOf(store.getState());
    let lastBuild = 0;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const rebuild = () => {
      timer = null;
      lastBuild = performance.now();
      built = inputsOf(store.getState());
      setReport(reportOf(built));
    };
    rebuild(); // whatever changed between the first render and this effect
    const unsubscribe = store.subscribe((state) => {
      if (timer !== null || sameInputs(inputsOf(state), built)) return;
      timer = setTimeout(rebuild, Math.max(0, lastBuild + refreshMs - performance.now()));
    });
    return () => {
      unsubscribe();
      if (timer !== null) clearTimeout(timer);
    };
  }, [store, refreshMs]);
  return report;
}
