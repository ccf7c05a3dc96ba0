// The headless peer's RTCPeerConnection: werift's (WebRTC in TypeScript), shaped like the browser's, which the
// page's PeerDriver and relay check take as it is. Which local addresses it gathers host candidates on is the
// one thing a browser decides alone and a command line must be told in a test network or a container.
import { Connection, DtlsClient, RTCPeerConnection as WeriftPeerConnection } from 'werift';
import { disableWeriftStunFallback } from '../nat/werift-peer-connection';
import { preferTurnTransport, type TurnTransport } from './turn-transport';
import { installSctpReassemblyFix } from './werift-sctp-reassembly';

export interface HostAddressChoice {
  /** Gather host candidates on exactly these addresses (e.g. 127.0.0.1 in a test); empty: every interface's
   *  non-loopback address, as werift does by default. */
  hostAddresses: readonly string[];
  /** The TURN transport that gets out from here (turn-transport.ts): its URL goes first, as werift allocates on the
   *  first TURN URL only. Null: the server's order. */
  turnTransport?: TurnTransport | null;
}

export function createWeriftPeerConnectionFactory(choice: HostAddressChoice): (config: RTCConfiguration) => RTCPeerConnection {
  const only = choice.hostAddresses.length > 0;
  tolerateRepeatedHelloVerify();
  followRenomination();
  // Never a third party's STUN server: werift asks Google's when it is given none.
  disableWeriftStunFallback();
  return (config) => {
    const servers = (config.iceServers ?? []).map((s) => ({ urls: s.urls, username: s.username, credential: s.credential }));
    const pc = new WeriftPeerConnection({
      iceServers: choice.turnTransport ? preferTurnTransport(servers, choice.turnTransport) : servers,
      iceTransportPolicy: config.iceTransportPolicy === 'relay' ? 'relay' : 'all',
      // werift's interface scan leaves loopback out; with explicit addresses only those are used.
      ...(only ? { iceUseIpv4: false, iceUseIpv6: false, iceAdditionalHostAddresses: [...choice.hostAddresses] } : {}),
    });
    const createDataChannel = pc.createDataChannel.bind(pc);
    pc.createDataChannel = (label, init) => {
      const channel = createDataChannel(label, init);
      // The association exists from the first channel on, before any data arrives.
      installSctpReassemblyFix(pc.sctpTransport?.sctp);
      return withArrayBufferMessages(channel);
    };
    withRelayProtocol(pc);
    // werift implements the browser's RTCPeerConnection interface (EventTarget, getStats with the W3C stats
    // types); the DOM typings differ only in details the driver does not use.
    return pc as unknown as RTCPeerConnection;
  };
}

/** werift's stats leave `relayProtocol` out of relay candidates, so the page's path classifier called every relay
 *  "relay-udp" — also an allocation over TCP (werift falls back to TCP when UDP gets no answer) or TLS. A browser
 *  reports how it reaches its TURN server (W3C webrtc-stats RTCIceCandidateStats.relayProtocol); here it is read from
 *  the TURN client werift made the candidate with. */
type WeriftRelaySocket = { localCandidate?: { type: string; host: string; port: number }; turn?: { transport?: { type?: string } } };
function withRelayProtocol(pc: WeriftPeerConnection): void {
  const getStats = pc.getStats.bind(pc);
  pc.getStats = async (...args: Parameters<typeof getStats>) => {
    const report = await getStats(...args);
    const transports = (pc as unknown as { iceTransports: { connection: { protocols?: WeriftRelaySocket[] } }[] }).iceTransports;
    const relays = new Map<string, string>();
    for (const p of transports.flatMap((t) => t.connection.protocols ?? [])) {
      const type = p.turn?.transport?.type;
      if (p.localCandidate?.type === 'relay' && type) relays.set(`${p.localCandidate.host}:${p.localCandidate.port}`, type);
    }
    for (const s of report.values() as Iterable<{ type: string; candidateType?: string; address?: string; port?: number; relayProtocol?: string }>) {
      if (s.type === 'local-candidate' && s.candidateType === 'relay' && !s.relayProtocol) {
        const type = relays.get(`${s.address}:${s.port}`);
        if (type) s.relayProtocol = type;
      }
    }
    return report;
  };
}

