// Saves the report on the server when the test completes (link measurement finished, or the test ended
// without one), and again when the redaction choice changes; writes the permalink into the store. Outside
// React: subscribes to the store, POSTs /api/reports.
import type { SavedReportBody } from '../../common/lobby-report-kind';
import type { ConnectivityReport } from '../../common/report';
import { ApiRequestError, fetchApiJson } from '../errors/api-error';
import { buildReport } from '../report/build-report';
import { callPending } from '../store/call-slice';
import type { AppState, AppStore } from '../store/app-store';

export interface SaveResponse {
  id: string;
  url: string;
  redacted: boolean;
}

/** Saves a report: a two-person room's by default, `PostReport<LobbyReport>` for a lobby's. */
export type PostReport<R extends SavedReportBody = ConnectivityReport> = (body: { report: R; redact: boolean }) => Promise<SaveResponse>;

/** POST /api/reports of the server at `apiBase` (the page: its own origin, ''; the headless peer: the room link's). */
export const postReportTo = (apiBase: string): PostReport<SavedReportBody> => async (body) => {
  const json = await fetchApiJson<Partial<SaveResponse> | null>('report-save', `${apiBase}/api/reports`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!json?.id || !json.url) throw new Error('the server answered without a report id');
  return { id: json.id, url: json.url, redacted: json.redacted ?? body.redact };
};

export const postReport: PostReport<SavedReportBody> = postReportTo('');

/** What the share panel says when saving failed (a refusal in the server's limits says so in plain words). */
export function saveFailedText(err: unknown): string {
  if (err instanceof ApiRequestError) return `The report was not saved: ${err.message} \u201cDownload JSON\u201d still works.`;
  return `The report could not be saved: ${err instanceof Error ? err.message : String(err)}. "Download JSON" still works.`;
}

/** True once this test has nothing more to add to its report: the link measured and the relay check (which follows
 *  it, except in relay-only tests) over, or the test ended. */
export function testComplete(s: Pick<AppState, 'peer' | 'link'> & { call?: AppState['call'] }): boolean {
  if (s.peer.startedAt !== null && (s.peer.peerState === 'peer-left' || s.peer.peerState === 'failed')) return true;
  // The call test (web/call) runs between the link measurement and the relay check.
  return s.link.quality !== null && !callPending(s.call) && (s.peer.relayOnly || (s.link.relayCheck !== null && s.link.relayCheck.state !== 'running'));
}

export function startReportSaver(store: AppStore, post: PostReport = postReport): () => void {
  let saving = false;
  const check = (s: AppState) => {
    const share = s.link.share;
    if (saving || !testComplete(s)) return;
    if (share.status === 'saved' && share.savedRedacted === share.redact) return;
    if (share.status === 'failed' && share.savedRedacted === share.redact) return;
    saving = true;
    const redact = share.redact;
    const testNumber = s.peer.testNumber;
    s.setShare({ status: 'saving', error: null });
    post({ report: buildReport(s), redact })
      .then(
        (r) => {
          if (store.getState().peer.testNumber === testNumber) store.getState().setShare({ status: 'saved', id: r.id, url: r.url, savedRedacted: redact });
        },
        (err: unknown) => {
          if (store.getState().peer.testNumber === testNumber)
            store.getState().setShare({ status: 'failed', savedRedacted: redact, error: saveFailedText(err) });
        },
      )
      .finally(() => {
        saving = false;
        check(store.getState());
      });
  };
  const unsubscribe = store.subscribe(check);
  check(store.getState());
  return unsubscribe;
}
