// "Check my network": runs the reachability, filtering and mapping tests in the right order and builds the
// verdict. Outside React: progress goes to `onUpdate` (the store's diagnosis slice), the result is plain JSON.
//
// Order (RFC 5780 §4.4 and stuntman #18): the filtering test first, on a PeerConnection that only ever talks to
// the primary endpoint; the mapping test (which contacts the alternate address and port) only afterwards, on a
// separate PeerConnection. Time budget: a UDP verdict within 5 s even when nothing answers.
import type { RegionChoice } from '../../common/ice-regions';
import type { IceServersResponse, ServerInfo } from '../../common/messages';
import { DIAGNOSIS_VERSION, verdictFacts, type DiagnosisResult, type SkippedTest } from '../../common/nat/diagnosis-result';
import { classifyFiltering } from '../../common/nat/nat-behavior';
import { sameTransportAddress, type TransportAddress } from '../../common/net/transport-address';
import { natVerdict } from '../../common/nat/nat-verdict';
import { compatibilityTable } from '../../common/nat/path-prediction';
import { fetchApiJson } from '../errors/api-error';
import { explainIceError } from './ice-error-advice';
import { runHairpinTest } from './hairpin-test';
import { inferMapping, parseStunUrl, type StunEndpoint } from './mapping-inference';
import { iceServersForRegion, measureRegions, stunUrlOf } from './region-ranking';
import {
  httpProbeApi,
  isHidden,
  isIpv6,
  isUsableHost,
  runFilteringTest,
  runRelayTest,
  startGathering,
  type IceErrorEvent,
  type PcFactory,
  type ProbeApi,
} from './peer-tests';

export const UDP_DEADLINE_MS = 3000;
export const RELAY_DEADLINE_MS = 4000;
/** Only reached when an endpoint does not answer (gathering normally completes in well under a second). */
export const MAPPING_DEADLINE_MS = 5000;
/** ICE between two local PeerConnections through the router's public address: answered in milliseconds when it works. */
export const HAIRPIN_DEADLINE_MS = 3000;

export interface DiagnosisOptions {
  /** The user's own iceServers: the tests that need p2pcheck's server are skipped. */
  customIceServers?: RTCIceServer[] | null;
  onUpdate?: (result: DiagnosisResult) => void;
  base?: string;
  probe?: ProbeApi;
  pcFactory?: PcFactory;
  /** The region ranking this page already measured (connection-region.ts: a lobby ranks before its links, which
   *  use the same region): recorded and used instead of measuring again. Null or failed: measured here. */
  ranking?: Promise<RegionChoice | null>;
}

export function emptyDiagnosis(servers: DiagnosisResult['servers'], startedAt = Date.now()): DiagnosisResult {
  return {
    version: DIAGNOSIS_VERSION,
    startedAt,
    verdictMs: null,
    state: 'running',
    servers,
    reachability: {
      udp: 'not-tested',
      udpMs: null,
      tcpRelay: 'not-tested',
      tlsRelay: 'not-tested',
      ipv6: 'not-tested',
      tcpRelayPort: null,
      tlsRelayPort: null,
      reasons: { udp: null, tcpRelay: null, tlsRelay: null, ipv6: null },
    },
    hostAddresses: [],
    serverAddress: null,
    mappedAddress: null,
    publicAddress: 'unknown',
    mapping: { observations: [], result: { behavior: 'not-determined', evidence: 'not run yet' } },
    hairpin: { result: 'not-tested', evidence: 'not run yet', ms: null },
    filtering: { observations: [], result: { behavior: 'not-determined', evidence: 'not run yet' } },
    verdict: null,
    compatibility: [],
    iceErrors: [],
    skipped: [],
    timeline: [],
    error: null,
  };
}

export async function runDiagnosis(opts: DiagnosisOptions = {}): Promise<DiagnosisResult> {
  const t0 = performance.now();
  const custom = opts.customIceServers && opts.customIceServers.length > 0 ? opts.customIceServers : null;
  const r = emptyDiagnosis(custom ? 'custom' : 'bundled');
  const at = () => Math.round(performance.now() - t0);
  const update = (step?: string) => {
    if (step) r.timeline.push({ at: at(), step });
    opts.onUpdate?.(structuredClone(r));
  };
  const addErrors = (errs: IceErrorEvent[]) => {
    for (const e of errs) if (!r.iceErrors.some((x) => x.url === e.url && x.code === e.code)) r.iceErrors.push(explainIceError(e.url, e.code, e.text));
  };
  try {
    if (custom) await runCustom(custom, r, at, update, addErrors, opts.pcFactory);
    else await runBundled(r, at, update, addErrors, opts);
    r.state = 'done';
  } catch (err) {
    r.state = 'error';
    r.error = err instanceof Error ? err.message : String(err);
  }
  finish(r, at);
  update('done');
  return r;
}

