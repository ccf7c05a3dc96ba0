// The RTCPeerConnection-based measurements behind "Check my network". Each test owns one PeerConnection,
// has its own deadline (never Chromium's ~40 s STUN timeout) and always closes what it opened.
import type { TransportAddress } from '../../common/net/transport-address';
import { fetchApiJson } from '../errors/api-error';
import { relayFailureReason } from './ice-error-advice';

export interface CandidateInfo {
  type: string;
  protocol: string;
  address: string;
  port: number;
  relayProtocol: string | null;
  /** STUN/TURN server that produced it (srflx/relay); Firefox never sets it. */
  url: string | null;
  /** raddr/rport: the local socket a srflx/relay candidate came from (null or 0 when the browser hides it). */
  relatedAddress: string | null;
  relatedPort: number | null;
}

export interface IceErrorEvent {
  url: string;
  code: number;
  text: string;
  /** The local socket's address the error came from, when the browser shows it (null with mDNS hiding). */
  address?: string | null;
}

export type PcFactory = (config: RTCConfiguration) => RTCPeerConnection;
export const defaultPcFactory: PcFactory = (config) => new RTCPeerConnection(config);

/** Fields of RTCIceCandidate, with the candidate line as a fallback for browsers that lack them. */
export function candidateInfo(c: RTCIceCandidate, eventUrl: string | null): CandidateInfo | null {
  const parts = c.candidate.split(/\s+/);
  const typIndex = parts.indexOf('typ');
  const type = c.type ?? (typIndex > 0 ? parts[typIndex + 1] : undefined);
  const address = c.address ?? parts[4];
  const port = c.port ?? Number(parts[5]);
  if (!type || !address || !Number.isFinite(port)) return null;
  const rp = parts.indexOf('relay-protocol');
  const raddr = parts.indexOf('raddr');
  const rport = parts.indexOf('rport');
  const extra = c as RTCIceCandidate & { url?: string | null; relayProtocol?: string | null };
  const url = extra.url ?? eventUrl ?? null;
  return {
    type,
    protocol: (c.protocol ?? parts[2] ?? 'udp').toLowerCase(),
    address,
    port,
    relayProtocol: extra.relayProtocol ?? (rp > 0 ? (parts[rp + 1] ?? null) : null),
    url,
    relatedAddress: c.relatedAddress ?? (raddr > 0 ? (parts[raddr + 1] ?? null) : null),
    relatedPort: c.relatedPort ?? (rport > 0 ? Number(parts[rport + 1]) || null : null),
  };
}

export interface Gathering {
  pc: RTCPeerConnection;
  candidates: CandidateInfo[];
  errors: IceErrorEvent[];
  complete: boolean;
  /** When each candidate arrived (index-aligned with `candidates`) and when gathering completed, by `now`. */
  arrivedAt: number[];
  completedAt: number | null;
  /** Resolves when gathering completes, `stop(c)` returns true for a candidate, or after `timeoutMs`. */
  until(stop: (c: CandidateInfo) => boolean, timeoutMs: number): Promise<void>;
  close(): void;
}

