// The link-condition lab's rows (issue 15): what each row sets on the link, the verdicts the documented thresholds
// give for it (written down before the run: web/quality/quality-verdict.ts for the data channel,
// web/call/call-verdict.ts for the call), the tolerances of the measured figures, and the docs table. Pure.
import type { CallLevel, CallTest } from '../common/call-report';
import type { LinkQuality } from '../common/link-quality';

export interface LinkCondition {
  /** Rate cap each way on each browser's link, bit/s (tbf). */
  rateBps?: number;
  /** Random drop of every UDP packet a browser sends, 0..1 (iptables statistic): each media direction once. */
  loss?: number;
  /** Added round-trip time, ms: the delaying forwarder in front of TURN adds a quarter on each of its four legs
   *  (a media packet crosses it on the sender's way in and the receiver's way out; the reply does the same). */
  addedRttMs?: number;
  /** Extra delay per packet, uniform in [0, jitterMs) on each leg, order kept (the forwarder's jitter). */
  jitterMs?: number;
}

/** Delay and jitter come from the forwarder in front of TURN, so only a relayed path has them; every other row
 *  takes the direct path the server namespace routes in the kernel (quality-lab-net.ts). */
export function viaRelay(c: LinkCondition): boolean {
  return Boolean(c.addedRttMs || c.jitterMs);
}

export interface LabRow {
  name: string;
  condition: LinkCondition;
  /** Data-channel verdicts the thresholds allow for the row (two where the set value sits on a limit). */
  link: readonly CallLevel[];
  /** Call verdicts the thresholds allow on a machine whose encoder keeps up; lower only with a CPU limit named. */
  call: readonly CallLevel[];
  /** Why these verdicts. */
  why: string;
  /** In npm test (the small subset). */
  quick?: boolean;
}

export const LAB_ROWS: readonly LabRow[] = [
  // Not quick: on the first un-starved run (load 16) the call read 180 lines at 26 fps, 0.53 Mbit/s, limited by
  // "bandwidth" on a 30 Mbit/s, 3 ms link — Chromium's estimator had not ramped up within the 10 s call. Since the
  // call starts its estimate at 1.2 Mbit/s (web/call/start-bitrate.ts) the row reads HD in most runs, but one run in
  // four at load 2-5 still read SD one way (estimate 0.42 Mbit/s, not flagged as starved): too unsteady for npm test
  // on this two-core machine (docs/call-test.md).
  { name: 'clean', condition: {}, link: ['hd-video'], call: ['hd-video'], why: 'nothing limits the path' },
  {
    name: '300 kbit/s cap', condition: { rateBps: 300_000 }, link: ['audio'], call: ['audio', 'sd-video'], quick: true,
    // First written as 'audio' only ("too little to hold 360 lines at 15 fps"); a run at load 22 held 360 lines (at
    // 6 fps) under this cap. Whether the encoder keeps 360 lines at 15 fps in ~230 kbit/s is its quality scaler's
    // choice, not our thresholds'; if it does, SD video does work, so SD is a right verdict too. Never HD.
    why: 'above 0.1 Mbit/s (audio) and below 0.6 (SD) for the data channel; the call\'s video gets ≤ ~230 kbit/s after audio and overhead: 360 lines at 15 fps at best, never 720',
  },
  {
    name: '1 Mbit/s cap', condition: { rateBps: 1_000_000 }, link: ['sd-video'], call: ['sd-video'],
    why: 'below 2.5 Mbit/s (HD) but above 0.6 (SD); the call fits ≥ 360 lines at 15 fps into 1 Mbit/s, not 720p30',
  },
  {
    name: '3 % loss', condition: { loss: 0.03 }, link: ['sd-video', 'audio'], call: ['hd-video', 'sd-video'],
    why: '3 % is the SD limit itself: the measured loss falls either side; for the call NACK/RTX repair video loss and the E-model gives audio MOS ≈ 4.1',
  },
  {
    name: '10 % loss', condition: { loss: 0.1 }, link: ['audio', 'unusable'], call: ['sd-video', 'audio'],
    why: '10 % is the audio limit itself; the call\'s audio MOS ≈ 3.4 (E-model: Ie,eff ≈ 27) is below HD\'s 3.6 and above 3.1',
  },
  { name: '100 ms delay', condition: { addedRttMs: 100 }, link: ['hd-video'], call: ['hd-video'], why: 'RTT ~100 ms is under every limit; MOS ≈ 4.35' },
  {
    name: '300 ms delay', condition: { addedRttMs: 300 }, link: ['sd-video'], call: ['hd-video'],
    why: 'RTT above 300 ms leaves HD (data channel); the call\'s one-way ~170 ms + buffer keeps MOS ≈ 4.2, and delay alone does not lower video',
  },
  {
    name: 'jitter 30 ms', condition: { jitterMs: 30 }, link: ['hd-video', 'sd-video'], call: ['hd-video', 'sd-video'],
    why: 'per-packet delay 0–30 ms on each leg measures as RFC 3550 jitter of ~5–20 ms, under the 30 ms HD limit; the jitter buffer grows',
  },
];

