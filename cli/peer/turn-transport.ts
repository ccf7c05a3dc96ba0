// Which TURN transport the headless peer's werift uses. werift makes one TURN allocation, from the first TURN URL it
// is given, where a browser makes one per URL (UDP, TCP, TLS) and ICE uses whichever works. The server lists UDP
// first, so behind a network that drops UDP (or lets out only TCP to 443) `p2pcheck join` had no relay at all and
// ended with exit 6 where a page behind the same firewall relays over TCP or TLS (found in the NAT lab, issue 16).
// So before joining it asks which of the server's TURN endpoints can be reached — UDP: a STUN Binding request;
// TCP and TLS: a TCP connection — and puts the best that answered first: UDP, else TCP, else TLS.
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import type { IceServersResponse } from '../../common/messages';
import { Method, StunClass } from '../../turn/stun/constants';
import { decodeStunMessage, encodeStunMessage } from '../../turn/stun/message';
import { parseStunUrl } from '../../web/diagnosis/mapping-inference';
import { turnTransportOf } from '../nat/werift-peer-connection';

export type TurnTransport = 'udp' | 'tcp' | 'tls';

export interface TurnEndpoint {
  transport: TurnTransport;
  host: string;
  port: number;
}

type IceServerLike = { urls: string | string[]; username?: string; credential?: string };

const urlsOf = (s: IceServerLike) => (Array.isArray(s.urls) ? s.urls : [s.urls]);
const isTurn = (url: string) => /^turns?:/i.test(url.trim());

/** "turn:host[:port][?transport=tcp]" / "turns:host[:port]" → where werift would allocate (RFC 7065 §3.1: 3478, or
 *  5349 for turns), or null when it is not a TURN URL. */
export function turnEndpointOf(url: string): TurnEndpoint | null {
  const at = isTurn(url) ? parseStunUrl(url) : null; // the page's ICE URL reader: host, port, default ports
  if (!at || !(at.port > 0 && at.port < 65536)) return null;
  return { transport: turnTransportOf(url), host: at.address, port: at.port };
}

/** The first TURN endpoint of each transport, in the servers' order. */
export function turnEndpoints(servers: readonly IceServerLike[]): TurnEndpoint[] {
  const found = new Map<TurnTransport, TurnEndpoint>();
  for (const url of servers.flatMap(urlsOf)) {
    const e = turnEndpointOf(url);
    if (e && !found.has(e.transport)) found.set(e.transport, e);
  }
  return [...found.values()];
}

/** UDP when it answered (the browsers' first choice too), else TCP, else TLS; null when nothing answered (the
 *  servers' own order is kept, and the run ends as it would: no relay). */
export function pickTurnTransport(reached: ReadonlySet<TurnTransport>): TurnTransport | null {
  return (['udp', 'tcp', 'tls'] as const).find((t) => reached.has(t)) ?? null;
}

/** The ICE servers with `transport`'s TURN URLs first, within each server and among the servers (werift takes the
 *  first TURN URL only). STUN URLs and everything else stay as they are. */
export function preferTurnTransport<S extends IceServerLike>(servers: readonly S[], transport: TurnTransport): S[] {
  const has = (s: S) => urlsOf(s).some((u) => isTurn(u) && turnTransportOf(u) === transport);
  const reordered = servers.map((s) => {
    const urls = urlsOf(s);
    const first = urls.filter((u) => isTurn(u) && turnTransportOf(u) === transport);
    return first.length === 0 ? s : { ...s, urls: [...first, ...urls.filter((u) => !first.includes(u))] };
  });
  const firstTurn = reordered.findIndex((s) => urlsOf(s).some(isTurn));
  const preferred = reordered.findIndex(has);
  if (firstTurn < 0 || preferred <= firstTurn) return reordered;
  const [moved] = reordered.splice(preferred, 1);
  reordered.splice(firstTurn, 0, moved!);
  return reordered;
}