/** Starts ICE gathering on a fresh PeerConnection with a data channel (so there is something to gather for). */
export async function startGathering(config: RTCConfiguration, factory: PcFactory = defaultPcFactory, now: () => number = () => performance.now()): Promise<Gathering> {
  const pc = factory(config);
  const candidates: CandidateInfo[] = [];
  const errors: IceErrorEvent[] = [];
  const listeners = new Set<() => void>();
  const notify = () => listeners.forEach((l) => l());
  const g: Gathering = {
    pc,
    candidates,
    errors,
    complete: false,
    arrivedAt: [],
    completedAt: null,
    until(stop, timeoutMs) {
      return new Promise<void>((resolve) => {
        const check = () => {
          if (g.complete || candidates.some(stop)) finish();
        };
        const timer = setTimeout(() => finish(), timeoutMs);
        function finish() {
          clearTimeout(timer);
          listeners.delete(check);
          resolve();
        }
        listeners.add(check);
        check();
      });
    },
    close() {
      listeners.clear();
      pc.onicecandidate = null;
      pc.onicecandidateerror = null;
      pc.onicegatheringstatechange = null;
      pc.close();
    },
  };
  pc.onicecandidate = (e) => {
    if (!e.candidate) {
      g.complete = true;
      g.completedAt ??= now();
    } else if (e.candidate.candidate) {
      const info = candidateInfo(e.candidate, (e as RTCPeerConnectionIceEvent & { url?: string | null }).url ?? null);
      if (info) {
        candidates.push(info);
        g.arrivedAt.push(now());
      }
    }
    notify();
  };
  pc.onicecandidateerror = (e) => {
    const ev = e as RTCPeerConnectionIceErrorEvent;
    errors.push({ url: ev.url, code: ev.errorCode, text: ev.errorText, address: ev.address ?? null });
    notify();
  };
  pc.onicegatheringstatechange = () => {
    if (pc.iceGatheringState === 'complete') {
      g.complete = true;
      g.completedAt ??= now();
    }
    notify();
  };
  pc.createDataChannel('p2pcheck-diagnosis');
  await pc.setLocalDescription(await pc.createOffer());
  return g;
}

export const isUsableHost = (c: CandidateInfo) => c.type === 'host' && c.protocol === 'udp';
export const isIpv6 = (address: string) => address.includes(':');
export const isHidden = (address: string) => address.endsWith('.local');

// ---- relay over TCP / TLS ----

export interface RelayTestResult {
  result: 'ok' | 'failed';
  /** Why it failed, in words (null when it worked). */
  reason: string | null;
  relay: CandidateInfo | null;
  errors: IceErrorEvent[];
  ms: number;
}

/** Allocates a relay over exactly one TURN URL (e.g. `turn:host:3478?transport=tcp`), relay-only policy. */
export async function runRelayTest(
  server: RTCIceServer & { urls: string },
  expectProtocol: 'tcp' | 'tls',
  timeoutMs: number,
  factory?: PcFactory,
  userAgent = typeof navigator === 'undefined' ? '' : navigator.userAgent,
): Promise<RelayTestResult> {
  const start = performance.now();
  const g = await startGathering({ iceServers: [server], iceTransportPolicy: 'relay' }, factory);
  try {
    const isRelay = (c: CandidateInfo) => c.type === 'relay';
    await g.until(isRelay, timeoutMs);
    const relay = g.candidates.find(isRelay) ?? null;
    const ok = relay !== null && (relay.relayProtocol === null || relay.relayProtocol === expectProtocol);
    const reason = ok
      ? null
      : relayFailureReason({ url: server.urls, protocol: expectProtocol, timeoutMs, gotProtocol: relay?.relayProtocol ?? null, errors: g.errors }, userAgent);
    return { result: ok ? 'ok' : 'failed', reason, relay, errors: [...g.errors], ms: Math.round(performance.now() - start) };
  } finally {
    g.close();
  }
}

// ---- filtering test against the probe peer ----

export interface ProbeApi {
  offer(sdp: string): Promise<{ id: string; answer: RTCSessionDescriptionInit; sources: string[] }>;
  /** `waitMs`: how long the probe waits for the browser's first check (server default 2.5 s). */
  run(id: string, srflx: TransportAddress | null, waitMs?: number): Promise<ProbeRunResponse>;
  close(id: string): Promise<void>;
}

export interface ProbeRunResponse {
  target: TransportAddress;
  observedSources: { from: TransportAddress; via: string }[];
  checks: { role: 'primary' | 'alt-port' | 'alt-ip' | 'alt-ip-port'; answered: boolean; sent: number; rttMs: number | null }[];
}