export interface RowMeasurement {
  row: string;
  link: { level: CallLevel | null; uploadBps: number | null; downloadBps: number | null; rttMs: number | null; loss: number | null; jitterMs: number | null; mos: number | null; sent: number };
  /** The call as the first page received it (the other → this page), and its verdict the other way. */
  call: {
    status: CallTest['status'] | null;
    level: CallLevel | null;
    outLevel: CallLevel | null;
    bitrateBps: number | null;
    height: number | null;
    fps: number | null;
    loss: number | null;
    rttMs: number | null;
    jitterMs: number | null;
    jitterBufferMs: number | null;
    mos: number | null;
    limitation: string | null;
    points: number;
  };
  /** The selected pair's local end: 'relay-udp' (TURN over UDP), 'host-udp' (direct), … */
  path: string | null;
}

/** A report's figures for the table and the checks. */
export function measurementOf(row: string, quality: LinkQuality | null | undefined, call: CallTest | null | undefined, path: string | null): RowMeasurement {
  const streams = [quality?.streamIn, quality?.streamOut].filter((s) => s != null);
  const worstLoss = streams.length ? Math.max(...streams.map((s) => s.lossRatio)) : null;
  const jitters = streams.map((s) => s.jitterMs).filter((j): j is number => j !== null);
  const inc = call?.incoming?.summary ?? null;
  return {
    row,
    link: {
      level: quality?.verdict?.level ?? null,
      uploadBps: quality?.upload?.bps ?? null,
      downloadBps: quality?.download?.bps ?? null,
      rttMs: quality?.rttIdle?.medianMs ?? null,
      loss: worstLoss,
      jitterMs: jitters.length ? Math.max(...jitters) : null,
      mos: quality?.verdict?.mos ?? null,
      sent: streams.reduce((a, s) => a + s.sent, 0),
    },
    call: {
      status: call?.status ?? null,
      level: call?.incoming?.verdict.level ?? null,
      outLevel: call?.outgoing?.verdict.level ?? null,
      bitrateBps: inc?.bitrateBps ?? null,
      height: inc?.height ?? null,
      fps: inc?.fps ?? null,
      loss: inc?.lossRatio ?? null,
      rttMs: inc?.rttMs ?? null,
      jitterMs: inc?.jitterMs ?? null,
      jitterBufferMs: inc?.jitterBufferMs ?? null,
      mos: inc?.mos ?? null,
      limitation: inc?.qualityLimitation ?? null,
      points: call?.incoming?.series.length ?? 0,
    },
    path,
  };
}

/**
 * What the row's measured figures must show against what was set, as failures (empty = fine). Tolerances and why:
 *  - rate: a tbf cap is exact, so nothing above it gets through (5 % for the meter's interval edges); SCTP and the
 *    call's estimator should use at least a third of it (both back off on a full queue).
 *  - loss: the data channel's probe stream sees the set loss (one drop point per direction): within 4 standard
 *    deviations of a binomial draw of its packet count, plus 0.5 points for the probes the stream's end loses.
 *    The call's loss is after NACK/RTX repair of the video, so only an upper bound (set + 2 points) and "some".
 *  - delay: the idle RTT includes the set delay: from 90 % of it (timer granularity) to it plus 80 ms (the relay
 *    hop and a loaded two-core machine's scheduling).
 *    Under a rate cap the tbf queues (≤ 100 ms each, two per direction) add up to 200 ms while the call fills them,
 *    and their tail drops are real loss of that link: loss is then only bounded (≤ 5 %).
 *  - clean: RTT under 80 ms, loss within the binomial bound of 0.
 *  - a starved page (starvation()): only what is counted or measured by the browser itself is judged.
 */