/** How long the probes may take in all: UDP gets requests at 0, 250 and 750 ms (RFC 8489 §6.2.1's doubling). */
export const TURN_PROBE_MS = 2000;

/** Asks every endpoint at once; resolves with those that answered, as soon as UDP has (nothing beats it) or after
 *  `timeoutMs`. */
export function reachableTurnTransports(endpoints: readonly TurnEndpoint[], signal: AbortSignal, timeoutMs = TURN_PROBE_MS): Promise<Set<TurnTransport>> {
  const reached = new Set<TurnTransport>();
  const cleanups: (() => void)[] = [];
  return new Promise((resolve) => {
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', finish);
      for (const c of cleanups) c();
      resolve(reached);
    };
    const timer = setTimeout(finish, timeoutMs);
    signal.addEventListener('abort', finish);
    const answered = (t: TurnTransport) => {
      reached.add(t);
      if (t === 'udp' || reached.size === endpoints.length) finish();
    };
    for (const e of endpoints) cleanups.push(e.transport === 'udp' ? probeUdp(e, () => answered('udp')) : probeTcp(e, () => answered(e.transport)));
  });
}

/** A STUN Binding request (RFC 8489 §6.3.1) to the TURN server's UDP port; `onAnswer` on a response to it. */
function probeUdp(e: TurnEndpoint, onAnswer: () => void): () => void {
  const socket = createSocket(e.host.includes(':') ? 'udp6' : 'udp4');
  const transactionId = randomBytes(12);
  const request = encodeStunMessage({ method: Method.binding, cls: StunClass.request, transactionId, attributes: [] });
  const timers: ReturnType<typeof setTimeout>[] = [];
  socket.on('error', () => {}); // a name that does not resolve, an unreachable network: no answer
  socket.on('message', (buf) => {
    const decoded = decodeStunMessage(buf);
    if (decoded.ok && decoded.message.transactionId.equals(transactionId) && decoded.message.cls !== StunClass.request) onAnswer();
  });
  for (const at of [0, 250, 750]) timers.push(setTimeout(() => socket.send(request, e.port, e.host, () => {}), at));
  return () => {
    for (const t of timers) clearTimeout(t);
    socket.close();
  };
}

/** A TCP connection to the TURN server's TCP or TLS port (which port gets out is the question; TLS itself is
 *  werift's to do); `onAnswer` once connected. */
function probeTcp(e: TurnEndpoint, onAnswer: () => void): () => void {
  const socket = connect({ host: e.host, port: e.port });
  socket.on('error', () => {});
  socket.once('connect', () => {
    socket.destroy();
    onAnswer();
  });
  return () => socket.destroy();
}

/** The server's ICE servers (GET /api/ice-servers, as the page reads them), probed: the TURN transport werift should
 *  use, or null for the server's own order (nothing answered, one transport only, or the list could not be read —
 *  the room session then reads it again and reports what fails). */
export async function chooseTurnTransport(origin: string, signal: AbortSignal, say: (text: string) => void = () => {}): Promise<TurnTransport | null> {
  let servers: IceServerLike[];
  try {
    const res = await fetch(new URL('/api/ice-servers', origin), { signal: AbortSignal.any([signal, AbortSignal.timeout(5000)]), cache: 'no-store' });
    const body = (await res.json()) as Partial<Pick<IceServersResponse, 'iceServers'>>;
    servers = Array.isArray(body.iceServers) ? body.iceServers : [];
  } catch {
    return null;
  }
  const endpoints = turnEndpoints(servers);
  if (endpoints.length < 2 || signal.aborted) return null;
  const picked = pickTurnTransport(await reachableTurnTransports(endpoints, signal));
  if (picked !== null && picked !== 'udp') say(`UDP to the TURN server got no answer: relaying over TURN/${picked.toUpperCase()} where a relay is needed`);
  return picked;
}
