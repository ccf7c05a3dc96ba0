// Which lobby queue jobs of one link are under way, as one end of the link sees them (lobby-page.tsx): queued or
// running in this page's own queue (links it leads), asked of the page that leads the link, or running on the link
// itself (whichever end led it). Pure: the lobby's and the pair's state in, a sentence or null out.
import type { LobbyJobKind } from '../../common/peer-protocol';
import type { AppState } from '../store/app-store';
import { callPending } from '../store/call-slice';
import { linkTestMark } from './link-test-mark';
import type { LobbyJob } from './lobby-queue';
import type { LobbySweep } from './lobby-types';

/** How the page names each job kind. */
export const JOB_LABELS: Record<LobbyJobKind, string> = {
  'link-test': 'throughput test',
  'relay-check': 'relay check',
  call: 'call test',
};

export type PairJobState = Pick<AppState, 'link' | 'call'>;

/** Whether a job of this kind runs on the link now, as this end's pair store shows it (either end may lead it). */
export function jobRunningHere(kind: LobbyJobKind, s: PairJobState): boolean {
  switch (kind) {
    case 'link-test':
      return linkTestMark(s.link.progress, s.link.quality).state === 'running';
    case 'relay-check':
      return s.link.relayCheck?.state === 'running';
    case 'call':
      return callPending(s.call);
    default: {
      const unreachable: never = kind;
      return unreachable;
    }
  }
}

/** The last result of a job of this kind on the link, as this end's pair store holds it (a new one: the job ran). */
export function jobResultHere(kind: LobbyJobKind, s: PairJobState): unknown {
  switch (kind) {
    case 'link-test':
      return s.link.quality;
    case 'relay-check':
      return s.link.relayCheck;
    case 'call':
      return s.call.result;
    default: {
      const unreachable: never = kind;
      return unreachable;
    }
  }
}

/** The job running on the link now, as this end's pair store shows it, or null. */
export const jobOnLink = (s: PairJobState): LobbyJobKind | null => (Object.keys(JOB_LABELS) as LobbyJobKind[]).find((k) => jobRunningHere(k, s)) ?? null;

/** Why no further job of the link to peerId should be asked for now (one is queued, asked or running), or null.
 *  `onLink`: the job this end sees running on the link (jobOnLink). */
export function linkJobBusy(peerId: string, sweep: Pick<LobbySweep, 'queued' | 'running'>, asked: readonly LobbyJob[], onLink: LobbyJobKind | null): string | null {
  if (sweep.running?.peerId === peerId) return `the ${JOB_LABELS[sweep.running.kind]} of this link is running`;
  const queued = sweep.queued.find((j) => j.peerId === peerId);
  if (queued) return `a ${JOB_LABELS[queued.kind]} of this link is queued`;
  if (onLink) return `the ${JOB_LABELS[onLink]} of this link is running`;
  const ask = asked.find((j) => j.peerId === peerId);
  if (ask) return `a ${JOB_LABELS[ask.kind]} of this link is queued on the other page`;
  return null;
}