export interface FilteringTestResult {
  /** ms after start when UDP was seen to work (srflx from the primary, or ICE connected with the probe). */
  udpAt: number | null;
  srflx: TransportAddress | null;
  host: CandidateInfo[];
  probe: ProbeRunResponse | null;
  errors: IceErrorEvent[];
  problem: string | null;
}

/**
 * One PeerConnection that talks only to the probe's candidate at the primary endpoint, so its NAT mapping has
 * never seen the alternate sources when the probe sends from them (RFC 5780 §4.4 order). No STUN server on it:
 * Chromium hands every packet from a configured STUN server's address to its gathering logic, which would
 * swallow the probe's ICE answers (same address and port). The probe reports the mapped address instead.
 */
export async function runFilteringTest(api: ProbeApi, connectTimeoutMs: number, factory?: PcFactory): Promise<FilteringTestResult> {
  const start = performance.now();
  const g = await startGathering({ iceServers: [] }, factory);
  let probeId: string | null = null;
  let udpAt: number | null = null;
  const srflxOf = () => g.candidates.find((c) => c.type === 'srflx' && c.protocol === 'udp') ?? null;
  try {
    const offer = await api.offer(g.pc.localDescription!.sdp);
    probeId = offer.id;
    const connected = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), Math.max(0, connectTimeoutMs - (performance.now() - start)));
      const check = () => {
        const s = g.pc.iceConnectionState;
        if (s === 'connected' || s === 'completed') {
          clearTimeout(timer);
          resolve(true);
        }
      };
      g.pc.oniceconnectionstatechange = check;
      check();
    });
    await g.pc.setRemoteDescription(offer.answer);
    const ok = await connected;
    if (ok || srflxOf()) udpAt = Math.round(performance.now() - start);
    const srflx = srflxOf();
    const hint = srflx ? { address: srflx.address, port: srflx.port } : null;
    if (!ok) {
      // A busy machine can be slow to finish ICE even though UDP works: if the probe has seen a check from this
      // browser, UDP gets through and the filtering test can still run. Only "no check at all" means blocked.
      try {
        const late = await api.run(offer.id, hint, 300);
        return { udpAt: Math.round(performance.now() - start), srflx: hint, host: g.candidates.filter(isUsableHost), probe: late, errors: [...g.errors], problem: null };
      } catch {
        return { udpAt, srflx: hint, host: g.candidates.filter(isUsableHost), probe: null, errors: [...g.errors], problem: 'no connectivity check from this browser reached the probe peer' };
      }
    }
    const probe = await api.run(offer.id, hint);
    return { udpAt, srflx: hint, host: g.candidates.filter(isUsableHost), probe, errors: [...g.errors], problem: null };
  } catch (err) {
    const srflx = srflxOf();
    return {
      udpAt: srflx ? Math.round(performance.now() - start) : udpAt,
      srflx: srflx ? { address: srflx.address, port: srflx.port } : null,
      host: g.candidates.filter(isUsableHost),
      probe: null,
      errors: [...g.errors],
      problem: err instanceof Error ? err.message : String(err),
    };
  } finally {
    g.pc.oniceconnectionstatechange = null;
    g.close();
    if (probeId) void api.close(probeId).catch(() => undefined);
  }
}

/** The probe API over HTTP (routes in signal/probe/probe-routes.ts). */
export function httpProbeApi(base = ''): ProbeApi {
  // An error answer throws ApiRequestError: its message says what happened (429/503 in plain words, else the
  // probe's own error text), which becomes the filtering test's `problem`.
  const post = (path: string, body: unknown) =>
    fetchApiJson<unknown>('probe', `${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return {
    offer: (sdp) => post('/api/probe/offer', { sdp }) as Promise<Awaited<ReturnType<ProbeApi['offer']>>>,
    run: (id, srflx, waitMs) => post(`/api/probe/${id}/run`, { srflx, waitMs }) as Promise<ProbeRunResponse>,
    close: async (id) => void (await fetch(`${base}/api/probe/${id}`, { method: 'DELETE' })),
  };
}
