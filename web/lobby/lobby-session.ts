// One lobby page's connection logic, outside React (the lobby's twin of web/room/room-session.ts, sharing its ICE
// server cache, reconnect delays and signaling client): joins the lobby, keeps one PeerDriver with its own AppStore
// per other peer (a full mesh; the newcomer offers to everyone already there; perfect negotiation with the larger
// peer id as the polite side), restarts ICE on a failed pair after a network change, runs "Check my network" once
// and broadcasts it with this page's name and its view of each link. Throughput tests and relay checks go through
// the lobby queue (lobby-queue-driver.ts): one in the whole lobby at a time. Writes only through the lobby store.
import { CloseCode, ErrorCode, LOBBY_CAPACITY, PROTOCOL_VERSION, type ClientMessage, type LinkSummary, type PeerInfo, type ServerMessage } from '../../common/messages';
import type { DiagnosisResult } from '../../common/nat/diagnosis-result';
import { LOBBY_CHANNEL } from '../../common/peer-protocol';
import { startConnectionRegion, type ConnectionRegion } from '../diagnosis/connection-region';
import { customIceServersFromUrl, startDiagnosis } from '../diagnosis/diagnosis-controller';
import { checkAgainAfterLinksSettle } from './lobby-diagnosis';
import { SIGNALING_UNREACHABLE, signalingErrorText } from '../errors/limit-messages';
import { PeerDriver, type PeerDriverOptions } from '../peer/peer-driver';
import { RECONNECT_DELAYS_MS, createIceServerCache, defaultFetchJson } from '../room/room-session';
import { connectSignaling, signalingUrl, type CreateSocket, type SignalingClient } from '../signaling/signaling-client';
import { createAppStore, type AppStore } from '../store/app-store';
import { linkState, linkSummary, worthBroadcasting } from './lobby-session-links';
import { LobbyQueueDriver } from './lobby-queue-driver';
import type { LobbyJob } from './lobby-queue';
import { jobResultHere, jobRunningHere } from './lobby-job-state';
import { checkPeerName } from './lobby-session-name';
import type { LobbyStore } from './lobby-store';

/** How hard a lobby page works per link; the defaults keep 7 links light on a phone (docs/lobby.md). */
export interface LobbyTiming {
  /** RTT/loss pings per link on the unreliable channel. */
  pingIntervalMs: number;
  /** getStats() per link. */
  statsIntervalMs: number;
  /** Least time between two broadcasts of this page's link summaries (the relay's budget: docs/lobby.md). */
  broadcastMinMs: number;
  /** The same when a link's state or path changed: the others' matrices wait for that. */
  broadcastUrgentMinMs: number;
  /** ICE restarts per link after network changes. */
  maxIceRestarts: number;
  /** How long a peer whose signaling dropped may take to come back while its link is still up. */
  peerReturnGraceMs: number;
  /** "Check my network" waits for this page's links to stop connecting, at most this long. */
  diagnosisMaxWaitMs: number;
  /** A throughput test or relay check still running after this long frees the lobby queue (its link hangs). */
  jobMaxMs: number;
}

export const DEFAULT_LOBBY_TIMING: LobbyTiming = {
  pingIntervalMs: 1000,
  statsIntervalMs: 1000,
  broadcastMinMs: 1000,
  broadcastUrgentMinMs: 200,
  maxIceRestarts: 3,
  peerReturnGraceMs: 5000,
  diagnosisMaxWaitMs: 15_000,
  jobMaxMs: 60_000,
};

export interface LobbySessionOptions {
  roomId: string;
  store: LobbyStore;
  /** This page's name until the person types one (defaultPeerName). */
  name: string;
  wsUrl?: string;
  fetchJson?: (path: string) => Promise<unknown>;
  now?: () => number;
  search?: string;
  timing?: Partial<LobbyTiming>;
  /** A WebRTC implementation other than the browser's (the headless peer, cli/peer/headless-lobby.ts). */
  createPeerConnection?: PeerDriverOptions['createPeerConnection'];
  createSocket?: CreateSocket;
  /** false: no "Check my network" (the headless peer has no browser to run it in). */
  diagnosis?: boolean;
  /** 'decline': this page has no media to call with (the headless peer): asked for a call test, either end of a link
   *  tells the other, whose call ends as skipped with that reason. Default: call tests on demand (runCall). */
  call?: 'on-demand' | 'decline';
}

