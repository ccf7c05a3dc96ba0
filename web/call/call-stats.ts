// One getStats() report of the call → counters (read once), and two counters a second apart → one sample per
// direction. Pure: tests feed the reports captured from Debian's Chromium and Firefox ESR (testdata/).
// W3C webrtc-stats: outbound-rtp / inbound-rtp (§8.2-8.4), remote-inbound-rtp (§8.5), candidate-pair (§8.13).
// Where the browsers differ (documented in docs/call-test.md):
//   - Chromium marks the selected pair through transport.selectedCandidatePairId; Firefox sets `selected: true`
//     on the pair (and has no transport stats).
//   - availableOutgoingBitrate (the bandwidth estimate), qualityLimitationReason and targetBitrate: Chromium only.
//   - framesPerSecond is missing in the first seconds (both) — the sample then counts framesDecoded itself.
//   - jitterBufferDelay is seconds summed over emitted samples (audio) or frames (video) in both.

/** One entry of an RTCStatsReport, as `report.forEach` hands it (fields vary by browser). */
export interface RawStat {
  id: string;
  type: string;
  timestamp: number;
  [field: string]: unknown;
}

/** Counters of one side at one instant. Absent fields are null (not 0): a browser that does not report them. */
export interface CallCounters {
  /** ms (the stats' own timestamp). */
  at: number;
  sent: { bytes: number; videoFrames: number; width: number | null; height: number | null; qualityLimitation: string | null };
  received: {
    bytes: number;
    packets: number;
    packetsLost: number;
    videoFrames: number;
    fps: number | null;
    width: number | null;
    height: number | null;
    freezeCount: number;
    freezeS: number;
    nack: number;
    pli: number;
    audioJitterS: number | null;
    audioBufferDelayS: number;
    audioBufferEmitted: number;
    concealedSamples: number;
    totalSamples: number;
  };
  /** The selected candidate pair. */
  rttS: number | null;
  bandwidthEstimateBps: number | null;
}

/** What this side received in a sample, with the span and RTT: the input of one direction's summary. */
export const receivedOf = (x: CallSample) => ({ ...x.received, spanMs: x.spanMs, rttMs: x.rttMs });

/** One second (or however long between two polls) of the call as this side saw it. */
export interface CallSample {
  /** ms between the two counters. */
  spanMs: number;
  sent: { bps: number; fps: number | null; height: number | null; qualityLimitation: string | null; bandwidthEstimateBps: number | null };
  received: {
    bps: number;
    fps: number | null;
    width: number | null;
    height: number | null;
    packets: number;
    packetsLost: number;
    /** Video frames decoded in this span. */
    frames: number;
    newFreezes: number;
    freezeMs: number;
    nack: number;
    pli: number;
    jitterMs: number | null;
    /** Average jitter-buffer wait of the audio emitted in this span, ms. */
    jitterBufferMs: number | null;
    concealedSamples: number;
    totalSamples: number;
  };
  rttMs: number | null;
}

const n = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const z0 = (v: unknown): number => n(v) ?? 0;
const s = (v: unknown): string | null => (typeof v === 'string' ? v : null);

function selectedPair(stats: readonly RawStat[]): RawStat | null {
  const transport = stats.find((x) => x.type === 'transport' && typeof x.selectedCandidatePairId === 'string');
  if (transport) return stats.find((x) => x.id === transport.selectedCandidatePairId) ?? null;
  return stats.find((x) => x.type === 'candidate-pair' && x.selected === true) ?? null;
}

