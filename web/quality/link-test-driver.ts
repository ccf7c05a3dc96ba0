// Runs the link-quality test over the three link channels, outside React. The leader (the offerer) runs the
// schedule — idle RTT, bulk each way with RTT probes under load, then a paced unreliable stream both ways —
// and sends the finished result to the follower, which only reacts. Either side can stop at any time (the
// peer left, the channel closed): the test then ends with a partial result that says what was not measured.
// Wire format: common/peer-protocol.ts (control messages) and link-test-protocol.ts (channels, binary frames). Pure arithmetic: link-result.ts and the metric modules.
import type { LinkQuality, LinkTestPhase, StreamResult, ThroughputResult } from '../../common/link-quality';
import { LINK_TEST_VERSION, encodeControl, parseControl, type ControlMessage, type LinkPlan } from '../../common/peer-protocol';
import { linkQualitySchema } from '../../common/report-schema';
import { sendBulk } from './bulk-sender';
import { interarrivalJitter, type TransitSample } from './jitter';
import type { LinkChannel, LinkChannels } from './link-channels';
import { composeLinkQuality, mirrorLinkQuality, type LinkFigures, type RttSamples } from './link-result';
import { DEFAULT_PLAN, decodeBulk, decodeProbe, encodeProbe, planProgress } from './link-test-protocol';
import { lossFromSequences } from './loss';
import { round } from './sample-stats';
import { ThroughputMeter } from './throughput';

export type LinkRole = 'leader' | 'follower';

export interface LinkTestProgress {
  phase: LinkTestPhase | 'starting' | 'done';
  /** 0..1 of the whole test. */
  fraction: number;
}

export interface LinkTestOptions {
  role: LinkRole;
  channels: LinkChannels;
  plan?: LinkPlan;
  /** Monotonic clock, ms (performance.now). */
  now?: () => number;
  /** ms since the report's start, for startedAt/finishedAt. */
  sinceStart?: () => number;
  onProgress?(p: LinkTestProgress): void;
  /** How long to wait for an answer the schedule depends on, beyond the phase's own length. */
  answerTimeoutMs?: number;
}

export interface LinkTest {
  /** Settles once, with the full or partial result; never rejects. */
  readonly done: Promise<LinkQuality>;
  /** Ends the test now with what was measured (idempotent). */
  stop(reason: string): void;
}

const STREAM_GRACE_MS = 500;

class Stopped extends Error {}

