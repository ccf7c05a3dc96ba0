// The relay fallback, tried for real. When a test's connection is direct, nothing in it shows that the TURN
// relay would have carried the call had hole punching failed (Chromium often stops gathering before its relay
// candidate arrives). So, once the link measurement is done, the two pages open a second, relay-only
// RTCPeerConnection to each other — iceTransportPolicy 'relay', so only pairs through TURN relays may connect —
// negotiated over the test's own data channel (no signaling server needed), time how long it takes to open a data
// channel through it, measure its round-trip time and what a 2 s burst carries, and close it. The side that made the test's offer starts it
// and sends the verdict to the other side. The burst is the link test's: its back-pressured sender, its throughput
// meter and its median (web/quality).
import type { RelayCheck } from '../../common/report';
import type { PathKind } from '../../common/path-kind';
import { encodeChannelMessage, parseChannelMessage, type ChannelMessage, type ParsedChannelMessage, type RelayCheckVerdict } from '../../common/peer-protocol';
import { sendBulk } from '../quality/bulk-sender';
import { decodeBulk } from '../quality/link-test-protocol';
import { median } from '../quality/sample-stats';
import { ThroughputMeter } from '../quality/throughput';
import { relayKind } from '../stats/path-classify';
import { startRttPinger } from './rtt-pinger';

export interface RelayCheckOptions {
  role: 'starter' | 'responder';
  /** The test's data channel, carrying this check's offer, answer, candidates and verdict. */
  channel: RTCDataChannel;
  /** The TURN servers to test, or a function read when this side begins (the room's nearest ICE region, which the
   *  page may learn only after the test's own connection was made). */
  iceServers: RTCIceServer[] | (() => RTCIceServer[]);
  /** Monotonic clock, ms. */
  now(): number;
  /** ms since the test started (for `startedAt`). */
  sinceStart(): number;
  onUpdate(check: RelayCheck): void;
  /** Give up after this long without an open relay-only channel. */
  timeoutMs?: number;
  /** Tests pass a fake; the page uses the browser's RTCPeerConnection. */
  createPeerConnection?: (config: RTCConfiguration) => RTCPeerConnection;
}

export interface RelayCheckHandle {
  /** Called by both sides once their link measurement is done. The starter makes its offer; the responder (which
   *  answers an offer whenever it arrives) from then on waits for one, and says so. */
  start(): void;
  stop(): void;
}

const PINGS = 5;
const PING_GAP_MS = 100;
const DEFAULT_TIMEOUT_MS = 20_000;
/** Throughput burst through the relays (like Twilio's relay bitrate test, shorter): 1 KB messages for 2 s, at most
 *  256 KB queued. */
const BURST_MS = 2000;
const BURST_CHUNK = 1024;
const BURST_MAX_BUFFERED = 256 * 1024;
/** Pings, burst and the burst's result, once the relay-only channel is open. */
const MEASURE_DEADLINE_MS = 12_000;
/** Too little data over too short a time says nothing about throughput. */
const MIN_BURST_BYTES = 64 * 1024;
const MIN_BURST_MS = 200;

const hasTurn = (servers: RTCIceServer[]) => servers.some((s) => (Array.isArray(s.urls) ? s.urls : [s.urls]).some((u) => /^turns?:/i.test(u)));

/** The relay protocol of the selected pair's local candidate (Chromium: transport.selectedCandidatePairId). */
async function selectedRelayPath(pc: RTCPeerConnection): Promise<PathKind | null> {
  const stats = await pc.getStats();
  let pairId: string | null = null;
  stats.forEach((r: { type: string; selectedCandidatePairId?: string }) => {
    if (r.type === 'transport' && r.selectedCandidatePairId) pairId = r.selectedCandidatePairId;
  });
  const pair = pairId ? (stats.get(pairId) as { localCandidateId?: string } | undefined) : undefined;
  const local = pair?.localCandidateId ? (stats.get(pair.localCandidateId) as { candidateType?: string; relayProtocol?: string } | undefined) : undefined;
  return local?.candidateType === 'relay' ? relayKind(local.relayProtocol) : null;
}

