// The headless peer in a lobby: the page's own lobby session (web/lobby/lobby-session.ts) with werift's
// RTCPeerConnection and the `ws` package's WebSocket, a lobby store of its own, and a deadline. Resolves once this
// peer's links have settled (cli/peer/lobby-outcome.ts) with the lobby report the page would save.
import type { LobbyReport } from '../../common/lobby-report';
import type { ConnectivityReport } from '../../common/report';
import { fetchApiJson } from '../../web/errors/api-error';
import { buildLobbyReport } from '../../web/lobby/lobby-matrix-report';
import { DEFAULT_LOBBY_TIMING, startLobbySession } from '../../web/lobby/lobby-session';
import { createLobbyStore, type LobbyStoreState } from '../../web/lobby/lobby-store';
import { buildReport } from '../../web/report/build-report';
import { createNodeSocket } from './headless-room';
import { abortOutcome, allSettled, lobbyOutcomeAtDeadline, otherMembers, settledLink, type LobbyOutcome, type SettledLink } from './lobby-outcome';

export interface HeadlessLobbyOptions {
  origin: string;
  wsUrl: string;
  roomId: string;
  /** This peer's name in the others' matrices. */
  name: string;
  /** Wait for this many peers in the lobby (this one included) before the links can count as settled. */
  wantPeers: number;
  timeoutMs: number;
  createPeerConnection: (config: RTCConfiguration) => RTCPeerConnection;
  signal: AbortSignal;
  onProgress?(text: string): void;
}

export interface HeadlessLobbyResult {
  outcome: LobbyOutcome;
  state: LobbyStoreState;
  /** This peer's settled links, by the other peer's id (this end's and the other end's view). */
  settled: ReadonlyMap<string, SettledLink>;
  report: LobbyReport;
}

// This peer's own view of a link goes out at most broadcastUrgentMinMs after it changes (lobby-session.ts): the run
// ends no sooner after its last link settled, or the others' matrices would miss this end's view.
const BROADCAST_LAG_MS = DEFAULT_LOBBY_TIMING.broadcastUrgentMinMs + 300;

export function runHeadlessLobby(opts: HeadlessLobbyOptions): Promise<HeadlessLobbyResult> {
  const store = createLobbyStore(opts.roomId);
  const createdAt = Date.now();
  const session = startLobbySession({
    roomId: opts.roomId,
    store,
    name: opts.name,
    wsUrl: opts.wsUrl,
    search: '',
    fetchJson: (path) => fetchApiJson<unknown>('ice-servers', new URL(path, opts.origin).href, { cache: 'no-store' }),
    createPeerConnection: opts.createPeerConnection,
    createSocket: createNodeSocket,
    diagnosis: false,
    // No media here: a call test asked of a link to this peer ends as skipped, with why, on the page's side.
    call: 'decline',
  });
  const settled = new Map<string, SettledLink>();
  let lastSettledAt = 0;
  return new Promise((resolve) => {
    let done = false;
    let lagTimer: ReturnType<typeof setTimeout> | null = null;
    const finish = (outcome: LobbyOutcome) => {
      if (done) return;
      done = true;
      clearTimeout(deadline);
      if (lagTimer !== null) clearTimeout(lagTimer);
      unsubscribe();
      opts.signal.removeEventListener('abort', onAbort);
      const state = withSettledViews(store.getState(), settled);
      const pairReports = new Map<string, ConnectivityReport>([...state.pairStores].map(([id, s]) => [id, buildReport(s.getState())]));
      const report = buildLobbyReport({ state, pairReports, createdAt, savedAt: Date.now() });
      session.stop();
      resolve({ outcome, state, settled, report });
    };
    const progress = watchProgress(opts.onProgress);
    const check = () => {
      const s = store.getState();
      progress(s);
      const abort = abortOutcome(s);
      if (abort) return finish(abort);
      for (const id of otherMembers(s, false)) {
        if (settled.has(id)) continue;
        const link = settledLink(s, id);
        if (!link) continue;
        settled.set(id, link);
        lastSettledAt = Date.now();
      }
      if (!allSettled(s, opts.wantPeers, settled)) return;
      const wait = lastSettledAt + BROADCAST_LAG_MS - Date.now();
      if (wait <= 0) return finish({ kind: 'done' });
      if (lagTimer === null) lagTimer = setTimeout(() => {
        lagTimer = null;
        check();
      }, wait);
    };
    const unsubscribe = store.subscribe(check);
    const deadline = setTimeout(() => finish(lobbyOutcomeAtDeadline(store.getState(), opts.wantPeers)), opts.timeoutMs);
    const onAbort = () => finish({ kind: 'interrupted' });
    if (opts.signal.aborted) onAbort();
    else opts.signal.addEventListener('abort', onAbort);
  });
}

/** The lobby as this peer saw it, each settled link with the views it settled on: a link that closed afterwards
 *  (the other end finished first and left) reads as it was, not as 'closed'. Members who left stay marked. */
function withSettledViews(s: LobbyStoreState, settled: ReadonlyMap<string, SettledLink>): LobbyStoreState {
  if (s.selfId === null || settled.size === 0) return s;
  const selfId = s.selfId;
  const links = { ...s.links, [selfId]: { ...s.links[selfId] } };
  for (const [id, link] of settled) {
    if (links[selfId]![id]?.state !== link.mine.state) links[selfId]![id] = link.mine;
    const theirs = links[id]?.[selfId];
    if (link.theirs && (!theirs || theirs.state === 'closed')) links[id] = { ...links[id], [selfId]: link.theirs };
  }
  return { ...s, links };
}

function watchProgress(onProgress: ((text: string) => void) | undefined): (s: LobbyStoreState) => void {
  let selfId: string | null = null;
  const seen = new Set<string>();
  const reported = new Set<string>();
  return (s) => {
    if (!onProgress) return;
    if (s.selfId === null || !s.members[s.selfId]) return;
    if (selfId === null) onProgress(`in the lobby as ${s.selfId} (${Object.keys(s.members).length} of ${s.capacity} here)`);
    selfId = s.selfId;
    for (const m of Object.values(s.members)) {
      if (m.self || seen.has(m.peerId)) continue;
      seen.add(m.peerId);
      onProgress(`${m.peerId} is here; connecting…`);
    }
    const mine = selfId ? (s.links[selfId] ?? {}) : {};
    for (const [id, v] of Object.entries(mine)) {
      const key = `${id} ${v.state} ${v.path ?? ''}`;
      if (reported.has(key) || (v.state === 'connected' && v.path === null)) continue;
      reported.add(key);
      if (v.state === 'connected') onProgress(`link to ${id}: ${v.path}`);
      else if (v.state === 'failed') onProgress(`link to ${id}: failed`);
    }
  };
}