export function figureFailures(row: LabRow, m: RowMeasurement, starved: string | null = starvation(m, row)): string[] {
  const out: string[] = [];
  const c = row.condition;
  // A starved page still counts packets and its browser still caps nothing above the link's rate; what its late
  // timers measure (data-channel RTT and jitter, rates' lower bounds) is not the link's.
  const timed = starved === null;
  const mb = (v: number | null) => (v === null ? 'null' : `${(v / 1e6).toFixed(2)} Mbit/s`);
  const path = viaRelay(c) ? 'relay-udp' : 'host-udp';
  if (m.path !== path) out.push(`the media took ${m.path ?? 'no path'}, not ${path}${viaRelay(c) ? ' (through the forwarder)' : ''}`);
  if (c.rateBps) {
    for (const [what, v] of [['link upload', m.link.uploadBps], ['link download', m.link.downloadBps], ['call bit rate', m.call.bitrateBps]] as const) {
      if (v === null || v > c.rateBps * 1.05 || (timed && v < c.rateBps / 3)) out.push(`${what} ${mb(v)} is not within ${mb(c.rateBps / 3)}–${mb(c.rateBps * 1.05)}`);
    }
  }
  const setLoss = c.loss ?? 0;
  // Starved, the stream's loss is only a lower bound: page code counts arrivals up to a grace time after the
  // other end's stream-end, and a page seconds late loses count (seen: 33.5 % under the 300 kbit/s cap at load 44,
  // where three runs read 0 %).
  if (m.link.loss === null) out.push('the link test measured no loss figure');
  else if (c.rateBps) {
    // A cap drops what overflows its queue: real loss of that link, so only bounded (the stream is paced, so little).
    if (timed && m.link.loss > setLoss + 0.05) out.push(`link loss ${(m.link.loss * 100).toFixed(1)} % is above ${(setLoss * 100).toFixed(0)} + 5 % under a rate cap`);
  } else {
    const n = Math.max(1, m.link.sent / 2);
    const tol = 4 * Math.sqrt((Math.max(setLoss, 0.002) * (1 - setLoss)) / n) + 0.005;
    if (m.link.loss < setLoss - tol || (timed && m.link.loss > setLoss + tol)) out.push(`link loss ${(m.link.loss * 100).toFixed(1)} % is not ${(setLoss * 100).toFixed(1)} ± ${(tol * 100).toFixed(1)} %`);
  }
  if (timed) {
    const callLossMax = setLoss + (c.rateBps ? 0.05 : 0.02);
    if (m.call.loss === null || m.call.loss > callLossMax) out.push(`call loss ${m.call.loss} is above ${(callLossMax * 100).toFixed(0)} %`);
    if (setLoss >= 0.03 && (m.call.loss ?? 0) === 0) out.push('the call saw no loss at all');
  }
  const setRtt = c.addedRttMs ?? 0;
  const rtts: [string, number | null][] = [['call RTT (ICE, measured by the browser)', m.call.rttMs]];
  if (timed) rtts.push(['link idle RTT', m.link.rttMs]);
  // Under a cap the call's own video fills the tbf queues (up to 100 ms each, two per direction): RTT grows by that.
  // The forwarder's jitter is uniform in [0, J) on each of the four legs a round trip crosses: 2·J on average
  // (the first bound left it out: 89 and 101 ms measured at J = 30 on an idle machine).
  const rttMax = setRtt + 80 + (c.rateBps ? 200 : 0) + 2 * (c.jitterMs ?? 0);
  for (const [what, v] of rtts) {
    // Starved, even the browser's own ICE checks answer late: then the set delay is only a lower bound.
    if (v === null || v < setRtt * 0.9 || (timed && v > rttMax)) out.push(`${what} ${v} ms is not within ${setRtt * 0.9}–${timed ? rttMax : '∞'} ms`);
  }
  if (c.jitterMs && timed) {
    for (const [what, v] of [['link jitter', m.link.jitterMs], ['call jitter', m.call.jitterMs]] as const) {
      if (v === null || v < 2 || v > c.jitterMs) out.push(`${what} ${v} ms is not within 2–${c.jitterMs} ms`);
    }
  }
  return out;
}

/** Above this plus 6 × the audio's jitter, the receiver's audio buffer is the machine's, not the path's. */
export const JITTER_BUFFER_STARVED_MS = 150;

/**
 * Why this row's timing cannot be judged, or null. On a machine whose two cores are shared with far more work than
 * they can do, a page's event loop runs seconds late: its data-channel RTT (echoed by page code) reads far above the
 * ICE RTT the browser measures natively on the same relay path, and the call's once-a-second polls come seconds
 * apart. Then the verdicts say "this computer", not "this link", and are reported as not judged instead of failing.
 */
export function starvation(m: RowMeasurement, row?: LabRow): string | null {
  if (m.link.rttMs !== null && m.call.rttMs !== null && m.link.rttMs - m.call.rttMs > 200) {
    return `page event loop starved: data-channel RTT ${m.link.rttMs.toFixed(0)} ms vs ICE RTT ${m.call.rttMs.toFixed(0)} ms on the same path`;
  }
  if (m.call.status === 'done' && m.call.points < 6) return `call stats polls ran late: ${m.call.points} points in a 10 s call`;
  // NetEq sizes the audio buffer to the arrival spikes it sees; on a link that adds no jitter, spikes far beyond
  // the RFC 3550 jitter the same browser measured are its own threads running late (seen: 433 ms at 15 ms jitter on
  // a clean link at load 10, 563 ms at load 32). The E-model then counts it as delay, rightly for this machine.
  const { jitterBufferMs: buf, jitterMs: jit } = m.call;
  const setJitter = row?.condition.jitterMs ?? 0;
  if (buf !== null && buf > JITTER_BUFFER_STARVED_MS + 6 * Math.max(jit ?? 0, setJitter)) {
    return `audio jitter buffer ${buf.toFixed(0)} ms on a path whose audio jitter was ${jit ?? '–'} ms (this machine's threads ran late)`;
  }
  return null;
}

