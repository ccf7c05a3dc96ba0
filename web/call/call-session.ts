// Runs the call test on the test's own RTCPeerConnection, outside React. The leader (the offerer, who
// led the link test) asks; the follower readies its synthetic media and says so; the leader adds an audio and a
// video transceiver and renegotiates over the main data channel (so the media take the selected path the link
// test measured — same ICE transport, bundled); both then send for `durationMs` and read getStats() each second;
// at the end each side sends the other what it received. Either side may skip. Wire: common/peer-protocol.ts.
import type { CallDirection, CallPoint, CallSenderFigures, CallTest } from '../../common/call-report';
import { encodeChannelMessage, parseChannelMessage, type ChannelMessage, type ParsedChannelMessage } from '../../common/peer-protocol';
import { callSampleBetween, readCallCounters, receivedOf, type CallCounters, type CallSample, type RawStat } from './call-stats';
import { callDirection, senderFigures, withSenderFigures, type ReceivedSample } from './call-summary';
import { playReceivedAudio } from './audio-sink';
import { createSyntheticMedia, type SyntheticMedia } from './synthetic-media';
import { withStartBitrate } from './start-bitrate';

export type CallRole = 'leader' | 'follower';

export interface CallProgress {
  phase: 'starting' | 'running' | 'finishing';
  /** Seconds of media so far. */
  second: number;
  durationS: number;
  /** This page's received seconds so far (for the live chart). */
  incoming: CallPoint[];
}

export interface CallSessionOptions {
  role: CallRole;
  pc: RTCPeerConnection;
  /** The main data channel ('p2pcheck'). */
  channel: RTCDataChannel;
  durationMs?: number;
  /** Stats poll interval, ms. */
  intervalMs?: number;
  /** How long to wait for the other side at each step, ms. */
  answerTimeoutMs?: number;
  media?: () => SyntheticMedia;
  /** Plays a received audio track silently so the browser measures its jitter buffer; returns its stop. */
  playAudio?: (track: MediaStreamTrack) => () => void;
  /** ms since the report's start. */
  sinceStart?: () => number;
  browser?: string | null;
  onProgress?(p: CallProgress): void;
  /** Follower: the leader's call-start has already arrived (the lobby starts a follower on it, not before). */
  asked?: boolean;
}

export interface CallSession {
  /** Settles once with the result (never rejects). */
  readonly done: Promise<CallTest>;
  /** Ends the call now; `skip`: tell the other side it was skipped (idempotent). */
  stop(reason: string, skip?: boolean): void;
}

export const CALL_DURATION_MS = 10_000;

class Ended extends Error {}

