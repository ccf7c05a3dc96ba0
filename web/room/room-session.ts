// One room page's connection logic, outside React: fetches ICE servers, talks to the signaling relay, and
// starts a PeerDriver per test (a new one each time another peer arrives). Writes only through the store.
import { CloseCode, ErrorCode, type IceServersResponse, type ServerMessage } from '../../common/messages';
import { PeerDriver, type PeerDriverOptions, type PeerRole } from '../peer/peer-driver';
import { connectSignaling, signalingUrl, type CreateSocket, type SignalingClient } from '../signaling/signaling-client';
import type { AppStore } from '../store/app-store';
import { startRoomDiagnosis } from '../diagnosis/room-diagnosis-session';
import { iceServersForRegion } from '../diagnosis/region-ranking';
import { usedRegion } from '../diagnosis/connection-region';
import { ApiRequestError, fetchApiJson } from '../errors/api-error';
import { SIGNALING_UNREACHABLE, signalingErrorText } from '../errors/limit-messages';

export interface RoomSessionOptions {
  roomId: string;
  relayOnly: boolean;
  store: AppStore;
  /** Defaults to the page's own origin. */
  wsUrl?: string;
  fetchJson?: (path: string) => Promise<unknown>;
  now?: () => number;
  // The headless peer (cli/peer) runs this same session in Node: it passes werift's RTCPeerConnection, the `ws`
  // package's WebSocket, declines the call test (no media) and leaves "Check my network" out.
  createPeerConnection?: PeerDriverOptions['createPeerConnection'];
  createSocket?: CreateSocket;
  call?: PeerDriverOptions['call'];
  /** "Check my network" for this side (default true). */
  diagnosis?: boolean;
}

export interface RoomSession {
  /** Leaves the room and rejoins it with a new ICE transport policy (a fresh test). */
  setRelayOnly(relayOnly: boolean): void;
  stop(): void;
}

interface IceConfig {
  /** The default servers and, with ICE_REGIONS, each region's. */
  response: Pick<IceServersResponse, 'iceServers' | 'regions'>;
  fetchedAt: number;
  ttlMs: number;
}

export const defaultFetchJson = (path: string) => fetchApiJson<unknown>('ice-servers', path, { cache: 'no-store' });

/** Waits between signaling reconnect attempts (about a minute in all), then gives up with a clear message. */
export const RECONNECT_DELAYS_MS = [250, 500, 1000, 2000, 4000, 8000, 15000, 30000];

export interface IceServerCache {
  /** Cached ICE servers (the default ones, or with a region id that region's: iceServersForRegion); refetched when
   *  half their credential lifetime has passed. One fetch at a time. */
  get(regionId?: string | null): Promise<RTCIceServer[]>;
  /** The servers of the last fetch (null before the first finished). */
  current(regionId?: string | null): RTCIceServer[] | null;
}

/** /api/ice-servers with its cache, shared by the room and the lobby. A failed fetch is reported to onError and
 *  answers an empty list (host candidates only) for a minute. */
export function createIceServerCache(opts: {
  fetchJson: (path: string) => Promise<unknown>;
  now: () => number;
  onLoaded(servers: IceServersResponse['iceServers']): void;
  onError(code: number | null, message: string): void;
}): IceServerCache {
  let ice: IceConfig | null = null;
  let inFlight: Promise<RTCIceServer[]> | null = null;
  async function load(): Promise<RTCIceServer[]> {
    try {
      const body = (await opts.fetchJson('/api/ice-servers')) as IceServersResponse;
      if (!body || !Array.isArray(body.iceServers)) throw new Error('/api/ice-servers answered without an iceServers list');
      ice = { response: body, fetchedAt: opts.now(), ttlMs: (body.ttl || 3600) * 1000 };
      opts.onLoaded(body.iceServers);
    } catch (err) {
      const message =
        err instanceof ApiRequestError
          ? `${err.message} Without relay credentials this test gathers only host candidates (no STUN, no TURN relay).`
          : `could not load ICE servers: ${err instanceof Error ? err.message : String(err)}; only host candidates will be gathered`;
      opts.onError(err instanceof ApiRequestError ? err.failure.status : null, message);
      ice = { response: { iceServers: [] }, fetchedAt: opts.now(), ttlMs: 60_000 };
    }
    return ice.response.iceServers;
  }
  return {
    async get(regionId) {
      if (!ice || opts.now() - ice.fetchedAt >= ice.ttlMs / 2) {
        inFlight ??= load().finally(() => {
          inFlight = null;
        });
        await inFlight;
      }
      return iceServersForRegion(ice!.response, regionId);
    },
    current: (regionId) => (ice ? iceServersForRegion(ice.response, regionId) : null),
  };
}
/** How long a peer whose signaling dropped may take to come back while the connection is still up. */
const PEER_RETURN_GRACE_MS = 5000;