export interface LobbySession {
  /** This page's own "Check my network" (progress and result), for the diagnosis panel. */
  readonly selfStore: AppStore;
  /** The ICE region this page's links use (the nearest by round trip, with ICE_REGIONS), for the page to show. */
  readonly region: ConnectionRegion;
  /** Renames this page for everyone; an error sentence when the name is not usable (nothing changes then). */
  setName(name: string): string | null;
  /** Whether this page leads the link test and relay check of the link to peerId (its offerer: the later joiner). */
  leads(peerId: string): boolean;
  /** Queues a throughput test of the link to peerId in the lobby queue (one test in the whole lobby at a time);
   *  on a link this page does not lead, asks the page that does. False when the link cannot be tested. */
  runLinkTest(peerId: string): boolean;
  /** The lobby-wide sweep: every link of the lobby, one at a time (this page's own links, and every other page
   *  asked to queue the links it leads). Returns how many this page queued. */
  startSweep(): number;
  /** The relay fallback check of the link to peerId, through the same queue. */
  runRelayCheck(peerId: string): boolean;
  /** A call test on the link to peerId (synthetic audio and video both ways, web/call), through the same queue. */
  runCall(peerId: string): boolean;
  stop(): void;
}

interface Pair {
  peerId: string;
  store: AppStore;
  driver: PeerDriver;
  unsubscribe: () => void;
  closed: boolean;
  pingsSent: number;
  state: LinkSummary['state'];
  stateAt: number;
  /** ms since start when the connection began or last restarted ICE. */
  since: number;
  restarts: number;
  goneTimer: ReturnType<typeof setTimeout> | null;
  /** The lobby queue's channel on this connection (negotiated, both ends create it). */
  lobbyChannel: RTCDataChannel;
}

/** Random reconnect key for this page load (kept in memory only: a reload is a new peer). */
function newClientId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

const fingerprintOf = (sdp: string) => /^a=fingerprint:(.+)$/m.exec(sdp)?.[1]?.trim() ?? null;