export function startLinkTest(opts: LinkTestOptions): LinkTest {
  const { role, channels } = opts;
  const now = opts.now ?? (() => performance.now());
  const sinceStart = opts.sinceStart ?? (() => 0);
  const answerMs = opts.answerTimeoutMs ?? 20_000;
  let plan: LinkPlan = opts.plan ?? DEFAULT_PLAN;
  const signal = { aborted: false };
  const figures: LinkFigures = {
    status: 'done', reason: null, startedAt: null, finishedAt: null,
    upload: null, download: null, streamOut: null, streamIn: null, rttIdle: null, rttLoadedUp: null, rttLoadedDown: null,
  };
  const cleanups: (() => void)[] = [];
  let finish!: (q: LinkQuality) => void;
  let finished = false;
  const done = new Promise<LinkQuality>((resolve) => (finish = resolve));
  const finishWith = (q: LinkQuality) => {
    if (finished) return;
    finished = true;
    signal.aborted = true;
    for (const c of cleanups.splice(0)) c();
    rejectWaiters(new Stopped(q.reason ?? 'stopped'));
    opts.onProgress?.({ phase: 'done', fraction: 1 });
    finish(q);
  };

  // --- progress --------------------------------------------------------------------------------------
  let phase: LinkTestProgress['phase'] = 'starting';
  let phaseStart = now();
  const setPhase = (p: LinkTestPhase) => {
    phase = p;
    phaseStart = now();
    report();
  };
  const report = () => opts.onProgress?.({ phase, fraction: phase === 'starting' ? 0 : phase === 'done' ? 1 : planProgress(plan, phase, now() - phaseStart) });
  const progressTimer = setInterval(report, 250);
  cleanups.push(() => clearInterval(progressTimer));

  // --- control messages: waiters by type, a one-slot mailbox for what arrives before it is awaited --------
  type T = ControlMessage['t'];
  const mailbox = new Map<T, ControlMessage>();
  const waiters = new Map<T, { resolve: (m: ControlMessage) => void; reject: (e: Error) => void }>();
  function rejectWaiters(e: Error) {
    for (const w of waiters.values()) w.reject(e);
    waiters.clear();
  }
  function waitFor<K extends T>(t: K, timeoutMs: number, what: string): Promise<Extract<ControlMessage, { t: K }>> {
    const early = mailbox.get(t);
    if (early) {
      mailbox.delete(t);
      return Promise.resolve(early as Extract<ControlMessage, { t: K }>);
    }
    if (finished) return Promise.reject(new Stopped('stopped'));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters.delete(t);
        reject(new Stopped(`the other peer did not send ${what} in time`));
      }, timeoutMs);
      waiters.set(t, {
        resolve: (m) => (clearTimeout(timer), resolve(m as Extract<ControlMessage, { t: K }>)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
    });
  }
  const send = (m: ControlMessage) => {
    if (channels.control.readyState === 'open') channels.control.send(encodeControl(m));
  };

  // --- RTT probes (leader) and echoes (both) -------------------------------------------------------------
  let probeSeq = 0;
  const outstanding = new Map<number, { at: number; bucket: RttSamples }>();
  let probeTimer: ReturnType<typeof setInterval> | null = null;
  const startProbes = (): RttSamples => {
    stopProbes();
    const bucket: RttSamples = { samples: [], sent: 0 };
    const tick = () => {
      if (channels.probe.readyState !== 'open') return;
      const seq = probeSeq++;
      const at = now();
      outstanding.set(seq, { at, bucket });
      for (const [s, o] of outstanding) if (at - o.at > 30_000) outstanding.delete(s);
      bucket.sent++;
      channels.probe.send(encodeProbe({ kind: 'probe', seq, sentAt: at }));
    };
    tick();
    probeTimer = setInterval(tick, plan.probeIntervalMs);
    return bucket;
  };
  const stopProbes = () => {
    if (probeTimer !== null) clearInterval(probeTimer);
    probeTimer = null;
  };
  cleanups.push(stopProbes);

  // --- stream receiver (both) ----------------------------------------------------------------------------
  let streamArrivals: { seq: number; t: TransitSample }[] | null = null;
  const streamResultFor = (sent: number): StreamResult => {
    const arrivals = streamArrivals ?? [];
    const loss = lossFromSequences(sent, arrivals.map((a) => a.seq));
    const jitter = interarrivalJitter(arrivals.filter((a) => a.seq < sent).map((a) => a.t));
    return { sent, received: loss.received, lossRatio: round(loss.lossRatio, 4), jitterMs: jitter === null ? null : round(jitter), reordered: loss.reordered };
  };

  const onProbe = (ev: Event) => {
    const m = decodeProbe((ev as MessageEvent).data);
    if (!m) return;
    if (m.kind === 'probe') {
      if (channels.probe.readyState === 'open') channels.probe.send(encodeProbe({ kind: 'echo', seq: m.seq, sentAt: m.sentAt }));
    } else if (m.kind === 'echo') {
      const o = outstanding.get(m.seq);
      if (!o) return;
      outstanding.delete(m.seq);
      o.bucket.samples.push(round(now() - o.at));
    } else if (streamArrivals && streamArrivals.length < 100_000) {
      streamArrivals.push({ seq: m.seq, t: { sentAt: m.sentAt, receivedAt: now() } });
    }
  };

  // --- bulk receiver (both) --------------------------------------------------------------------------------
  let meter: ThroughputMeter | null = null;
  let onBulkEnd: ((r: ThroughputResult) => void) | null = null;
  const onBulk = (ev: Event) => {
    const m = decodeBulk((ev as MessageEvent).data);
    if (!m) return;
    if (m.kind === 'data') {
      meter ??= new ThroughputMeter(now(), 250);
      meter.add(now(), m.bytes);
      return;
    }
    const r: ThroughputResult = meter
      ? { bps: round(meter.bps() ?? 0, 0) || null, bytes: meter.bytes, durationMs: round(meter.durationMs()), series: meter.series().map((p) => ({ at: p.at, bps: round(p.bps, 0) })) }
      : { bps: null, bytes: 0, durationMs: 0, series: [] };
    meter = null;
    onBulkEnd?.(r);
  };

  // --- stream sender (both) ------------------------------------------------------------------------------
  async function sendStream(): Promise<number> {
    const start = now();
    let sent = 0;
    const total = Math.round((plan.streamPps * plan.streamMs) / 1000);
    await new Promise<void>((resolve) => {
      const tick = () => {
        const due = Math.min(total, Math.floor(((now() - start) * plan.streamPps) / 1000) + 1);
        while (sent < due && channels.probe.readyState === 'open') {
          channels.probe.send(encodeProbe({ kind: 'stream', seq: sent, sentAt: now() }, plan.streamBytes));
          sent++;
        }
        if (sent >= total || signal.aborted || channels.probe.readyState !== 'open') {
          clearInterval(timer);
          resolve();
        }
      };
      const timer = setInterval(tick, 10);
      cleanups.push(() => (clearInterval(timer), resolve()));
      tick();
    });
    return sent;
  }

  async function streamPhase(): Promise<{ sentByUs: number; received: StreamResult }> {
    streamArrivals = [];
    const peerEnd = waitFor('stream-end', plan.streamMs + answerMs, 'the end of its stream');
    const sentByUs = await sendStream();
    send({ t: 'stream-end', sent: sentByUs });
    const { sent } = await peerEnd;
    await delay(STREAM_GRACE_MS);
    const received = streamResultFor(sent);
    streamArrivals = null;
    return { sentByUs, received };
  }

  /** `p`, or a Stopped error when the test ends or `timeoutMs` passes first. */
  function guard<V>(p: Promise<V>, timeoutMs: number, what: string): Promise<V> {
    return new Promise<V>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Stopped(`the other peer did not send ${what} in time`)), timeoutMs);
      cleanups.push(() => (clearTimeout(timer), reject(new Stopped('stopped'))));
      p.then((v) => (clearTimeout(timer), resolve(v)), (e: unknown) => (clearTimeout(timer), reject(e)));
    });
  }

  function delay(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(resolve, ms);
      cleanups.push(() => (clearTimeout(t), resolve()));
    });
  }

  // --- control dispatch ----------------------------------------------------------------------------------
  const onControl = (ev: Event) => {
    const m = parseControl((ev as MessageEvent).data);
    if (!m) return;
    if (m.t === 'abort') return stop(`the other peer stopped the test: ${m.reason}`);
    if (role === 'follower') void followerHandle(m);
    const w = waiters.get(m.t);
    if (w) {
      waiters.delete(m.t);
      w.resolve(m);
    } else mailbox.set(m.t, m);
  };

  // --- follower --------------------------------------------------------------------------------------------
  async function followerHandle(m: ControlMessage): Promise<void> {
    try {
      switch (m.t) {
        case 'hello':
          if (m.v !== LINK_TEST_VERSION) {
            send({ t: 'hello-ack', v: LINK_TEST_VERSION });
            return skip(`the other peer runs link test version ${m.v}, this page ${LINK_TEST_VERSION}: reload both pages`);
          }
          plan = m.plan;
          figures.startedAt = sinceStart();
          send({ t: 'hello-ack', v: LINK_TEST_VERSION });
          return;
        case 'phase':
          setPhase(m.phase);
          if (m.phase === 'upload') onBulkEnd = (r) => ((figures.download = r), send({ t: 'bulk-result', result: r }));
          return;
        case 'send-bulk': {
          await sendBulk(channels.bulk, { durationMs: m.durationMs, chunkBytes: plan.chunkBytes, now, signal });
          figures.upload = (await waitFor('bulk-result', m.durationMs + answerMs, 'its download figures')).result;
          return;
        }
        case 'stream-start': {
          const { received } = await streamPhase();
          figures.streamIn = received;
          send({ t: 'stream-result', result: received });
          return;
        }
        case 'result': {
          const parsed = linkQualitySchema.safeParse(m.quality);
          if (!parsed.success) return stop('the other peer sent a result this page cannot read');
          return finishWith(mirrorLinkQuality(parsed.data as LinkQuality));
        }
        default:
          return;
      }
    } catch (err) {
      if (err instanceof Stopped) return stop(err.message);
      stop(`link test failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  // --- leader ----------------------------------------------------------------------------------------------
  async function lead(): Promise<void> {
    figures.startedAt = sinceStart();
    send({ t: 'hello', v: LINK_TEST_VERSION, plan });
    const ack = await waitFor('hello-ack', answerMs, 'a hello');
    if (ack.v !== LINK_TEST_VERSION) return skip(`the other peer runs link test version ${ack.v}, this page ${LINK_TEST_VERSION}: reload both pages`);

    send({ t: 'phase', phase: 'idle-rtt' });
    setPhase('idle-rtt');
    figures.rttIdle = startProbes();
    await delay(plan.idleMs);
    stopProbes();

    send({ t: 'phase', phase: 'upload' });
    setPhase('upload');
    figures.rttLoadedUp = startProbes();
    const uploadResult = waitFor('bulk-result', plan.bulkMs + answerMs, 'its download figures');
    await sendBulk(channels.bulk, { durationMs: plan.bulkMs, chunkBytes: plan.chunkBytes, now, signal });
    figures.upload = (await uploadResult).result;
    stopProbes();

    send({ t: 'phase', phase: 'download' });
    setPhase('download');
    figures.rttLoadedDown = startProbes();
    const downloaded = new Promise<ThroughputResult>((resolve) => (onBulkEnd = resolve));
    send({ t: 'send-bulk', durationMs: plan.bulkMs });
    figures.download = await guard(downloaded, plan.bulkMs + answerMs, 'the end of its bulk data');
    send({ t: 'bulk-result', result: figures.download });
    stopProbes();

    send({ t: 'phase', phase: 'stream' });
    setPhase('stream');
    const peerResult = waitFor('stream-result', plan.streamMs + STREAM_GRACE_MS + answerMs, 'its loss and jitter figures');
    send({ t: 'stream-start' });
    figures.streamIn = (await streamPhase()).received;
    figures.streamOut = (await peerResult).result;

    figures.finishedAt = sinceStart();
    const q = composeLinkQuality(figures);
    send({ t: 'result', quality: q as unknown as Record<string, unknown> });
    finishWith(q);
  }

  function skip(reason: string) {
    finishWith(composeLinkQuality({ ...figures, status: 'skipped', reason, finishedAt: sinceStart() }));
  }

  function stop(reason: string): void {
    if (finished) return;
    send({ t: 'abort', reason });
    stopProbes();
    // Both roles keep their figures from their own point of view, so nothing needs mirroring here.
    finishWith(composeLinkQuality({ ...figures, status: 'partial', reason, finishedAt: sinceStart() }));
  }

  // --- wiring ----------------------------------------------------------------------------------------------
  const onClose = () => stop('the data channel closed (the other peer left or the connection dropped)');
  const listen = (c: LinkChannel, type: 'message' | 'close', fn: (ev: Event) => void) => {
    c.addEventListener(type, fn);
    cleanups.push(() => c.removeEventListener(type, fn));
  };
  listen(channels.control, 'message', onControl);
  listen(channels.probe, 'message', onProbe);
  listen(channels.bulk, 'message', onBulk);
  for (const c of [channels.control, channels.bulk, channels.probe]) listen(c, 'close', onClose);

  if (role === 'leader') {
    whenOpen(channels, answerMs)
      .then(() => lead())
      .catch((err: unknown) => stop(err instanceof Error ? err.message : String(err)));
  }
  report();
  return { done, stop };
}

/** Resolves when all three channels are open. */
function whenOpen(ch: LinkChannels, timeoutMs: number): Promise<void> {
  const all = [ch.control, ch.bulk, ch.probe];
  return new Promise((resolve, reject) => {
    const check = () => {
      if (all.every((c) => c.readyState === 'open')) {
        clearTimeout(timer);
        for (const c of all) c.removeEventListener('open', check);
        resolve();
      }
    };
    const timer = setTimeout(() => {
      for (const c of all) c.removeEventListener('open', check);
      reject(new Stopped('the link-test data channels did not open'));
    }, timeoutMs);
    for (const c of all) c.addEventListener('open', check);
    check();
  });
}