export function startRoomSession(opts: RoomSessionOptions): RoomSession {
  const { store, roomId } = opts;
  const now = opts.now ?? Date.now;
  const fetchJson = opts.fetchJson ?? defaultFetchJson;
  const s = () => store.getState();
  let relayOnly = opts.relayOnly;
  let driver: PeerDriver | null = null;
  let stopped = false;
  // Messages are handled one at a time, in order, even when a handler awaits (ICE servers, SDP).
  let queue: Promise<void> = Promise.resolve();
  // Signaling blips: the socket reconnects and rejoins the room; a peer-to-peer connection that is
  // up keeps running, since it does not need signaling any more.
  let reconnectAttempt = 0;
  let reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  let rejoining = false;
  let rejoinFullRetries = 0;
  let peerGoneTimer: ReturnType<typeof setTimeout> | null = null;
  // Up = the data channel is still open (a peer that restarted its test closed it) and ICE is connected or
  // only 'disconnected', which it may still recover (consent checks can lag on a busy machine).
  const p2pUp = () => driver !== null && driver.channelOpen && (driver.pc.connectionState === 'connected' || driver.pc.connectionState === 'disconnected');

  /** The other peer is gone for good: end this test, keeping what was measured. */
  function endTest(reason: string): void {
    if (peerGoneTimer !== null) clearTimeout(peerGoneTimer);
    peerGoneTimer = null;
    driver?.close(reason);
    driver = null;
    s().setSignaling({ remotePeerId: null });
    if (s().peer.startedAt !== null) s().setPeerState('peer-left');
  }

  s().openRoom(roomId, relayOnly, now());

  const ice = createIceServerCache({
    fetchJson,
    now,
    onLoaded: (servers) => s().setIceServers(servers.map((x) => ({ urls: [...x.urls] }))),
    onError: (code, message) => s().addError({ at: s().sinceStart(now()), source: 'api', code, message }),
  });
  const iceServers = () => ice.get();
  // With ICE_REGIONS: the region this side's "Check my network" ranked nearest, once it has (null before, and
  // without regions: the default servers).
  const nearestRegion = () => usedRegion(s().diagnosis.local?.regions);

  async function startTest(role: PeerRole): Promise<void> {
    driver?.close();
    s().beginTest(now());
    const servers = await ice.get(nearestRegion());
    if (stopped) return;
    driver = new PeerDriver({
      role,
      store,
      config: { iceServers: servers, iceTransportPolicy: relayOnly ? 'relay' : 'all' },
      send: (m) => client.send(m),
      createPeerConnection: opts.createPeerConnection,
      call: opts.call,
      // Read when the relay check begins (after the link test): by then the ranking is usually known.
      relayIceServers: () => ice.current(nearestRegion()) ?? servers,
    });
    client.send({ type: 'peer-info', info: { relayOnly } });
    diagnosis?.onPeerArrived();
  }

  async function handle(msg: ServerMessage): Promise<void> {
    switch (msg.type) {
      case 'joined':
        s().setSignaling({ peerId: msg.peerId, remotePeerId: msg.peers[0] ?? null, roomFull: false });
        if (rejoining) {
          rejoining = false;
          rejoinFullRetries = 0;
          // Back in the room after a blip with the connection still up: carry on with the same test.
          if (p2pUp()) return;
        }
        // The newcomer makes the offer.
        if (msg.peers.length > 0) await startTest('offerer');
        return;
      case 'peer-joined':
        s().setSignaling({ remotePeerId: msg.peerId });
        if (p2pUp()) {
          // The other peer's signaling came back; the connection never went away. (No peer-left came first when
          // both sockets were moved: the room's home node died and both pages rejoined it on another node.)
          if (peerGoneTimer !== null) clearTimeout(peerGoneTimer);
          peerGoneTimer = null;
          return;
        }
        await startTest('answerer');
        return;
      case 'description':
        if (!driver && msg.description.type === 'offer') await startTest('answerer');
        await driver?.handleDescription(msg.description);
        return;
      case 'candidate':
        await driver?.handleCandidate(msg.candidate);
        return;
      case 'peer-info':
        s().mergeRemoteInfo(msg.info);
        return;
      case 'peer-left':
        if (p2pUp()) {
          // Maybe only its signaling socket dropped: give it time to come back before ending the test.
          s().setSignaling({ remotePeerId: null });
          if (peerGoneTimer !== null) clearTimeout(peerGoneTimer);
          peerGoneTimer = setTimeout(() => {
            queue = queue.then(() => endTest('the other peer left'));
          }, PEER_RETURN_GRACE_MS);
          return;
        }
        endTest('the other peer left');
        return;
      case 'pong':
        return;
      case 'error':
        if (msg.code === 'room-full' && rejoining && rejoinFullRetries < 15) {
          // Our old socket may still hold our seat until the server's heartbeat drops it: try again shortly.
          rejoinFullRetries++;
          setTimeout(() => !stopped && client.send({ type: 'join', roomId }), 1000);
          return;
        }
        if (msg.code === 'room-full') s().setSignaling({ roomFull: true });
        else s().addError({ at: s().sinceStart(now()), source: 'signaling', code: msg.code, message: msg.message });
        // Refused for the connection cap: say so at once (the socket closes next and the page keeps retrying).
        if (msg.code === ErrorCode.tooManyConnections) s().setUi({ fatal: signalingErrorText(msg.code, msg.message) });
        return;
      default: {
        const unreachable: never = msg;
        return unreachable;
      }
    }
  }

  s().setSignaling({ status: 'connecting' });
  const connect = (): SignalingClient => connectSignaling(opts.wsUrl ?? signalingUrl(location), {
    onOpen: () => {
      reconnectAttempt = 0;
      s().setSignaling({ status: 'open' });
      s().setUi({ fatal: null });
      client.send({ type: 'join', roomId });
    },
    onMessage: (msg) => {
      queue = queue.then(() => (stopped ? undefined : handle(msg))).catch((err: unknown) => {
        s().addError({ at: s().sinceStart(now()), source: 'page', code: null, message: err instanceof Error ? err.message : String(err) });
      });
    },
    // Not the server's 'malformed' code (that one is about this page's message): no code, so the list does not
    // explain it as one.
    onMalformed: (error) => s().addError({ at: s().sinceStart(now()), source: 'signaling', code: null, message: `the server sent a message this page cannot read: ${error}` }),
    onClose: ({ code, reason, wasOpen }) => {
      if (stopped) return;
      const refusedForCap = code === CloseCode.tryAgainLater || reason === ErrorCode.tooManyConnections;
      if ((wasOpen || reconnectAttempt > 0) && reconnectAttempt < RECONNECT_DELAYS_MS.length) {
        // A blip: reconnect with backoff and rejoin the same room.
        s().setSignaling({ status: 'connecting' });
        rejoining = true;
        reconnectTimer = setTimeout(() => {
          reconnectTimer = null;
          if (!stopped) client = connect();
        }, RECONNECT_DELAYS_MS[reconnectAttempt++]);
        return;
      }
      s().setSignaling({ status: 'closed' });
      s().setUi({
        fatal: refusedForCap
          ? signalingErrorText(ErrorCode.tooManyConnections, reason)
          : wasOpen || reconnectAttempt > 0
            ? `The signaling connection closed (code ${code}) and did not come back. A connection already made keeps running; reload the page to start a new test.`
            : SIGNALING_UNREACHABLE,
      });
    },
  }, opts.createSocket);
  let client: SignalingClient = connect();
  // "Check my network" for this side, shared with the other side as peer-info.
  const diagnosis = opts.diagnosis === false ? null : startRoomDiagnosis(store, (info) => client.send({ type: 'peer-info', info }));
  // Warm the ICE server cache while waiting for the other peer.
  void iceServers();

  return {
    setRelayOnly(next) {
      if (stopped || next === relayOnly) return;
      relayOnly = next;
      queue = queue.then(() => {
        driver?.close();
        driver = null;
        client.send({ type: 'leave' });
        s().openRoom(roomId, relayOnly, now());
        const current = ice.current();
        if (current) s().setIceServers(current.map((x) => ({ urls: [...(Array.isArray(x.urls) ? x.urls : [x.urls])] })));
        client.send({ type: 'join', roomId });
      });
    },
    stop() {
      if (stopped) return;
      stopped = true;
      if (reconnectTimer !== null) clearTimeout(reconnectTimer);
      if (peerGoneTimer !== null) clearTimeout(peerGoneTimer);
      driver?.close('this page left the room');
      client.send({ type: 'leave' });
      client.close();
    },
  };
}