export function startLobbySession(opts: LobbySessionOptions): LobbySession {
  const { store: lobby, roomId } = opts;
  const timing = { ...DEFAULT_LOBBY_TIMING, ...opts.timing };
  const now = opts.now ?? Date.now;
  const startedAt = now();
  const since = () => Math.max(0, Math.round(now() - startedAt));
  const l = () => lobby.getState();
  const clientId = newClientId();
  const pairs = new Map<string, Pair>();
  let name = opts.name;
  let diagnosis: DiagnosisResult | null = null;
  let stopped = false;
  // Signaling messages are handled in order per peer, and the pairs' negotiations side by side: a WebRTC call
  // (setRemoteDescription, addIceCandidate) for one pair need not wait for another pair's. Membership messages
  // (joined, peer-joined, peer-left, errors) wait for everything before them, and everything after waits for them.
  let allTail: Promise<void> = Promise.resolve();
  const peerTails = new Map<string, Promise<void>>();
  function inOrder(peerId: string | null, task: () => Promise<void> | void, what: string): void {
    const run = () => Promise.resolve()
      .then(() => (stopped ? undefined : task()))
      .catch((err: unknown) => console.warn('[lobby] failed on a message', { roomId, type: what, error: err instanceof Error ? err.message : String(err) }));
    if (peerId === null) {
      allTail = Promise.all([allTail, ...peerTails.values()]).then(run);
      peerTails.clear();
    } else {
      peerTails.set(peerId, (peerTails.get(peerId) ?? allTail).then(run));
    }
  }
  /** The lobby queue, from the first `joined` on (it needs this page's id). */
  let tests: LobbyQueueDriver | null = null;
  let reconnectAttempt = 0;
  let reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  let broadcastTimer: ReturnType<typeof setTimeout> | null = null;
  let lastBroadcast = -Infinity;
  let broadcastDue = Infinity;
  let networkChangedAt = -1;
  let joinedOnce = false;
  let diagnosisStarted = false;
  /** Refused for good (full, replaced, another version): no reconnect. */
  let signalingOver = false;

  l().openLobby(roomId);
  const selfStore = createAppStore();
  selfStore.getState().openRoom(roomId, false, startedAt);

  // The links use the ICE region this page ranks nearest, as the room's connection does (connection-region.ts): the
  // ranking runs at once, each link waits for it, and "Check my network" records the same ranking.
  const region = startConnectionRegion({ rank: opts.diagnosis !== false });

  const ice = createIceServerCache({
    fetchJson: opts.fetchJson ?? defaultFetchJson,
    now,
    onLoaded: () => undefined,
    onError: (_code, message) => console.warn('[lobby]', { roomId, message }),
  });

  const send = (m: ClientMessage) => client.send(m);
  const present = (peerId: string) => {
    const m = l().members[peerId];
    return !!m && m.leftAt === null && !m.self;
  };
  const p2pUp = (p: Pair) => !p.closed && p.driver.channelOpen && (p.driver.pc.connectionState === 'connected' || p.driver.pc.connectionState === 'disconnected');

  // ---- what this page tells the others ----------------------------------------------------------------------

  const ownLinks = (): Record<string, LinkSummary> => {
    const mine = l().selfId ? (l().links[l().selfId!] ?? {}) : {};
    return Object.fromEntries(Object.entries(mine).filter(([id]) => present(id)).slice(0, LOBBY_CAPACITY - 1));
  };
  const selfInfo = (): PeerInfo => ({ name, links: ownLinks(), ...(diagnosis ? { diagnosis } : {}) });

  /** A link's state or path changed (urgent: the matrix and "links settled" wait for it) or only its figures. */
  function broadcastLinks(urgent: boolean): void {
    if (stopped) return;
    const due = Math.max(now(), lastBroadcast + (urgent ? timing.broadcastUrgentMinMs : timing.broadcastMinMs));
    if (broadcastTimer !== null) {
      if (due >= broadcastDue) return;
      clearTimeout(broadcastTimer);
    }
    broadcastDue = due;
    const wait = due - now();
    broadcastTimer = setTimeout(() => {
      broadcastTimer = null;
      lastBroadcast = now();
      send({ type: 'peer-info', info: { links: ownLinks() } });
    }, wait);
  }

  // ---- one link per other peer ------------------------------------------------------------------------------

  function onPairChange(p: Pair): void {
    if (stopped) return;
    const s = p.store.getState();
    const state = linkState(s, p.closed);
    if (state !== p.state) {
      p.state = state;
      p.stateAt = since();
      if (state === 'failed') maybeRestartIce(p);
      if (state === 'closed' && !present(p.peerId)) closePair(p, 'the other peer left');
    }
    maybeStartDiagnosis();
    forgetAsked(p);
    const summary = linkSummary(s, { closed: p.closed, pingsSent: p.pingsSent, stateAt: p.stateAt });
    // Wobbles stay out of the store and off the wire: the matrix re-renders, and the others hear, only real changes.
    const last = l().selfId === null ? undefined : l().links[l().selfId!]?.[p.peerId];
    if (l().selfId === null || !worthBroadcasting(last, summary)) return;
    l().setOwnLink(p.peerId, summary);
    broadcastLinks(!last || last.state !== summary.state || last.path !== summary.path);
  }

  /** ICE restart on a failed link, only when this page's network changed since the link (re)started. */
  function maybeRestartIce(p: Pair): void {
    if (p.closed || p.state !== 'failed' || networkChangedAt < p.since || p.restarts >= timing.maxIceRestarts) return;
    if (!p.driver.restartIce()) return;
    p.restarts++;
    p.since = since();
  }

  function closePair(p: Pair, reason: string): void {
    if (p.goneTimer !== null) clearTimeout(p.goneTimer);
    p.goneTimer = null;
    if (p.closed) return;
    p.closed = true;
    if (pairs.get(p.peerId) === p) tests?.detach(p.peerId);
    p.driver.close(reason);
    onPairChange(p);
    p.unsubscribe();
  }

  async function openPair(peerId: string, role: 'offerer' | 'answerer'): Promise<Pair | null> {
    const old = pairs.get(peerId);
    if (old) closePair(old, 'the other peer started a new connection');
    const regionId = await region.settled();
    const servers = await ice.get(regionId);
    if (stopped) return null;
    const store = createAppStore();
    const st = store.getState();
    st.openRoom(roomId, false, startedAt);
    st.beginTest(now());
    const current = ice.current(regionId);
    if (current) st.setIceServers(current.map((x) => ({ urls: Array.isArray(x.urls) ? [...x.urls] : [x.urls] })));
    if (diagnosis) st.updateDiagnosis(st.beginDiagnosis(), diagnosis);
    const selfId = l().selfId ?? '';
    const pair: Pair = {
      peerId, store, closed: false, pingsSent: 0, state: 'connecting', stateAt: since(), since: since(), restarts: 0, goneTimer: null,
      unsubscribe: () => undefined,
      lobbyChannel: null!,
      driver: new PeerDriver({
        role,
        store,
        config: { iceServers: servers, iceTransportPolicy: 'all' },
        polite: selfId > peerId,
        quality: 'on-demand',
        call: opts.call ?? 'on-demand',
        ping: { intervalMs: timing.pingIntervalMs, channel: 'unreliable', onSent: () => void pair.pingsSent++ },
        statsIntervalMs: timing.statsIntervalMs,
        createPeerConnection: opts.createPeerConnection,
        send: (m) => {
          if (m.type === 'description' || m.type === 'candidate' || m.type === 'peer-info') send({ ...m, to: peerId });
        },
      }),
    };
    pair.unsubscribe = store.subscribe(() => onPairChange(pair));
    // Negotiated (both ends create it): no renegotiation, and it opens with the connection's SCTP association.
    pair.lobbyChannel = pair.driver.pc.createDataChannel(LOBBY_CHANNEL.label, { ...LOBBY_CHANNEL.init });
    pairs.set(peerId, pair);
    tests?.attach(peerId, pair.lobbyChannel);
    l().setPairStore(peerId, store);
    onPairChange(pair);
    return pair;
  }

  function memberGone(peerId: string): void {
    l().memberLeft(peerId, since());
    const p = pairs.get(peerId);
    if (p) closePair(p, 'the other peer left');
  }

  // ---- signaling ------------------------------------------------------------------------------------------

  async function handle(msg: ServerMessage): Promise<void> {
    switch (msg.type) {
      case 'joined': {
        if (msg.lobby !== true) {
          l().setFatal('This signaling server did not open a lobby (it may be an older version of p2pcheck). Reload later, or start a two-person test.');
          return;
        }
        reconnectAttempt = 0;
        l().setSelf(msg.peerId, msg.capacity ?? LOBBY_CAPACITY);
        if (!tests) startTests(msg.peerId);
        l().memberJoined(msg.peerId, since(), name, true);
        if (!joinedOnce) send({ type: 'peer-info', info: { name } }); // alone: goes nowhere, harmless
        joinedOnce = true;
        // Members that left while this page's signaling was away.
        for (const id of Object.keys(l().members)) if (present(id) && !msg.peers.includes(id)) memberGone(id);
        msg.peers.forEach((id, i) => l().memberJoined(id, since(), `Peer ${i + 1}`));
        // The newcomer (this page) offers to everyone already there; links still up after a blip carry on.
        await Promise.all(msg.peers.map((id) => {
          const p = pairs.get(id);
          return !p || !p2pUp(p) ? openPair(id, 'offerer') : null;
        }));
        maybeStartDiagnosis();
        return;
      }
      case 'peer-joined': {
        l().memberJoined(msg.peerId, since(), `Peer ${Object.keys(l().members).length}`);
        const p = pairs.get(msg.peerId);
        if (p?.goneTimer != null && p2pUp(p)) {
          clearTimeout(p.goneTimer);
          p.goneTimer = null;
        } else if (p) closePair(p, 'the other peer joined again');
        // The relay keeps no peer-info: the newcomer learns this page's name, verdict and links from it.
        send({ type: 'peer-info', to: msg.peerId, info: selfInfo() });
        return;
      }
      case 'description': {
        if (!present(msg.from)) l().memberJoined(msg.from, since(), `Peer ${Object.keys(l().members).length}`);
        let p = pairs.get(msg.from);
        const remote = p?.driver.pc.remoteDescription;
        const newSession = !!remote && fingerprintOf(remote.sdp) !== fingerprintOf(msg.description.sdp);
        if (msg.description.type === 'offer' && (!p || p.closed || newSession)) p = (await openPair(msg.from, 'answerer')) ?? undefined;
        await p?.driver.handleDescription(msg.description);
        return;
      }
      case 'candidate': {
        const p = pairs.get(msg.from);
        if (p && !p.closed) await p.driver.handleCandidate(msg.candidate);
        return;
      }
      case 'peer-info': {
        const { name: peerName, diagnosis: peerDiagnosis, links, ...pairInfo } = msg.info;
        if (peerName !== undefined || peerDiagnosis !== undefined) {
          l().setMemberInfo(msg.from, { ...(peerName !== undefined ? { name: peerName } : {}), ...(peerDiagnosis !== undefined ? { diagnosis: peerDiagnosis } : {}) });
        }
        if (links) l().setLinks(msg.from, links);
        const p = pairs.get(msg.from);
        const forPair = { ...pairInfo, ...(peerDiagnosis !== undefined ? { diagnosis: peerDiagnosis } : {}) };
        if (p && Object.keys(forPair).length > 0) p.store.getState().mergeRemoteInfo(forPair);
        return;
      }
      case 'peer-left': {
        const p = pairs.get(msg.peerId);
        if (p && p2pUp(p)) {
          // Maybe only its signaling dropped: give it time to come back before marking it gone.
          if (p.goneTimer !== null) clearTimeout(p.goneTimer);
          p.goneTimer = setTimeout(() => {
            inOrder(null, () => memberGone(msg.peerId), 'peer-left');
          }, timing.peerReturnGraceMs);
          return;
        }
        memberGone(msg.peerId);
        return;
      }
      case 'pong':
        return;
      case 'error':
        if (msg.code === ErrorCode.roomFull) {
          l().setFull(true);
          stopSignaling();
        } else if (msg.code === ErrorCode.unsupportedVersion || msg.code === ErrorCode.roomKindMismatch || msg.code === 'replaced') {
          l().setFatal(signalingErrorText(msg.code, msg.message));
          stopSignaling();
        } else if (msg.code === ErrorCode.tooManyConnections) {
          l().setFatal(signalingErrorText(msg.code, msg.message));
        } else {
          console.warn('[lobby] signaling error', { roomId, code: msg.code, message: msg.message });
        }
        return;
      default: {
        const unreachable: never = msg;
        return unreachable;
      }
    }
  }

  /** No rejoin after this (full, replaced, unsupported): the links already up keep running. */
  function stopSignaling(): void {
    signalingOver = true;
    if (reconnectTimer !== null) clearTimeout(reconnectTimer);
    client.close();
  }

  const connect = (): SignalingClient =>
    connectSignaling(opts.wsUrl ?? signalingUrl(location), {
      onOpen: () => {
        reconnectAttempt = 0;
        if (l().fatal !== null && !signalingOver) l().setFatal(null);
        send({ type: 'join', roomId, clientId, version: PROTOCOL_VERSION, lobby: true });
      },
      onMessage: (msg) => {
        const from = msg.type === 'description' || msg.type === 'candidate' || msg.type === 'peer-info' ? msg.from : null;
        inOrder(from, () => handle(msg), msg.type);
      },
      onMalformed: (error) => console.warn('[lobby] unreadable message from the server', { roomId, error }),
      onClose: ({ code, reason, wasOpen }) => {
        if (stopped || signalingOver) return;
        const refusedForCap = code === CloseCode.tryAgainLater || reason === ErrorCode.tooManyConnections;
        if (!refusedForCap && (wasOpen || reconnectAttempt > 0) && reconnectAttempt < RECONNECT_DELAYS_MS.length) {
          // A blip: reconnect and rejoin with the same clientId, which gives this page its seat (and id) back.
          reconnectTimer = setTimeout(() => {
            reconnectTimer = null;
            if (!stopped) client = connect();
          }, RECONNECT_DELAYS_MS[reconnectAttempt++]);
          return;
        }
        l().setFatal(
          refusedForCap
            ? signalingErrorText(ErrorCode.tooManyConnections, reason)
            : wasOpen || reconnectAttempt > 0
              ? `The signaling connection closed (code ${code}) and did not come back. Links already made keep running; reload the page to rejoin the lobby.`
              : SIGNALING_UNREACHABLE,
        );
      },
    }, opts.createSocket);
  let client: SignalingClient = connect();
  void ice.get();

  // "Check my network", once per page, broadcast to everyone (and given to each link's report). It waits until
  // this page's links have settled or failed (or diagnosisMaxWaitMs): its STUN and relay tests would otherwise
  // compete with up to seven ICE checks and path selections for the same CPU and network (scripts/bench-lobby.ts
  // measured the newcomer's check running while its links settled).
  const settledOrFailed = (p: Pair) => p.closed || p.state === 'failed' || (p.state === 'connected' && p.store.getState().stats.selection.settled);
  let diagnosisRuns = 0;
  function maybeStartDiagnosis(force = false): void {
    if (diagnosisStarted || stopped || opts.diagnosis === false || l().selfId === null) return;
    const linksSettled = [...pairs.values()].every(settledOrFailed);
    if (!force && !linksSettled) return;
    diagnosisStarted = true;
    if (diagnosisTimer !== null) clearTimeout(diagnosisTimer);
    const run = { startedEarly: !linksSettled, runs: ++diagnosisRuns };
    void startDiagnosis(selfStore, {
      customIceServers: customIceServersFromUrl(opts.search ?? location.search).servers,
      ranking: region.ranking,
      share: ({ diagnosis: d }) => {
        if (stopped) return;
        if (checkAgainAfterLinksSettle(run, d)) {
          // Held back (lobby-diagnosis.ts): once more when the links settle, at the latest after the same wait.
          diagnosisStarted = false;
          diagnosisTimer = setTimeout(() => maybeStartDiagnosis(true), timing.diagnosisMaxWaitMs);
          maybeStartDiagnosis();
          return;
        }
        diagnosis = d;
        const selfId = l().selfId;
        if (selfId) l().setMemberInfo(selfId, { diagnosis: d });
        for (const p of pairs.values()) if (!p.closed) p.store.getState().updateDiagnosis(p.store.getState().beginDiagnosis(), d);
        send({ type: 'peer-info', info: { diagnosis: d } });
      },
    });
  }
  let diagnosisTimer: ReturnType<typeof setTimeout> | null = setTimeout(() => maybeStartDiagnosis(true), timing.diagnosisMaxWaitMs);

  // A network change (Wi-Fi to cellular, a new address) is when an ICE restart can rescue a failed link.
  const onNetworkChange = () => {
    networkChangedAt = since();
    for (const p of pairs.values()) maybeRestartIce(p);
  };
  const connection = (globalThis.navigator as (Navigator & { connection?: EventTarget }) | undefined)?.connection;
  globalThis.addEventListener?.('online', onNetworkChange);
  connection?.addEventListener('change', onNetworkChange);

  // ---- throughput tests and relay checks: one in the whole lobby at a time ---------------------------------

  const canLead = (peerId: string) => {
    const p = pairs.get(peerId);
    return !!p && !p.closed && p.driver.leads;
  };
  const testable = (p: Pair) => !p.closed && p.state === 'connected' && p.driver.channelOpen;

  /** Runs one job of a link this page leads; settles when it ended (done, failed, skipped, or the link closed). */
  async function runJob(job: LobbyJob): Promise<void> {
    const p = pairs.get(job.peerId);
    if (!p || !testable(p) || !p.driver.leads) return;
    if (job.kind === 'link-test') {
      await p.driver.runLinkTest();
      return;
    }
    if (job.kind === 'call') {
      // Settles once this end's call result is in (done, partial, failed, skipped) or the link closed.
      await p.driver.runCallTest();
      return;
    }
    // A link's relay check runs once (relay-check.ts); its result stays in the pair's report.
    const before = p.store.getState().link.relayCheck;
    if (before !== null || !p.driver.runRelayCheck()) return;
    await new Promise<void>((resolve) => {
      const over = () => {
        const rc = p.store.getState().link.relayCheck;
        return p.closed || (rc !== before && rc !== null && rc.state !== 'running');
      };
      if (over()) return resolve();
      const unsubscribe = p.store.subscribe(() => {
        if (!over()) return;
        unsubscribe();
        resolve();
      });
    });
  }

  function startTests(selfId: string): void {
    tests = new LobbyQueueDriver({
      selfId,
      run: runJob,
      leads: canLead,
      ledLinks: () => [...pairs.values()].filter((p) => testable(p) && p.driver.leads).map((p) => p.peerId),
      jobMaxMs: timing.jobMaxMs,
      onChange: (view, finished) => l().setSweep({ queued: view.queued, running: view.running, waiting: view.state === 'asking', finished }),
    });
    for (const p of pairs.values()) if (!p.closed) tests.attach(p.peerId, p.lobbyChannel);
  }

  const request = (kind: LobbyJob['kind'], peerId: string) => {
    const p = pairs.get(peerId);
    if (!p || !testable(p) || !tests?.request(kind, peerId)) return false;
    // A link's relay check runs once: asking again for one that ran is answered by its result already shown.
    if (!p.driver.leads && !(kind === 'relay-check' && p.store.getState().link.relayCheck !== null)) remember({ kind, peerId }, jobResultHere(kind, p.store.getState()));
    return true;
  };

  // Jobs asked of the page that leads the link: shown as queued there until this end sees them run or a new result
  // of theirs arrive (its pair store; a declining headless leader sends only a result), the link closes, or jobMaxMs
  // passed (the leader's queue does not answer an ask).
  const asks = new Map<string, { timer: ReturnType<typeof setTimeout>; before: unknown }>();
  const askKey = (j: LobbyJob) => `${j.kind} ${j.peerId}`;
  function remember(job: LobbyJob, before: unknown): void {
    const key = askKey(job);
    const known = asks.get(key);
    if (known) clearTimeout(known.timer);
    else l().setAsked([...l().asked, job]);
    asks.set(key, { timer: setTimeout(() => forget(job), timing.jobMaxMs), before: known ? known.before : before });
  }
  function forget(job: LobbyJob): void {
    const key = askKey(job);
    clearTimeout(asks.get(key)?.timer);
    asks.delete(key);
    const left = l().asked.filter((j) => askKey(j) !== key);
    if (left.length !== l().asked.length) l().setAsked(left);
  }
  function forgetAsked(p: Pair): void {
    for (const job of l().asked) {
      if (job.peerId !== p.peerId) continue;
      const s = p.store.getState();
      if (p.closed || jobRunningHere(job.kind, s) || jobResultHere(job.kind, s) !== asks.get(askKey(job))?.before) forget(job);
    }
  }

  return {
    selfStore,
    region,
    setName(input) {
      const checked = checkPeerName(input);
      if (!checked.ok) return checked.error;
      name = checked.name;
      const selfId = l().selfId;
      if (selfId) l().setMemberInfo(selfId, { name });
      send({ type: 'peer-info', info: { name } });
      return null;
    },
    leads: canLead,
    runLinkTest: (peerId) => request('link-test', peerId),
    startSweep: () => tests?.sweep() ?? 0,
    runRelayCheck: (peerId) => request('relay-check', peerId),
    runCall: (peerId) => request('call', peerId),
    stop() {
      if (stopped) return;
      for (const p of pairs.values()) closePair(p, 'this page left the lobby');
      stopped = true;
      if (reconnectTimer !== null) clearTimeout(reconnectTimer);
      if (broadcastTimer !== null) clearTimeout(broadcastTimer);
      if (diagnosisTimer !== null) clearTimeout(diagnosisTimer);
      tests?.stop();
      for (const a of asks.values()) clearTimeout(a.timer);
      asks.clear();
      globalThis.removeEventListener?.('online', onNetworkChange);
      connection?.removeEventListener('change', onNetworkChange);
      send({ type: 'leave' });
      client.close();
    },
  };
}
