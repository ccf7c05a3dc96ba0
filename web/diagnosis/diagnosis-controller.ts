// Runs "Check my network" for the page and writes its progress into the store (outside React). In a room the
// finished result is also handed to `share`, which sends it to the other peer as peer-info.
import type { DiagnosisResult } from '../../common/nat/diagnosis-result';
import type { AppStore } from '../store/app-store';
import { runDiagnosis, type DiagnosisOptions } from './run-diagnosis';

export interface DiagnosisControllerOptions {
  /** The user's own iceServers (then the tests that need p2pcheck's server are skipped). */
  customIceServers?: RTCIceServer[] | null;
  /** Called with the finished result (e.g. to send `peer-info { diagnosis }`). */
  share?: (info: { diagnosis: DiagnosisResult }) => void;
  /** A region ranking this page already measured (run-diagnosis.ts DiagnosisOptions.ranking). */
  ranking?: DiagnosisOptions['ranking'];
}

export async function startDiagnosis(store: AppStore, opts: DiagnosisControllerOptions = {}): Promise<DiagnosisResult> {
  const run = store.getState().beginDiagnosis();
  const result = await runDiagnosis({
    customIceServers: opts.customIceServers ?? null,
    onUpdate: (r) => store.getState().updateDiagnosis(run, r),
    ranking: opts.ranking,
  });
  store.getState().updateDiagnosis(run, result);
  if (store.getState().diagnosis.run === run) opts.share?.({ diagnosis: result });
  return result;
}

/**
 * Custom ICE servers from the page URL: `?iceServers=<JSON array of RTCIceServer>` (URL-encoded). Returns null
 * when absent, or an error message when present but unusable.
 */
export function customIceServersFromUrl(search: string): { servers: RTCIceServer[] | null; error: string | null } {
  const raw = new URLSearchParams(search).get('iceServers');
  if (!raw) return { servers: null, error: null };
  try {
    const parsed: unknown = JSON.parse(raw);
    const list = Array.isArray(parsed) ? parsed : [parsed];
    const servers = list.filter((s): s is RTCIceServer => !!s && typeof s === 'object' && 'urls' in s && (typeof s.urls === 'string' || Array.isArray(s.urls)));
    if (servers.length === 0) return { servers: null, error: 'iceServers in the link holds no {urls: …} entries' };
    return { servers, error: null };
  } catch {
    return { servers: null, error: 'iceServers in the link is not valid JSON' };
  }
}
