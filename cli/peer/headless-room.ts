// The headless peer in a two-person room: the page's own room session (web/room/room-session.ts) with werift's
// RTCPeerConnection and the `ws` package's WebSocket, a store of its own, and a deadline. Resolves once the test
// settled (cli/peer/room-outcome.ts) with the report the page would show.
import WebSocket from 'ws';
import type { ConnectivityReport } from '../../common/report';
import { buildReport } from '../../web/report/build-report';
import { startRoomSession } from '../../web/room/room-session';
import { fetchApiJson } from '../../web/errors/api-error';
import { createAppStore, type AppState } from '../../web/store/app-store';
import { outcomeAtDeadline, settledOutcome, type RoomOutcome } from './room-outcome';

/** How long a finished test stays in the room before it closes its connection. */
const DONE_LINGER_MS = 500;

export interface HeadlessRoomOptions {
  /** http(s)://host[:port] of the p2pcheck server. */
  origin: string;
  wsUrl: string;
  roomId: string;
  relayOnly: boolean;
  /** The whole test, from joining to the relay check's end. */
  timeoutMs: number;
  createPeerConnection: (config: RTCConfiguration) => RTCPeerConnection;
  signal: AbortSignal;
  /** Progress for a person watching ("the other peer joined", "connected: …"). */
  onProgress?(text: string): void;
}

export interface HeadlessRoomResult {
  outcome: RoomOutcome;
  report: ConnectivityReport;
}

/** The `ws` package's client, with the 'error' listener every socket needs (a refused connection is followed by
 *  'close', which the signaling client handles); it sends no Origin, which the server accepts from non-browsers. */
export function createNodeSocket(url: string): globalThis.WebSocket {
  const ws = new WebSocket(url, { maxPayload: 1024 * 1024 });
  ws.on('error', () => {});
  return ws as unknown as globalThis.WebSocket;
}

export function runHeadlessRoom(opts: HeadlessRoomOptions): Promise<HeadlessRoomResult> {
  const store = createAppStore();
  const session = startRoomSession({
    roomId: opts.roomId,
    relayOnly: opts.relayOnly,
    store,
    wsUrl: opts.wsUrl,
    fetchJson: (path) => fetchApiJson<unknown>('ice-servers', new URL(path, opts.origin).href, { cache: 'no-store' }),
    createPeerConnection: opts.createPeerConnection,
    createSocket: createNodeSocket,
    call: 'decline',
    diagnosis: false,
  });
  return new Promise((resolve) => {
    let done = false;
    const finish = (outcome: RoomOutcome) => {
      if (done) return;
      done = true;
      clearTimeout(deadline);
      unsubscribe();
      opts.signal.removeEventListener('abort', onAbort);
      const report = buildReport(store.getState());
      // A finished test lingers a moment before it leaves: the last messages this side sent on the data channel
      // (the relay check's verdict, when this side started it) reach the page before its peer-left does.
      const leave = () => {
        session.stop();
        resolve({ outcome, report });
      };
      if (outcome.kind === 'done') setTimeout(leave, DONE_LINGER_MS);
      else leave();
    };
    const progress = watchProgress(opts.onProgress);
    const unsubscribe = store.subscribe((state) => {
      progress(state);
      const outcome = settledOutcome(state);
      if (outcome) finish(outcome);
    });
    const deadline = setTimeout(() => finish(outcomeAtDeadline(store.getState())), opts.timeoutMs);
    const onAbort = () => finish({ kind: 'interrupted' });
    if (opts.signal.aborted) onAbort();
    else opts.signal.addEventListener('abort', onAbort);
  });
}

/** One line per step a person waiting at a terminal cares about. */
function watchProgress(onProgress: ((text: string) => void) | undefined): (s: AppState) => void {
  let last = { status: '', remote: null as string | null, peerState: '', path: '', quality: false, relay: '' };
  return (s) => {
    if (!onProgress) return;
    const now = {
      status: s.signaling.status,
      remote: s.signaling.remotePeerId,
      peerState: s.peer.peerState,
      path: s.stats.selection.settled ? (s.stats.selection.history.at(-1)?.path ?? '') : '',
      quality: s.link.quality !== null,
      relay: s.link.relayCheck?.state ?? '',
    };
    if (now.status !== last.status && now.status === 'open') onProgress('connected to the signaling server, in the room');
    if (now.remote !== last.remote && now.remote !== null) onProgress('the other peer is here; connecting…');
    if (now.peerState !== last.peerState && now.peerState === 'connected') onProgress('peer-to-peer connection up; measuring the link…');
    if (now.path !== last.path && now.path !== '') onProgress(`path settled: ${now.path}`);
    if (now.quality && !last.quality) onProgress('link test done');
    if (now.relay !== last.relay && now.relay === 'running') onProgress('checking the TURN relay fallback…');
    last = now;
  };
}
