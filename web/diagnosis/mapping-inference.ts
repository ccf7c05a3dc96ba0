// Turns what one RTCPeerConnection gathered against several STUN endpoints into per-endpoint mapping
// observations. Pure. Chromium emits one server-reflexive candidate per distinct mapped address (and none at
// all when the mapped address is the socket's own address), so an endpoint without a candidate either did not
// answer or repeated an address already seen; "gathering completed without an error for it" tells them apart.
import type { MappingObservationDetail } from '../../common/nat/diagnosis-result';
import { classifyMapping, classifyMappingByCount, type MappingResult } from '../../common/nat/nat-behavior';
import type { TransportAddress } from '../../common/net/transport-address';
import type { EndpointRole } from '../../common/net/endpoint-role';

export interface StunEndpoint {
  role: EndpointRole;
  /** e.g. "stun:198.51.100.1:3479" */
  url: string;
  host: string;
  port: number;
}

export interface GatherLog {
  /** `relatedPort`: the local socket's port (raddr/rport), when the browser reveals it (0 or absent: hidden). */
  srflx: { url: string | null; address: string; port: number; relatedPort?: number | null }[];
  /** UDP host candidates of the same PeerConnection (its sockets). */
  host: TransportAddress[];
  /** icecandidateerror events (url + code; `address`: the local socket's address, when the browser reveals it). */
  errors: { url: string; code: number; address?: string | null }[];
  /** icegatheringstate reached "complete" within the time allowed. */
  complete: boolean;
}

/** "stun:host:port" / "stun:[v6]:port?x" → host and port (null when unparsable). */
export function parseStunUrl(url: string): TransportAddress | null {
  const m = /^(?:stuns?|turns?):(\[[^\]]+\]|[^:?]+)(?::(\d+))?/i.exec(url.trim());
  if (!m) return null;
  const host = m[1]!.replace(/^\[|\]$/g, '');
  const port = m[2] ? Number(m[2]) : url.toLowerCase().startsWith('stuns:') || url.toLowerCase().startsWith('turns:') ? 5349 : 3478;
  return { address: host.toLowerCase(), port };
}

function sameEndpoint(url: string | null, ep: StunEndpoint): boolean {
  if (!url) return false;
  const p = parseStunUrl(url);
  return p !== null && p.address === ep.host.replace(/^\[|\]$/g, '').toLowerCase() && p.port === ep.port;
}

/**
 * The errors that say an endpoint did not answer the sockets judged here. With a STUN server named by a DNS name,
 * each local socket (IPv4 and IPv6) asks it, and the socket of the family the name lacks reports an error (701) for
 * every endpoint — also for those that answered the other socket. So an error from a socket of another family than
 * the answers is left out, and when the browser hides the socket's address, an error for an endpoint that did answer
 * (its own candidate) proves the errors come from another socket: then none of them tells "did not answer".
 */
function answerErrors(endpoints: readonly StunEndpoint[], log: GatherLog): GatherLog['errors'] {
  const seen = log.srflx[0]?.address ?? log.host[0]?.address;
  const family = (address: string) => (address.includes(':') ? 6 : 4);
  const errors = log.errors.filter((e) => !e.address || seen === undefined || family(e.address) === family(seen));
  const answeredYetErrored = endpoints.some((ep) => log.srflx.some((c) => sameEndpoint(c.url, ep)) && errors.some((e) => !e.address && sameEndpoint(e.url, ep)));
  return answeredYetErrored ? errors.filter((e) => e.address) : errors;
}

export function inferMappingObservations(endpoints: readonly StunEndpoint[], log: GatherLog): MappingObservationDetail[] {
  const errors = answerErrors(endpoints, log);
  const distinct = new Map<string, TransportAddress>();
  for (const c of log.srflx) distinct.set(`${c.address}|${c.port}`, { address: c.address, port: c.port });
  const out: MappingObservationDetail[] = [];
  for (const ep of endpoints) {
    const own = log.srflx.find((c) => sameEndpoint(c.url, ep));
    if (own) {
      out.push({ role: ep.role, url: ep.url, mapped: { address: own.address, port: own.port }, inferred: false });
      continue;
    }
    const failed = errors.some((e) => sameEndpoint(e.url, ep));
    if (failed || !log.complete) {
      out.push({ role: ep.role, url: ep.url, mapped: null, inferred: false });
      continue;
    }
    // Answered, but its address was a duplicate: of the only srflx address, or of the socket's own address.
    if (distinct.size === 1) {
      out.push({ role: ep.role, url: ep.url, mapped: [...distinct.values()][0]!, inferred: true });
    } else if (distinct.size === 0 && log.host.length === 1) {
      out.push({ role: ep.role, url: ep.url, mapped: log.host[0]!, inferred: true });
    }
    // Otherwise it repeated one of several addresses and we cannot tell which: leave the endpoint out.
  }
  return out;
}

/**
 * Observations and the mapping behavior from one gathering. With a `url` on every server-reflexive candidate
 * (Chromium) each answer is attributed to its endpoint. Without (Firefox: no url; its foundations differ per
 * server address only, Chromium's not at all), several distinct mapped addresses are judged by their number
 * per local socket (classifyMappingByCount); a single one or none is the inference above, which needs no url.
 */
export function inferMapping(endpoints: readonly StunEndpoint[], log: GatherLog): { observations: MappingObservationDetail[]; result: MappingResult } {
  const distinct = new Set(log.srflx.map((c) => `${c.address}|${c.port}`));
  if (distinct.size <= 1 || log.srflx.every((c) => c.url)) {
    const observations = inferMappingObservations(endpoints, log);
    return { observations, result: classifyMapping(observations) };
  }
  // One local socket's answers: grouped by the socket's port when the browser reveals it.
  const sockets = new Map<string, Set<string>>();
  for (const c of log.srflx) {
    const key = c.relatedPort ? String(c.relatedPort) : '?';
    sockets.set(key, (sockets.get(key) ?? new Set()).add(`${c.address}|${c.port}`));
  }
  if (sockets.has('?') && (sockets.size > 1 || log.host.length > 1)) {
    return {
      observations: [],
      result: { behavior: 'not-determined', evidence: 'several local sockets answered and the browser does not say which server or socket each mapped address belongs to' },
    };
  }
  const largest = Math.max(...[...sockets.values()].map((s) => s.size));
  const errors = answerErrors(endpoints, log);
  const allAnswered = log.complete && endpoints.every((ep) => !errors.some((e) => sameEndpoint(e.url, ep)));
  return { observations: [], result: classifyMappingByCount(endpoints, largest, allAnswered) };
}