/** Reads one stats report into counters. Several streams of a kind (simulcast, a renegotiation) are summed. */
export function readCallCounters(stats: readonly RawStat[]): CallCounters {
  const c: CallCounters = {
    at: 0,
    sent: { bytes: 0, videoFrames: 0, width: null, height: null, qualityLimitation: null },
    received: {
      bytes: 0, packets: 0, packetsLost: 0, videoFrames: 0, fps: null, width: null, height: null, freezeCount: 0, freezeS: 0,
      nack: 0, pli: 0, audioJitterS: null, audioBufferDelayS: 0, audioBufferEmitted: 0, concealedSamples: 0, totalSamples: 0,
    },
    rttS: null,
    bandwidthEstimateBps: null,
  };
  for (const x of stats) {
    const kind = s(x.kind) ?? s(x.mediaType);
    if (x.type === 'outbound-rtp') {
      c.at = Math.max(c.at, x.timestamp);
      c.sent.bytes += z0(x.bytesSent);
      if (kind === 'video') {
        c.sent.videoFrames += z0(x.framesEncoded);
        if ((n(x.frameHeight) ?? -1) > (c.sent.height ?? -1)) {
          c.sent.height = n(x.frameHeight);
          c.sent.width = n(x.frameWidth);
        }
        c.sent.qualityLimitation = s(x.qualityLimitationReason) ?? c.sent.qualityLimitation;
      }
    } else if (x.type === 'inbound-rtp') {
      c.at = Math.max(c.at, x.timestamp);
      const r = c.received;
      r.bytes += z0(x.bytesReceived);
      r.packets += z0(x.packetsReceived);
      r.packetsLost += Math.max(0, z0(x.packetsLost));
      r.nack += z0(x.nackCount);
      if (kind === 'video') {
        r.videoFrames += z0(x.framesDecoded);
        r.fps = n(x.framesPerSecond) ?? r.fps;
        if ((n(x.frameHeight) ?? -1) > (r.height ?? -1)) {
          r.height = n(x.frameHeight);
          r.width = n(x.frameWidth);
        }
        r.freezeCount += z0(x.freezeCount);
        r.freezeS += z0(x.totalFreezesDuration);
        r.pli += z0(x.pliCount);
      } else if (kind === 'audio') {
        r.audioJitterS = n(x.jitter) ?? r.audioJitterS;
        r.audioBufferDelayS += z0(x.jitterBufferDelay);
        r.audioBufferEmitted += z0(x.jitterBufferEmittedCount);
        r.concealedSamples += z0(x.concealedSamples);
        r.totalSamples += z0(x.totalSamplesReceived);
      }
    }
  }
  const pair = selectedPair(stats);
  if (pair) {
    c.rttS = n(pair.currentRoundTripTime);
    c.bandwidthEstimateBps = n(pair.availableOutgoingBitrate);
    if (c.at === 0) c.at = pair.timestamp;
  }
  return c;
}

const bps = (bytes: number, ms: number) => (ms > 0 ? Math.max(0, Math.round((bytes * 8 * 1000) / ms)) : 0);

/** The call between two counters of the same side (prev earlier). Counters that went backwards (a stream
 *  replaced) count from zero rather than negative. */
export function callSampleBetween(prev: CallCounters, cur: CallCounters): CallSample {
  const spanMs = Math.max(0, cur.at - prev.at);
  const d = (a: number, b: number) => Math.max(0, b - a);
  const p = prev.received;
  const r = cur.received;
  const frames = d(p.videoFrames, r.videoFrames);
  const emitted = d(p.audioBufferEmitted, r.audioBufferEmitted);
  const sentFrames = d(prev.sent.videoFrames, cur.sent.videoFrames);
  return {
    spanMs,
    sent: {
      bps: bps(d(prev.sent.bytes, cur.sent.bytes), spanMs),
      fps: spanMs > 0 && cur.sent.height !== null ? round1((sentFrames * 1000) / spanMs) : null,
      height: cur.sent.height,
      qualityLimitation: cur.sent.qualityLimitation,
      bandwidthEstimateBps: cur.bandwidthEstimateBps,
    },
    received: {
      bps: bps(d(p.bytes, r.bytes), spanMs),
      // The browser's own figure when it has one; else frames decoded in this span.
      fps: r.fps ?? (spanMs > 0 && r.height !== null ? round1((frames * 1000) / spanMs) : null),
      width: r.width,
      height: r.height,
      packets: d(p.packets, r.packets),
      packetsLost: d(p.packetsLost, r.packetsLost),
      frames,
      newFreezes: d(p.freezeCount, r.freezeCount),
      freezeMs: Math.round(d(p.freezeS, r.freezeS) * 1000),
      nack: d(p.nack, r.nack),
      pli: d(p.pli, r.pli),
      jitterMs: r.audioJitterS === null ? null : round1(r.audioJitterS * 1000),
      jitterBufferMs: emitted > 0 ? round1((d(p.audioBufferDelayS, r.audioBufferDelayS) / emitted) * 1000) : null,
      concealedSamples: d(p.concealedSamples, r.concealedSamples),
      totalSamples: d(p.totalSamples, r.totalSamples),
    },
    rttMs: cur.rttS === null ? null : round1(cur.rttS * 1000),
  };
}

const round1 = (x: number) => Math.round(x * 10) / 10;
