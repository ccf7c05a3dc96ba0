// The RTCPeerConnection that `p2pcheck nat` injects into the page's "Check my network" (web/diagnosis/*): werift's,
// adapted where werift differs from the browsers that code was written for. Everything else is werift as it is.
//  1. werift asks only the first STUN server it is given, and stun.l.google.com when it is given none. Here werift
//     gets no STUN server at all (and that fallback is switched off): every STUN URL of the configuration is asked
//     from each of werift's own UDP sockets of the matching family, and each answer becomes a server-reflexive
//     candidate carrying its `url` and raddr/rport, as Chromium reports it. The ICE checks use the same sockets, so
//     a srflx candidate handed to another peer (the hairpin test) is reached through the same NAT mapping.
//  2. werift fires no icecandidateerror: a STUN server that does not answer gets one here (701, as in browsers).
//  3. werift writes no relay-protocol on relay candidates: the transport of the TURN URL werift was given (it uses
//     exactly that one for tcp/tls) is set as `relayProtocol`.
//  4. werift's setLocalDescription resolves only after its gathering (a TURN allocation included) has finished;
//     a browser's resolves at once and gathers afterwards. Here it resolves once the local description exists, so
//     the diagnosis' own deadlines apply from the same moment as in the page.
//  5. werift's ICE connection state turns 'completed' when its gathering ends, before any check was sent (then
//     'checking'): a browser's says 'connected'/'completed' only once a candidate pair works, and the filtering
//     test takes it for "UDP gets through". Here it is 'connected'/'completed' only with a working pair.
import { isIP } from 'node:net';
import { Connection, Message, RTCPeerConnection as WeriftPc, classes, methods, type RTCIceCandidate as WeriftCandidate } from 'werift';

/** STUN Binding per server and socket: 250 ms, doubled each time, 4 sends (3.75 s); the diagnosis' deadlines are longer. */
export const STUN_QUERY = { responseTimeout: 250, retransmissions: 3 } as const;

/** What one of werift's UDP sockets exposes (internal to werift: `Connection.protocols`). */
interface UdpSocketLike {
  localCandidate?: { type: string; transport: string; host: string; port: number };
  request?: (msg: Message, addr: readonly [string, number], key?: Buffer, opts?: { retransmissions: number; responseTimeout: number }) => Promise<[Message, unknown]>;
}

let fallbackDisabled = false;
/** werift's Connection falls back to stun.l.google.com when no STUN server is given: p2pcheck never asks a third party. */
export function disableWeriftStunFallback(): void {
  if (fallbackDisabled) return;
  fallbackDisabled = true;
  const proto = Connection.prototype as unknown as { applyStunTurnServersFromOptions: (this: { options: { stunServer?: unknown }; stunServer?: unknown }) => void };
  const original = proto.applyStunTurnServersFromOptions;
  if (typeof original !== 'function') throw new Error('werift changed: Connection.applyStunTurnServersFromOptions is gone (see cli/nat/werift-peer-connection.ts)');
  proto.applyStunTurnServersFromOptions = function (this: { options: { stunServer?: unknown }; stunServer?: unknown }) {
    original.call(this);
    if (!this.options.stunServer) this.stunServer = undefined;
  };
}

type IceServer = { urls: string | string[]; username?: string; credential?: string };

/** Splits the configuration: STUN URLs are asked by this adapter, TURN URLs go to werift. */
export function splitIceServers(servers: readonly IceServer[]): { stun: string[]; turn: IceServer[] } {
  const stun: string[] = [];
  const turn: IceServer[] = [];
  for (const s of servers) {
    const urls = Array.isArray(s.urls) ? s.urls : [s.urls];
    stun.push(...urls.filter((u) => /^stuns?:/i.test(u.trim())));
    const t = urls.filter((u) => /^turns?:/i.test(u.trim()));
    if (t.length > 0) turn.push({ ...s, urls: t });
  }
  return { stun, turn };
}

/** The transport werift uses for a TURN URL (`turns:` is TLS; `?transport=tcp` TCP; else UDP). */
export function turnTransportOf(url: string): 'udp' | 'tcp' | 'tls' {
  if (/^turns:/i.test(url.trim())) return 'tls';
  return /[?&]transport=tcp/i.test(url) ? 'tcp' : 'udp';
}

/** "stun:host:port" → [host, port] (host without brackets), or null. */
export function stunTarget(url: string): [string, number] | null {
  const m = /^stuns?:(\[[^\]]+\]|[^:?\s]+)(?::(\d+))?/i.exec(url.trim());
  if (!m) return null;
  const port = m[2] ? Number(m[2]) : 3478;
  return port > 0 && port < 65536 ? [m[1]!.replace(/^\[|\]$/g, ''), port] : null;
}