/** werift hands binary messages on as a Buffer whatever `binaryType` says; the page's decoders (link test, relay
 *  check) take an ArrayBuffer, as a browser gives with binaryType 'arraybuffer' (W3C webrtc-pc §6.2). */
function withArrayBufferMessages<C extends { emit(type: string | symbol, ...args: unknown[]): boolean }>(channel: C): C {
  const emit = channel.emit.bind(channel);
  channel.emit = (type, ...args) => {
    const ev = args[0] as { data?: unknown } | undefined;
    if (type === 'message' && ev && Buffer.isBuffer(ev.data) && (channel as { binaryType?: string }).binaryType === 'arraybuffer') {
      const b = ev.data;
      return emit(type, { ...ev, data: b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) });
    }
    return emit(type, ...args);
  };
  return channel;
}

// werift 0.25's DTLS client fails the handshake when a second HelloVerifyRequest arrives (Flight3 throws when it
// runs twice). A server answers every ClientHello, so a retransmitted ClientHello — a busy machine, a lossy link —
// gets two, and the connection fails though ICE succeeded. RFC 6347 §4.2.1: the client just goes on with the
// cookie it has. Dropping the extra HelloVerifyRequest before werift's handler sees it does exactly that.
const HELLO_VERIFY_REQUEST = 3;
type Handshake = { msg_type: number };
type ClientInternals = { onHandleHandshakes: (assembled: Handshake[]) => Promise<void>; dtls: { flight: number } };
let dtlsPatched = false;
export function tolerateRepeatedHelloVerify(): void {
  if (dtlsPatched) return;
  dtlsPatched = true;
  const proto = DtlsClient.prototype as unknown as { connect: (this: ClientInternals) => Promise<void> };
  const connect = proto.connect;
  proto.connect = function (this: ClientInternals) {
    const handle = this.onHandleHandshakes;
    this.onHandleHandshakes = (assembled) => {
      const rest = this.dtls.flight >= 3 ? assembled.filter((h) => h.msg_type !== HELLO_VERIFY_REQUEST) : assembled;
      return rest.length > 0 ? handle(rest) : Promise.resolve();
    };
    return connect.call(this);
  };
}

// werift keeps the first pair nominated to it: RFC 8445 §7.3.1.5 ("disallow overwriting of the pair nominated"). Chromium
// as the controlling agent nominates the first pair that works and, when a better one works later, nominates that one
// (its checks on the pair it selected carry USE-CANDIDATE) and sends there. werift went on sending on its first pair,
// often through a relay: in the NAT lab (restricted cone against symmetric) the page reported p2p-nat and the
// headless peer relay-udp. As the controlled agent it now follows the latest nomination, as a browser does.
const PAIR_SUCCEEDED = 3; // werift's CandidatePairState.SUCCEEDED
type PairInternals = { nominated: boolean; remoteNominated: boolean; state: number };
type ConnectionInternals = { iceControlling: boolean; nominated?: PairInternals; resetNominatedPair(): void };
let renominationPatched = false;
export function followRenomination(): void {
  if (renominationPatched) return;
  renominationPatched = true;
  const proto = Connection.prototype as unknown as { checkComplete: (this: ConnectionInternals, pair: PairInternals) => void };
  const checkComplete = proto.checkComplete;
  if (typeof checkComplete !== 'function') throw new Error('werift changed: Connection.checkComplete is gone (see cli/peer/werift-peer.ts)');
  proto.checkComplete = function (this: ConnectionInternals, pair: PairInternals) {
    const renominated = !this.iceControlling && this.nominated !== undefined && this.nominated !== pair && pair.nominated && pair.remoteNominated && pair.state === PAIR_SUCCEEDED;
    if (renominated) this.resetNominatedPair(); // werift's own reset; checkComplete then takes `pair` and restarts consent
    return checkComplete.call(this, pair);
  };
}