function finish(r: DiagnosisResult, at: () => number): void {
  if (r.verdict === null) decide(r, at);
}

/** Builds the verdict from what is known so far. */
function decide(r: DiagnosisResult, at: () => number): void {
  r.verdict = natVerdict(verdictFacts(r));
  r.compatibility = compatibilityTable(r.verdict.behavior);
  r.verdictMs ??= at();
}

const stunUrl = (host: string, port: number) => `stun:${host.includes(':') ? `[${host}]` : host}:${port}`;

async function runBundled(
  r: DiagnosisResult,
  at: () => number,
  update: (step?: string) => void,
  addErrors: (e: IceErrorEvent[]) => void,
  opts: DiagnosisOptions,
): Promise<void> {
  const base = opts.base ?? '';
  const [info, ice] = await Promise.all([
    fetchApiJson<ServerInfo>('config', `${base}/api/config`, { cache: 'no-store' }),
    fetchApiJson<IceServersResponse>('ice-servers', `${base}/api/ice-servers`, { cache: 'no-store' }),
  ]);
  // The servers the tests run against: the bundled one, or with ICE_REGIONS the nearest region's.
  let server = {
    primary: info.turn.enabled ? info.turn.primary : null,
    alternatePort: info.turn.alternatePort,
    alternateHost: info.turn.alternateHost,
    iceServers: ice.iceServers,
    probe: opts.probe ?? httpProbeApi(base),
  };
  if (info.regions?.length && ice.regions?.length) {
    update('ranking regions');
    const choice =
      (await opts.ranking?.catch(() => null)) ??
      (await measureRegions(info.regions.map((x) => ({ id: x.id, name: x.name, stunUrl: stunUrlOf(x) })), { factory: opts.pcFactory }));
    r.regions = choice;
    // None answered: the first region, whose tests then say what did not answer.
    const region = info.regions.find((x) => x.id === choice.used) ?? info.regions[0]!;
    server = {
      primary: region.primary,
      alternatePort: region.alternatePort,
      alternateHost: region.alternateHost,
      iceServers: iceServersForRegion(ice, region.id),
      probe: opts.probe ?? (region.probe ? httpProbeApi(region.probe) : noProbePeer(region.name)),
    };
    update(`region: ${region.name}`);
  }
  const primary = server.primary;
  if (!primary) {
    r.skipped.push({ test: 'udp', reason: 'this p2pcheck server runs without its STUN/TURN server' });
    return;
  }
  r.serverAddress = primary.host;
  const endpoints: StunEndpoint[] = [{ role: 'primary', url: stunUrl(primary.host, primary.port), host: primary.host, port: primary.port }];
  if (server.alternatePort) endpoints.push({ role: 'alt-port', url: stunUrl(primary.host, server.alternatePort), host: primary.host, port: server.alternatePort });
  if (server.alternateHost) {
    const h = server.alternateHost;
    endpoints.push({ role: 'alt-ip', url: stunUrl(h, primary.port), host: h, port: primary.port });
    if (server.alternatePort) endpoints.push({ role: 'alt-ip-port', url: stunUrl(h, server.alternatePort), host: h, port: server.alternatePort });
  } else {
    r.skipped.push({ test: 'mapping', reason: 'the server has a single IP address (TURN_ALT_IP not set): an address change cannot be tested' });
  }
  update('servers known');

  // Relay over TCP/TLS in parallel with the UDP tests: neither touches the alternate endpoints.
  const turnServer = server.iceServers.find((s) => s.username);
  const pick = (re: RegExp) => turnServer?.urls.find((u) => re.test(u));
  const tcpUrl = pick(/^turn:.*transport=tcp/i);
  const tlsUrl = pick(/^turns:/i);
  const relay = (url: string | undefined, proto: 'tcp' | 'tls') => {
    if (!url || !turnServer) return undefined;
    r.reachability[proto === 'tcp' ? 'tcpRelayPort' : 'tlsRelayPort'] = parseStunUrl(url)?.port ?? null;
    return runRelayTest({ urls: url, username: turnServer.username, credential: turnServer.credential }, proto, RELAY_DEADLINE_MS, opts.pcFactory).then((t) => {
      r.reachability[proto === 'tcp' ? 'tcpRelay' : 'tlsRelay'] = t.result;
      r.reachability.reasons[proto === 'tcp' ? 'tcpRelay' : 'tlsRelay'] = t.reason;
      addErrors(t.errors);
      update(`TURN over ${proto.toUpperCase()}: ${t.result}`);
    });
  };
  if (!tcpUrl) {
    r.skipped.push({ test: 'tcp-relay', reason: 'the server offers no TURN over TCP' });
    r.reachability.reasons.tcpRelay = 'the server offers no TURN over TCP';
  }
  if (!tlsUrl) {
    r.reachability.tlsRelay = 'not-configured';
    r.reachability.reasons.tlsRelay = 'the server offers no TURN over TLS (TURN_TLS_CERT and TURN_TLS_KEY are not set)';
  }
  const relayTests = Promise.all([relay(tcpUrl, 'tcp'), relay(tlsUrl, 'tls')]);

  const f = await runFilteringTest(server.probe, UDP_DEADLINE_MS, opts.pcFactory);
  addErrors(f.errors);
  r.hostAddresses = [...new Set(f.host.map((c) => c.address))];
  r.reachability.udp = f.udpAt !== null ? 'answered' : 'no-answer';
  r.reachability.udpMs = f.udpAt;
  if (f.udpAt === null) r.reachability.reasons.udp = `${f.problem ?? 'no answer'} within ${UDP_DEADLINE_MS / 1000} s: something on the way drops UDP to port ${primary.port}`;
  r.mappedAddress = f.probe?.target ?? f.srflx;
  r.publicAddress = publicAddressFrom(r.mappedAddress, f.host);
  if (f.probe) {
    r.filtering.observations = f.probe.checks.map((c) => ({ role: c.role, answered: c.answered, sent: c.sent, rttMs: c.rttMs }));
    r.filtering.result = classifyFiltering(r.filtering.observations);
  } else {
    r.filtering.result = { behavior: 'not-determined', evidence: f.problem ?? 'the probe peer was not reached' };
    r.skipped.push({ test: 'filtering', reason: f.problem ?? 'the probe peer was not reached' });
  }
  update(r.reachability.udp === 'answered' ? 'UDP answered; filtering tested' : 'no UDP answer');

  if (r.reachability.udp !== 'answered') {
    // UDP blocked: no mapping test (it would only wait for STUN timeouts). Verdict as soon as TCP is known.
    r.mapping.result = { behavior: 'not-determined', evidence: 'no UDP answer from the server' };
    r.hairpin = { result: 'not-tested', evidence: 'UDP to the server is blocked', ms: null };
    await relayTests;
    r.reachability.ipv6 = f.host.some((c) => isIpv6(c.address)) ? 'gathered-only' : 'none';
    decide(r, at);
    update('verdict');
    return;
  }

  const family6 = isIpv6(primary.host);
  // Hairpinning on two PeerConnections of its own, alongside the mapping test (neither touches the other's sockets).
  const hairpin =
    r.publicAddress === 'yes'
      ? Promise.resolve<DiagnosisResult['hairpin']>({ result: 'not-applicable', evidence: 'this device has a public address of its own (no NAT)', ms: null })
      : runHairpinTest(endpoints[0]!.url, family6, HAIRPIN_DEADLINE_MS, opts.pcFactory).catch(
          (err: unknown): DiagnosisResult['hairpin'] => ({ result: 'not-tested', evidence: `the test could not run: ${String(err)}`, ms: null }),
        );
  const g = await startGathering({ iceServers: endpoints.map((e) => ({ urls: e.url })) }, opts.pcFactory);
  try {
    await g.until(() => false, MAPPING_DEADLINE_MS);
    addErrors(g.errors);
    const host = g.candidates.filter((c) => isUsableHost(c) && !isHidden(c.address) && isIpv6(c.address) === family6).map((c) => ({ address: c.address, port: c.port }));
    const srflx = g.candidates
      .filter((c) => c.type === 'srflx' && isIpv6(c.address) === family6)
      .map((c) => ({ url: c.url, address: c.address, port: c.port, relatedPort: c.relatedPort }));
    r.mapping = inferMapping(endpoints, { srflx, host, errors: g.errors, complete: g.complete });
    const v6 = [...f.host, ...g.candidates].filter((c) => isIpv6(c.address) && !isHidden(c.address));
    r.reachability.ipv6 = v6.some((c) => c.type !== 'host') || (family6 && r.reachability.udp === 'answered') ? 'reached' : v6.length > 0 ? 'gathered-only' : 'none';
    if (!family6 && v6.length > 0) {
      r.skipped.push({ test: 'ipv6', reason: 'IPv6 host candidates exist, but the server has no IPv6 address to test them against' });
      r.reachability.reasons.ipv6 = 'the server has no IPv6 address to test against';
    }
  } finally {
    g.close();
  }
  update('mapping tested');
  await relayTests;
  decide(r, at);
  update('verdict');
  // The NAT verdict does not wait for the hairpin test (up to HAIRPIN_DEADLINE_MS when the router drops it);
  // it is rebuilt with it, keeping verdictMs.
  r.hairpin = await hairpin;
  decide(r, at);
  update(`hairpin: ${r.hairpin.result}`);
}