/** A candidate as the diagnosis reads it (RTCIceCandidate's fields plus Chromium's `url`/`relayProtocol`). */
export interface CandidateLike {
  candidate: string;
  sdpMid: string | null;
  sdpMLineIndex: number | null;
  type: string | null;
  address: string | null;
  port: number | null;
  protocol: string | null;
  relatedAddress: string | null;
  relatedPort: number | null;
  relayProtocol: string | null;
  url: string | null;
  toJSON(): { candidate: string; sdpMid: string | null; sdpMLineIndex: number | null };
}

function candidateLike(line: string, mid: string | null, index: number | null, extra: { url?: string | null; relayProtocol?: string | null } = {}): CandidateLike {
  const p = line.replace(/^a=/, '').split(/\s+/);
  const at = (k: string) => {
    const i = p.indexOf(k);
    return i > 0 ? (p[i + 1] ?? null) : null;
  };
  const rport = at('rport');
  return {
    candidate: line,
    sdpMid: mid,
    sdpMLineIndex: index,
    type: at('typ'),
    address: p[4] ?? null,
    port: p[5] ? Number(p[5]) : null,
    protocol: p[2]?.toLowerCase() ?? null,
    relatedAddress: at('raddr'),
    relatedPort: rport === null ? null : Number(rport),
    relayProtocol: extra.relayProtocol ?? null,
    url: extra.url ?? null,
    toJSON: () => ({ candidate: line, sdpMid: mid, sdpMLineIndex: index }),
  };
}

let srflxSeq = 0;

/** One werift RTCPeerConnection behind the browser's interface, as far as web/diagnosis uses it. */
export class WeriftPeerConnection {
  onicecandidate: ((e: { candidate: CandidateLike | null; url?: string | null }) => void) | null = null;
  onicecandidateerror: ((e: { url: string; errorCode: number; errorText: string; address: string | null; port: number | null }) => void) | null = null;
  onicegatheringstatechange: (() => void) | null = null;
  oniceconnectionstatechange: (() => void) | null = null;
  iceGatheringState: 'new' | 'gathering' | 'complete' = 'new';
  readonly closed: Promise<void>;

  private readonly pc: WeriftPc;
  private readonly stunUrls: string[];
  private readonly relayOnly: boolean;
  private readonly relayProtocol: 'udp' | 'tcp' | 'tls' | null;
  private isClosed = false;
  private resolveClosed!: () => void;
  private mid: string | null = null;
  private mLineIndex: number | null = null;

  constructor(config: RTCConfiguration) {
    disableWeriftStunFallback();
    const { stun, turn } = splitIceServers((config.iceServers ?? []) as IceServer[]);
    this.stunUrls = stun;
    this.relayOnly = config.iceTransportPolicy === 'relay';
    const firstTurn = turn[0] ? (Array.isArray(turn[0].urls) ? turn[0].urls[0] : turn[0].urls) : undefined;
    this.relayProtocol = firstTurn ? turnTransportOf(firstTurn) : null;
    this.pc = new WeriftPc({ iceServers: turn.slice(0, 1), iceTransportPolicy: this.relayOnly ? 'relay' : 'all' });
    this.closed = new Promise((r) => (this.resolveClosed = r));
    this.pc.iceConnectionStateChange.subscribe(() => this.oniceconnectionstatechange?.());
    this.pc.onIceCandidate.subscribe((c) => this.weriftCandidate(c));
  }

  /** werift's, except a 'completed' that only means "gathering ended" (see 5. above): no pair has succeeded yet. */
  get iceConnectionState(): string {
    const s = this.pc.iceConnectionState;
    if ((s === 'connected' || s === 'completed') && !this.pc.iceTransports.some((t) => t.getSelectedCandidatePair() !== null)) return 'checking';
    return s;
  }

  get localDescription(): { type: string; sdp: string } | null {
    const d = this.pc.localDescription;
    return d ? { type: d.type, sdp: d.sdp } : null;
  }

  createDataChannel(label: string): unknown {
    return this.pc.createDataChannel(label);
  }

  async createOffer(): Promise<{ type: 'offer'; sdp: string }> {
    const d = await this.pc.createOffer();
    return { type: 'offer', sdp: d.sdp };
  }

  async createAnswer(): Promise<{ type: 'answer'; sdp: string }> {
    const d = await this.pc.createAnswer();
    return { type: 'answer', sdp: d.sdp };
  }

  async setLocalDescription(desc: { type: string; sdp?: string }): Promise<void> {
    this.setGathering('gathering');
    const done = this.pc.setLocalDescription(desc as Parameters<WeriftPc['setLocalDescription']>[0] & object).then(() => undefined);
    // Resolved once the description exists (werift sets it only after gathering) or after its gathering ends.
    await Promise.race([done, this.localDescriptionSoon()]);
    done.catch(() => undefined);
  }

  async setRemoteDescription(desc: { type: string; sdp?: string }): Promise<void> {
    await this.pc.setRemoteDescription(desc as Parameters<WeriftPc['setRemoteDescription']>[0]);
  }

