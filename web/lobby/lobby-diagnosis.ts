// When a lobby page's "Check my network" is run again before anyone is told its result. The check normally waits
// for this page's links to settle; after diagnosisMaxWaitMs it runs anyway, beside up to seven ICE checks and path
// selections. On a starved machine (the NAT lab's six-Chromium lobby on two cores) such an early check can miss its
// own deadlines — the STUN answer after UDP_DEADLINE_MS, the TCP relay after RELAY_DEADLINE_MS — and conclude
// "No connectivity to the server" while the same page's links connect through that very server, or "NAT type not
// determined" (a mapping or filtering answer came too late; seen in the lab lobby at load 58). Such a verdict is then
// wrong or empty in every matrix row and prediction, so it is checked once more when the links have settled.
import type { DiagnosisResult } from '../../common/nat/diagnosis-result';

export interface LobbyCheckRun {
  /** The check started while some of this page's links were still connecting (the wait ran out). */
  startedEarly: boolean;
  /** Runs so far, this one included. */
  runs: number;
}

/** True when this result is held back and the check runs again once the links settle (at most once per page). */
export function checkAgainAfterLinksSettle(run: LobbyCheckRun, result: Pick<DiagnosisResult, 'state' | 'verdict'>): boolean {
  return run.startedEarly && run.runs === 1 && (result.state === 'error' || result.verdict?.kind === 'no-connectivity' || result.verdict?.kind === 'undetermined');
}