const RANK: Record<CallLevel, number> = { 'hd-video': 3, 'sd-video': 2, audio: 1, unusable: 0 };

/** The verdicts against the row's expectation. The call may land lower than expected only when its sender named a
 *  CPU limit (the lab judges the link; a starved encoder is this machine, and the report says so).
 *  `upperOnly` (a starved run): a busy machine only ever makes a link look worse, so a verdict above the row's best
 *  expected level is still a wrong verdict, while one below it says nothing. */
export function verdictFailures(row: LabRow, m: RowMeasurement, upperOnly = false): string[] {
  const out: string[] = [];
  const best = (levels: readonly CallLevel[]) => Math.max(...levels.map((l) => RANK[l]));
  if (upperOnly) {
    if (m.link.level && RANK[m.link.level] > best(row.link)) out.push(`data-channel verdict ${m.link.level} is above ${row.link.join(' or ')}`);
    if (m.call.level && RANK[m.call.level] > best(row.call)) out.push(`call verdict ${m.call.level} is above ${row.call.join(' or ')}`);
    if (m.call.outLevel && RANK[m.call.outLevel] > best(row.call)) out.push(`call verdict the other way ${m.call.outLevel} is above ${row.call.join(' or ')}`);
    return out;
  }
  if (!m.link.level || !row.link.includes(m.link.level)) out.push(`data-channel verdict ${m.link.level}, expected ${row.link.join(' or ')}`);
  const rank = RANK;
  const level = m.call.level;
  if (!level) out.push('no call verdict');
  else if (!row.call.includes(level)) {
    const lower = rank[level] < Math.min(...row.call.map((l) => rank[l]));
    if (!(lower && m.call.limitation === 'cpu')) out.push(`call verdict ${level}, expected ${row.call.join(' or ')}${lower ? ' (lower, and no CPU limit named)' : ''}`);
  }
  return out;
}

const pct = (v: number | null) => (v === null ? '–' : `${(v * 100).toFixed(1)} %`);
const ms = (v: number | null) => (v === null ? '–' : `${v.toFixed(0)} ms`);
const mbit = (v: number | null) => (v === null ? '–' : (v / 1e6).toFixed(2));

export function conditionText(c: LinkCondition): string {
  const parts: string[] = [];
  if (c.rateBps) parts.push(`rate ${c.rateBps / 1e6} Mbit/s each way`);
  if (c.loss) parts.push(`${c.loss * 100} % random loss each way`);
  if (c.addedRttMs) parts.push(`+${c.addedRttMs} ms RTT`);
  if (c.jitterMs) parts.push(`0–${c.jitterMs} ms per leg`);
  return parts.join(', ') || 'none';
}

/** The docs table: condition → measured figures → verdicts (expected in brackets). */
export function labTable(rows: readonly LabRow[], results: readonly RowMeasurement[]): string {
  const lines = [
    '| row | set | data channel: up / down Mbit/s, RTT, loss, jitter, MOS | verdict (expected) | call: Mbit/s, lines @ fps, loss, RTT, jitter, buffer, MOS, limit | verdict (expected) | judged |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const r of results) {
    const row = rows.find((x) => x.name === r.row)!;
    const l = r.link;
    const c = r.call;
    lines.push(
      `| ${r.row} | ${conditionText(row.condition)} | ${mbit(l.uploadBps)} / ${mbit(l.downloadBps)}, ${ms(l.rttMs)}, ${pct(l.loss)}, ${ms(l.jitterMs)}, ${l.mos ?? '–'} | ${l.level} (${row.link.join('/')}) | ` +
        `${mbit(c.bitrateBps)}, ${c.height ?? '–'} @ ${c.fps?.toFixed(0) ?? '–'}, ${pct(c.loss)}, ${ms(c.rttMs)}, ${ms(c.jitterMs)}, ${c.jitterBufferMs === null ? 'not measured' : ms(c.jitterBufferMs)}, ${c.mos ?? '–'}, ${c.limitation ?? '–'} | ${c.level} (${row.call.join('/')}) | ${judgedText(row, r)} |`,
    );
  }
  return lines.join('\n');
}

function judgedText(row: LabRow, m: RowMeasurement): string {
  const starved = starvation(m, row);
  const failed = [...figureFailures(row, m, starved), ...verdictFailures(row, m, starved !== null)];
  if (failed.length) return `FAILED: ${failed.join('; ')}`;
  return starved ? `from above only (${starved})` : 'yes';
}