  async addIceCandidate(init: { candidate?: string; sdpMid?: string | null; sdpMLineIndex?: number | null }): Promise<void> {
    await this.pc.addIceCandidate({ candidate: init.candidate ?? '', sdpMid: init.sdpMid ?? undefined, sdpMLineIndex: init.sdpMLineIndex ?? undefined });
  }

  close(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.pc.close().then(this.resolveClosed, this.resolveClosed);
  }

  private async localDescriptionSoon(): Promise<void> {
    for (let i = 0; i < 400 && !this.isClosed; i++) {
      if (this.pc.localDescription) return;
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  private setGathering(s: 'gathering' | 'complete'): void {
    if (this.iceGatheringState === s || this.isClosed) return;
    this.iceGatheringState = s;
    this.onicegatheringstatechange?.();
  }

  private emit(c: CandidateLike | null, url: string | null = null): void {
    if (!this.isClosed) this.onicecandidate?.({ candidate: c, url });
  }

  private weriftCandidate(c: WeriftCandidate | undefined): void {
    if (this.isClosed) return;
    if (c) {
      this.mid ??= c.sdpMid ?? null;
      this.mLineIndex ??= c.sdpMLineIndex ?? null;
      const line = c.candidate.startsWith('candidate:') ? c.candidate : `candidate:${c.candidate}`;
      const relay = / typ relay/.test(line);
      this.emit(candidateLike(line, c.sdpMid ?? null, c.sdpMLineIndex ?? null, { relayProtocol: relay ? this.relayProtocol : null }));
      return;
    }
    // werift's gathering ended: ask the STUN servers from its sockets, then end.
    void this.askStunServers().finally(() => {
      this.emit(null);
      this.setGathering('complete');
    });
  }

  private udpSockets(): UdpSocketLike[] {
    const transports = (this.pc as unknown as { iceTransports: { connection: unknown }[] }).iceTransports;
    return transports.flatMap((t) => ((t.connection as { protocols?: UdpSocketLike[] }).protocols ?? []).filter((p) => p.localCandidate?.type === 'host' && p.localCandidate.transport.toLowerCase() === 'udp' && typeof p.request === 'function'));
  }

  private async askStunServers(): Promise<void> {
    if (this.relayOnly || this.stunUrls.length === 0) return;
    const sockets = this.udpSockets();
    const asks: Promise<void>[] = [];
    for (const url of this.stunUrls) {
      const target = stunTarget(url);
      if (!target) continue;
      const literal = isIP(target[0]);
      for (const socket of sockets) {
        const local = socket.localCandidate!;
        const family = isIP(local.host);
        if (literal !== 0 && literal !== family) continue; // browsers never ask an IPv4 server from an IPv6 socket
        asks.push(this.askOne(socket, url, target, local));
      }
    }
    await Promise.all(asks);
  }

  private async askOne(socket: UdpSocketLike, url: string, target: [string, number], local: { host: string; port: number }): Promise<void> {
    try {
      const [response] = await socket.request!(new Message(methods.BINDING, classes.REQUEST), target, undefined, { ...STUN_QUERY });
      const mapped = response.getAttributeValue('XOR-MAPPED-ADDRESS') as [string, number] | undefined;
      if (!mapped) throw new Error('no XOR-MAPPED-ADDRESS in the answer');
      const foundation = `srflx${++srflxSeq}`;
      // Priority as RFC 8445 §5.1.2.1 with type preference 100 (server-reflexive).
      const priority = (100 << 24) + (65535 << 8) + 255;
      const line = `candidate:${foundation} 1 udp ${priority} ${mapped[0]} ${mapped[1]} typ srflx raddr ${local.host} rport ${local.port} generation 0`;
      this.emit(candidateLike(line, this.mid, this.mLineIndex, { url }), url);
    } catch (err) {
      if (this.isClosed) return;
      const text = err instanceof Error && /timeout|timed out/i.test(`${err.name} ${err.message}`) ? 'STUN binding request timed out.' : `STUN host lookup received error: ${err instanceof Error ? err.message : String(err)}`;
      this.onicecandidateerror?.({ url, errorCode: 701, errorText: text, address: local.host, port: local.port });
    }
  }
}

/** A PcFactory for web/diagnosis, and a way to wait until every connection it made has closed its sockets. */
export function weriftPcFactory(): { factory: (config: RTCConfiguration) => RTCPeerConnection; closeAll(): Promise<void> } {
  const made: WeriftPeerConnection[] = [];
  return {
    factory: (config) => {
      const pc = new WeriftPeerConnection(config);
      made.push(pc);
      return pc as unknown as RTCPeerConnection;
    },
    async closeAll() {
      for (const pc of made) pc.close();
      await Promise.all(made.map((pc) => pc.closed));
    },
  };
}