export function startCallSession(opts: CallSessionOptions): CallSession {
  const { role, pc, channel } = opts;
  const durationMs = opts.durationMs ?? CALL_DURATION_MS;
  const intervalMs = opts.intervalMs ?? 1000;
  const answerMs = opts.answerTimeoutMs ?? 8000;
  const sinceStart = opts.sinceStart ?? (() => 0);
  const startedAt = sinceStart();
  let media = null as SyntheticMedia | null;
  let ended = null as { reason: string; status: CallTest['status'] } | null;
  /** Set while the two sides swap results: the exchange goes on after a skip (only a closed channel ends it). */
  let collecting = false;
  let closed = false;
  let wake = null as (() => void) | null;
  const inbox: ParsedChannelMessage[] = [];
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const samples: ReceivedSample[] = [];
  const sentSamples: CallSample['sent'][] = [];
  let theirSender = null as CallSenderFigures | null;
  let outgoing: CallDirection | null = null;
  let theirResult = false;
  let mediaStartedAt: number | null = null;
  const stopSinks: (() => void)[] = [];

  const send = (m: ChannelMessage) => {
    if (channel.readyState === 'open') channel.send(encodeChannelMessage(m));
  };
  const onMessage = (ev: MessageEvent) => {
    const m = parseChannelMessage(ev.data);
    if (!m || !m.t.startsWith('call-')) return;
    if (m.t === 'call-skip') return end(`the other person skipped the call test (${m.reason})`, 'skipped');
    if (m.t === 'call-result') {
      outgoing = m.received;
      theirSender = m.sent;
      theirResult = true;
    }
    inbox.push(m);
    wake?.();
  };
  const onClose = () => {
    closed = true;
    end('the data channel closed during the call', 'partial');
  };
  channel.addEventListener('message', onMessage);
  channel.addEventListener('close', onClose);

  function end(reason: string, status: CallTest['status']): void {
    if (ended) return;
    ended = { reason, status };
    wake?.();
  }
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });
  /** Waits for a message of type `t` (or the end), at most `ms`. */
  async function expect<T extends ParsedChannelMessage['t']>(t: T, ms: number, what: string): Promise<Extract<ParsedChannelMessage, { t: T }>> {
    const deadline = performance.now() + ms;
    for (;;) {
      if ((ended && !collecting) || closed) throw new Ended();
      const i = inbox.findIndex((m) => m.t === t);
      if (i >= 0) return inbox.splice(i, 1)[0] as Extract<ParsedChannelMessage, { t: T }>;
      const left = deadline - performance.now();
      if (left <= 0) {
        if (!collecting) end(`the other page did not ${what} within ${Math.round(ms / 1000)} s`, 'failed');
        throw new Ended();
      }
      await Promise.race([new Promise<void>((r) => (wake = r)), sleep(Math.min(left, 250))]);
    }
  }

  async function addMedia(): Promise<void> {
    media = (opts.media ?? createSyntheticMedia)();
    if (role === 'leader') {
      // A second call on this connection (the lobby) reuses the first one's transceivers with fresh tracks instead of
      // adding two m-lines per call.
      for (const track of [media.audio, media.video]) {
        const earlier = pc.getTransceivers().find((t) => usable(t) && t.receiver.track.kind === track.kind);
        if (!earlier) {
          pc.addTransceiver(track, { direction: 'sendrecv' });
          continue;
        }
        earlier.direction = 'sendrecv';
        await earlier.sender.replaceTrack(track);
      }
      await pc.setLocalDescription(await pc.createOffer());
      send({ t: 'call-offer', sdp: pc.localDescription!.sdp });
      const answer = await expect('call-answer', answerMs, 'answer the call');
      await pc.setRemoteDescription({ type: 'answer', sdp: withStartBitrate(answer.sdp) });
    } else {
      const offer = await expect('call-offer', answerMs, 'offer the call');
      await pc.setRemoteDescription({ type: 'offer', sdp: withStartBitrate(offer.sdp) });
      for (const t of pc.getTransceivers()) {
        const kind = t.receiver.track.kind;
        // Every audio and video transceiver gets this call's track (on a second call, the first call's are stopped).
        if ((kind !== 'audio' && kind !== 'video') || !usable(t)) continue;
        t.direction = 'sendrecv';
        await t.sender.replaceTrack(kind === 'audio' ? media.audio : media.video);
      }
      await pc.setLocalDescription(await pc.createAnswer());
      send({ t: 'call-answer', sdp: pc.localDescription!.sdp });
    }
  }

  const snapshot = async (): Promise<CallCounters> => {
    const list: RawStat[] = [];
    (await pc.getStats()).forEach((v: RawStat) => list.push(v));
    return readCallCounters(list);
  };

  async function run(): Promise<void> {
    if (role === 'leader') {
      send({ t: 'call-start', durationMs });
      await expect('call-ready', answerMs, 'start the call test (an older page?)');
    } else {
      if (!opts.asked) await expect('call-start', 24 * 3600_000, 'start the call test');
      send({ t: 'call-ready' });
    }
    progress('starting', 0);
    await addMedia();
    for (const t of pc.getTransceivers()) {
      if (t.receiver.track.kind === 'audio') stopSinks.push((opts.playAudio ?? playReceivedAudio)(t.receiver.track));
    }
    mediaStartedAt = performance.now();
    let prev = await snapshot();
    // Ends by the wall clock, not a count of polls: on a loaded machine getStats and timers run late, and the call
    // must still add only ~durationMs to the test. Polls sit on a fixed grid (start + i × interval), not an interval
    // after the previous poll ended: a getStats() that takes 400 ms would otherwise stretch every second to 1.4 s
    // and a 10 s call would chart 7 points instead of 10. A poll that overruns its second skips to the next tick.
    const stopAt = mediaStartedAt + durationMs;
    let tick = mediaStartedAt;
    for (let i = 1; !ended && performance.now() < stopAt - intervalMs / 4; i++) {
      const now = performance.now();
      tick += intervalMs;
      if (tick < now) tick += Math.ceil((now - tick) / intervalMs) * intervalMs;
      await sleep(Math.max(0, Math.min(tick, stopAt) - now));
      if (ended) break;
      const cur = await snapshot();
      const sample = callSampleBetween(prev, cur);
      samples.push(receivedOf(sample));
      sentSamples.push(sample.sent);
      prev = cur;
      progress('running', i);
    }
  }

  function progress(phase: CallProgress['phase'], second: number) {
    opts.onProgress?.({ phase, second, durationS: durationMs / 1000, incoming: callDirection(samples).series });
  }

  const done = (async (): Promise<CallTest> => {
    try {
      await run();
    } catch (err) {
      if (!(err instanceof Ended)) end(`the call could not start: ${err instanceof Error ? err.message : String(err)}`, 'failed');
    }
    media?.stop();
    for (const stop of stopSinks.splice(0)) stop();
    const incoming = samples.length ? callDirection(samples) : null;
    const skippedEarly = ended?.status === 'skipped' && samples.length === 0;
    if (!skippedEarly && channel.readyState === 'open') {
      progress('finishing', samples.length);
      send({ t: 'call-result', received: incoming, sent: senderFigures(sentSamples) });
      // The other side's view of what this page sent; it sends it as soon as its own polls end.
      collecting = true;
      try {
        // As long as any answer: on a loaded machine the other side's last getStats can run seconds late.
        if (!theirResult) await expect('call-result', answerMs, 'send what it received');
      } catch {
        /* outgoing stays null; the status says partial */
      }
    }
    channel.removeEventListener('message', onMessage);
    channel.removeEventListener('close', onClose);
    for (const t of timers) clearTimeout(t);
    const mine = senderFigures(sentSamples);
    if (outgoing) outgoing = withSenderFigures(outgoing, mine);
    const incomingFull = incoming && theirSender ? withSenderFigures(incoming, theirSender) : incoming;
    const status: CallTest['status'] = ended?.status ?? (incoming && outgoing ? 'done' : 'partial');
    return {
      version: 1,
      status,
      reason: ended?.reason ?? (status === 'partial' ? 'the other page did not send what it received' : null),
      startedAt,
      durationMs: mediaStartedAt === null ? null : Math.round(performance.now() - mediaStartedAt),
      browser: opts.browser ?? null,
      incoming: incomingFull,
      outgoing,
      disagreement: null,
    };
  })();

  return {
    done,
    stop(reason, skip = false) {
      if (ended) return;
      if (skip) send({ t: 'call-skip', reason });
      end(reason, skip ? 'skipped' : 'partial');
    },
  };
}

/** A negotiated transceiver still in use (not one a renegotiation stopped). */
const usable = (t: RTCRtpTransceiver) => t.mid !== null && t.direction !== 'stopped' && t.currentDirection !== 'stopped';

/** Which browser's statistics these are (they differ: docs/call-test.md). */
export function browserName(ua: string): string {
  if (/Firefox\//.test(ua)) return 'firefox';
  if (/Chrom(e|ium)\//.test(ua)) return 'chromium';
  if (/Safari\//.test(ua)) return 'safari';
  return 'other';
}