/** A region configured without a probe peer: the filtering test says so instead of calling nowhere. */
function noProbePeer(regionName: string): ProbeApi {
  const refuse = () => Promise.reject(new Error(`the region ${regionName} has no probe peer (no probe URL in ICE_REGIONS)`));
  return { offer: refuse, run: refuse, close: async () => undefined };
}

/** 'yes' when the server saw one of the device's own addresses (no translation on the way). */
function publicAddressFrom(mapped: TransportAddress | null, host: { address: string; port: number }[]): DiagnosisResult['publicAddress'] {
  if (!mapped) return 'unknown';
  // Chromium writes IPv6 host candidates in brackets; the probe reports the mapped address without.
  const bare = (a: TransportAddress): TransportAddress => ({ address: a.address.replace(/^\[|\]$/g, '').toLowerCase(), port: a.port });
  if (host.some((h) => sameTransportAddress(bare(h), bare(mapped)))) return 'yes';
  if (host.length === 0 || host.every((h) => isHidden(h.address))) return 'unknown';
  return 'no';
}

async function runCustom(
  servers: RTCIceServer[],
  r: DiagnosisResult,
  at: () => number,
  update: (step?: string) => void,
  addErrors: (e: IceErrorEvent[]) => void,
  factory?: PcFactory,
): Promise<void> {
  const reason = 'needs p2pcheck\u2019s own server (alternate port/address and the probe peer); your own ICE servers are used for the other tests';
  const skipped: SkippedTest[] = [
    { test: 'mapping', reason },
    { test: 'filtering', reason },
  ];
  r.skipped.push(...skipped);
  r.mapping.result = { behavior: 'not-determined', evidence: `skipped: ${reason}` };
  r.filtering.result = { behavior: 'not-determined', evidence: `skipped: ${reason}` };
  r.hairpin = { result: 'not-tested', evidence: `skipped: ${reason}`, ms: null };
  const urls = servers.flatMap((s) => (Array.isArray(s.urls) ? s.urls : [s.urls]).map((url) => ({ url, s })));
  const stun = urls.filter((u) => /^(stun|turn):/i.test(u.url) && !/transport=tcp/i.test(u.url));
  const tcp = urls.find((u) => /^turn:.*transport=tcp/i.test(u.url));
  const tls = urls.find((u) => /^turns:/i.test(u.url));
  const relay = (u: { url: string; s: RTCIceServer } | undefined, proto: 'tcp' | 'tls') =>
    u ? runRelayTest({ urls: u.url, username: u.s.username, credential: u.s.credential }, proto, RELAY_DEADLINE_MS, factory) : Promise.resolve(null);
  r.reachability.tcpRelayPort = tcp ? (parseStunUrl(tcp.url)?.port ?? null) : null;
  r.reachability.tlsRelayPort = tls ? (parseStunUrl(tls.url)?.port ?? null) : null;
  const relays = Promise.all([relay(tcp, 'tcp'), relay(tls, 'tls')]);
  if (stun.length > 0) {
    const g = await startGathering({ iceServers: stun.map((u) => ({ urls: u.url, username: u.s.username, credential: u.s.credential })) }, factory);
    try {
      await g.until((c) => c.type === 'srflx' || c.type === 'relay', UDP_DEADLINE_MS);
      const answered = g.candidates.find((c) => (c.type === 'srflx' || c.type === 'relay') && c.protocol === 'udp');
      r.reachability.udp = answered || (g.complete && g.errors.length === 0) ? 'answered' : 'no-answer';
      if (r.reachability.udp === 'answered') r.reachability.udpMs = at();
      r.hostAddresses = [...new Set(g.candidates.filter(isUsableHost).map((c) => c.address))];
      const srflx = g.candidates.find((c) => c.type === 'srflx');
      r.mappedAddress = srflx ? { address: srflx.address, port: srflx.port } : null;
      addErrors(g.errors);
    } finally {
      g.close();
    }
  } else {
    r.skipped.push({ test: 'udp', reason: 'your ICE servers include no STUN or UDP TURN URL' });
  }
  const [t, s] = await relays;
  r.reachability.tcpRelay = t ? t.result : 'not-tested';
  r.reachability.tlsRelay = s ? s.result : 'not-configured';
  r.reachability.reasons.tcpRelay = t ? t.reason : 'your ICE servers include no turn:…?transport=tcp URL';
  r.reachability.reasons.tlsRelay = s ? s.reason : 'your ICE servers include no turns: URL';
  if (r.reachability.udp === 'no-answer') r.reachability.reasons.udp = 'no STUN answer over UDP from your ICE servers in time';
  if (t) addErrors(t.errors);
  if (s) addErrors(s.errors);
  update('custom servers tested');
  decide(r, at);
}