export function startRelayCheck(opts: RelayCheckOptions): RelayCheckHandle {
  const { channel, now } = opts;
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  // Read once, when this side begins (start() or the other side's offer).
  let servers: RTCIceServer[] | null = null;
  const iceServers = () => (servers ??= typeof opts.iceServers === 'function' ? opts.iceServers() : opts.iceServers);
  let pc: RTCPeerConnection | null = null;
  let begun = false;
  let finished = false;
  let startedMono = 0;
  let check: RelayCheck = { state: 'running', startedAt: null, connectMs: null, rttMs: null, path: null, reason: null };
  let timer: ReturnType<typeof setTimeout> | null = null;
  const pendingRemote: RTCIceCandidateInit[] = [];
  let localRelays = 0;
  let remoteRelays = 0;
  const turnErrors: string[] = [];

  const update = (patch: Partial<RelayCheck>) => {
    check = { ...check, ...patch };
    opts.onUpdate(check);
  };
  const send = (m: ChannelMessage) => {
    if (channel.readyState === 'open') channel.send(encodeChannelMessage(m));
  };

  let stopPinger: (() => void) | null = null;
  const close = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    stopPinger?.();
    stopPinger = null;
    pc?.close();
    pc = null;
  };

  function finish(verdict: RelayCheckVerdict, path: PathKind | null): void {
    if (finished) return;
    finished = true;
    update({ state: verdict.state, rttMs: verdict.rttMs, throughputBps: verdict.throughputBps ?? null, reason: verdict.reason, path: path ?? check.path });
    close();
  }

  /** Ends the check as failed; the starter tells the other side. */
  function fail(reason: string): void {
    const verdict: RelayCheckVerdict = { state: 'failed', rttMs: null, reason };
    if (opts.role === 'starter') send({ t: 'rc-result', verdict });
    finish(verdict, null);
  }

  /** Fails after `ms` unless something resets the timer; the responder waits 5 s longer, since the starter's
   *  verdict (sent at its own deadline) is the one to show. */
  function failAfter(ms: number, reason: () => string): void {
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(() => fail(reason()), opts.role === 'starter' ? ms : ms + 5000);
  }

  /** Why no relay-only pair connected, from what this side saw. */
  function failureReason(): string {
    if (localRelays === 0) {
      return turnErrors.length
        ? `this side got no relay candidate from its TURN server (${turnErrors.slice(0, 2).join('; ')})`
        : 'this side got no relay candidate from its TURN server (no answer, no error)';
    }
    if (remoteRelays === 0) return 'the other side sent no relay candidate (its TURN server gave it none)';
    return `both sides have relay candidates, but no pair between them connected within ${Math.round(timeoutMs / 1000)} s (a firewall between the TURN servers and the relays, or a TURN server that refuses the peer's relay)`;
  }

  function open(): RTCPeerConnection {
    const conn = (opts.createPeerConnection ?? ((c) => new RTCPeerConnection(c)))({ iceServers: iceServers(), iceTransportPolicy: 'relay' });
    pc = conn;
    startedMono = now();
    update({ state: 'running', startedAt: check.startedAt ?? opts.sinceStart() });
    failAfter(timeoutMs, failureReason);
    conn.addEventListener('icecandidate', (ev: RTCPeerConnectionIceEvent) => {
      if (conn !== pc) return;
      const c = ev.candidate;
      if (c?.candidate && / typ relay/.test(c.candidate)) localRelays++;
      send({ t: 'rc-candidate', c: c?.candidate ? { candidate: c.candidate, sdpMid: c.sdpMid, sdpMLineIndex: c.sdpMLineIndex } : null });
    });
    conn.addEventListener('icecandidateerror', (ev: Event) => {
      const e = ev as RTCPeerConnectionIceErrorEvent;
      if (turnErrors.length < 4) turnErrors.push(`${e.url}: ${e.errorCode} ${e.errorText}`.trim());
    });
    const dc = conn.createDataChannel('relay-check', { negotiated: true, id: 0 });
    dc.binaryType = 'arraybuffer';
    // Count the burst and report it when the starter says it is over (pings are answered by the pinger).
    let burst: ThroughputMeter | null = null;
    dc.addEventListener('message', (ev: MessageEvent) => {
      if (ev.data instanceof ArrayBuffer) {
        // The sender's END marker is not payload (a page before the shared sender sent none).
        if (decodeBulk(ev.data)?.kind !== 'end') (burst ??= new ThroughputMeter(now())).add(now(), ev.data.byteLength);
        return;
      }
      const m = parseChannelMessage(ev.data);
      if (m?.t === 'rc-burst-end' && dc.readyState === 'open') dc.send(encodeChannelMessage({ t: 'rc-burst-result', bytes: burst?.bytes ?? 0, ms: burst?.durationMs() ?? 0 }));
    });
    dc.addEventListener('open', () => {
      if (conn !== pc || finished) return;
      // Connected: from here only the measurement can go wrong.
      failAfter(MEASURE_DEADLINE_MS, () => 'the relay-only connection opened, but its measurement did not finish (the connection stalled)');
      update({ connectMs: Math.round(now() - startedMono) });
      void selectedRelayPath(conn).then((path) => path && conn === pc && update({ path }));
      // The starter pings and collects round trips; the responder only answers.
      const rtts: number[] = [];
      stopPinger = startRttPinger(dc, { intervalMs: opts.role === 'starter' ? PING_GAP_MS : 0, now, onSample: (rtt) => rtts.push(rtt) });
      if (opts.role === 'starter') void measure(conn, dc, rtts);
    });
    return conn;
  }

  /** Starter: `rtts` fills from the pinger until PINGS round trips (or their time and 500 ms more), then the burst,
   *  then the verdict. */
  async function measure(conn: RTCPeerConnection, dc: RTCDataChannel, rtts: number[]): Promise<void> {
    const deadline = now() + PINGS * PING_GAP_MS + 500;
    while (rtts.length < PINGS && now() < deadline && !finished) await new Promise((r) => setTimeout(r, PING_GAP_MS / 2));
    stopPinger?.();
    stopPinger = null;
    if (conn !== pc || finished) return;
    const throughputBps = rtts.length ? await burst(dc) : null;
    if (conn !== pc || finished) return;
    const path = await selectedRelayPath(conn).catch(() => null);
    const rtt = median(rtts);
    const verdict: RelayCheckVerdict = rtts.length
      ? { state: 'works', rttMs: rtt === null ? null : Math.round(rtt * 10) / 10, throughputBps, reason: null }
      : { state: 'failed', rttMs: null, reason: 'the relay-only data channel opened but carried no round trip' };
    send({ t: 'rc-result', verdict });
    finish(verdict, path);
  }

  /** Sends for BURST_MS, then asks the other side what arrived; bits/s, or null when too little to tell. */
  async function burst(dc: RTCDataChannel): Promise<number | null> {
    await sendBulk(dc, {
      durationMs: BURST_MS,
      chunkBytes: BURST_CHUNK,
      now,
      highWater: BURST_MAX_BUFFERED,
      lowWater: BURST_MAX_BUFFERED / 4,
      signal: { get aborted() { return finished; } },
    });
    if (dc.readyState !== 'open') return null;
    const result = new Promise<{ bytes: number; ms: number } | null>((resolve) => {
      const t = setTimeout(() => resolve(null), 4000);
      const onResult = (ev: MessageEvent) => {
        const m = typeof ev.data === 'string' ? parseChannelMessage(ev.data) : null;
        if (m?.t !== 'rc-burst-result') return;
        clearTimeout(t);
        dc.removeEventListener('message', onResult);
        resolve({ bytes: m.bytes, ms: m.ms });
      };
      dc.addEventListener('message', onResult);
    });
    dc.send(encodeChannelMessage({ t: 'rc-burst-end' }));
    const r = await result;
    if (!r || r.bytes < MIN_BURST_BYTES || r.ms < MIN_BURST_MS) return null;
    return Math.round((r.bytes * 8 * 1000) / r.ms);
  }

  const onMessage = (ev: MessageEvent) => {
    const m = parseChannelMessage(ev.data);
    if (!m || !m.t.startsWith('rc-') || finished) return;
    void handle(m).catch((err: unknown) => fail(`WebRTC error: ${err instanceof Error ? err.message : String(err)}`));
  };

  async function handle(m: ParsedChannelMessage): Promise<void> {
    switch (m.t) {
      case 'rc-offer': {
        if (opts.role !== 'responder' || begun) return;
        begun = true;
        if (!hasTurn(iceServers())) {
          // Our side cannot take part; the starter times out with "the other side sent no relay candidate".
          finished = true;
          if (timer !== null) clearTimeout(timer);
          update({ state: 'skipped', reason: 'no TURN server configured on this side' });
          return;
        }
        const conn = open();
        await conn.setRemoteDescription({ type: 'offer', sdp: m.sdp });
        await flushRemote(conn);
        await conn.setLocalDescription(await conn.createAnswer());
        send({ t: 'rc-answer', sdp: conn.localDescription!.sdp });
        return;
      }
      case 'rc-answer':
        if (opts.role !== 'starter' || !pc) return;
        await pc.setRemoteDescription({ type: 'answer', sdp: m.sdp });
        await flushRemote(pc);
        return;
      case 'rc-candidate':
        if (!m.c) return;
        if (/ typ relay/.test(m.c.candidate)) remoteRelays++;
        if (pc?.remoteDescription) await pc.addIceCandidate(m.c);
        else pendingRemote.push(m.c);
        return;
      case 'rc-result': {
        if (opts.role !== 'responder') return;
        if (m.verdict.state === 'skipped') {
          finished = true;
          if (timer !== null) clearTimeout(timer);
          update({ state: 'skipped', reason: m.verdict.reason });
          return;
        }
        if (!pc) return;
        // The verdict shows at once: the starter may end its test the moment it sent it (the headless peer does),
        // and the peer-left that follows would otherwise find this check unfinished. The relay path is read
        // afterwards, from the connection this side now closes itself.
        const conn = pc;
        pc = null;
        finish(m.verdict, null);
        const path = await selectedRelayPath(conn).catch(() => null);
        conn.close();
        if (path && path !== check.path) update({ path });
        return;
      }
      default:
        return;
    }
  }

  async function flushRemote(conn: RTCPeerConnection): Promise<void> {
    for (const c of pendingRemote.splice(0)) await conn.addIceCandidate(c);
  }

  channel.addEventListener('message', onMessage);

  return {
    start() {
      if (opts.role === 'responder') {
        if (begun || finished) return;
        // Waiting for the starter's offer, which follows its own link measurement.
        update({ state: 'running', startedAt: opts.sinceStart() });
        failAfter(timeoutMs, () => 'the other side did not start the relay check (an older p2pcheck page?)');
        return;
      }
      if (begun) return;
      begun = true;
      if (!hasTurn(iceServers())) {
        finished = true;
        update({ state: 'skipped', startedAt: opts.sinceStart(), reason: 'no TURN server configured on this side' });
        send({ t: 'rc-result', verdict: { state: 'skipped', rttMs: null, reason: 'no TURN server configured on the other side' } });
        return;
      }
      const conn = open();
      void (async () => {
        await conn.setLocalDescription(await conn.createOffer());
        send({ t: 'rc-offer', sdp: conn.localDescription!.sdp });
      })().catch((err: unknown) => finish({ state: 'failed', rttMs: null, reason: `WebRTC error: ${err instanceof Error ? err.message : String(err)}` }, null));
    },
    stop() {
      channel.removeEventListener('message', onMessage);
      // Reported as running (started, or waiting for the offer) but not over: say so, so the report can be saved.
      if (!finished && check.state === 'running' && check.startedAt !== null) {
        finished = true;
        update({ state: 'failed', reason: 'the test ended before the relay check finished' });
      }
      finished = true;
      close();
    },
  };
}
