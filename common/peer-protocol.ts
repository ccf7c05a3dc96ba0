// The peer protocol: what two p2pcheck pages (or a page and a future headless Node peer) say to each other over
// their data channels, once the signaling server (common/messages.ts) has connected them. One versioned module,
// both ends import it; every text message is a discriminated union keyed on `t`, checked with zod on arrival.
// Unknown or malformed messages parse to null, so a newer or broken peer cannot break this one; a peer of another
// version says so at channel open (`hello`), so the report can tell the user instead of misparsing silently.
//
// Channels of one connection (negotiated ids, web/peer/peer-driver.ts and web/quality/link-channels.ts):
//   0 'p2pcheck'            main: ChannelMessage (hello, ping/pong, the relay check's rc-*, the call test's call-*)
//   1 'p2pcheck-lt-control' link test: ControlMessage (its binary bulk/probe frames: web/quality/link-test-protocol.ts)
//  10 'p2pcheck-lobby'       lobby only: LobbyQueueMessage (one heavy test in the whole lobby at a time)
// and the relay check's own relay-only connection, whose channel carries ping/pong and rc-burst-*.
import { z } from 'zod';
import { parseBoundedJson } from './bounded-json';
import { callDirectionSchema, callSenderSchema } from './call-report';

/** Version of the peer protocol. Both sides send it in `hello` when the main channel opens. */
export const PEER_PROTOCOL_VERSION = 1;

/** Deepest nesting of any peer message (a link-test result: result → upload → series → item). */
const MAX_DEPTH = 8;

/** What the page says when the other side speaks another version (shown in the report's error list). */
export function peerVersionMismatchText(theirs: number): string {
  return `the other peer's page speaks peer protocol version ${theirs}, this page ${PEER_PROTOCOL_VERSION} (one of the pages is older): messages it sends may be ignored, so some results can be missing — reload both pages`;
}

function parseText<T>(schema: z.ZodType<T>, data: unknown, maxBytes: number): T | null {
  if (typeof data !== 'string' || data.length > maxBytes) return null;
  const json = parseBoundedJson(data, { maxBytes, maxDepth: MAX_DEPTH });
  if (!json.ok) return null;
  const r = schema.safeParse(json.value);
  return r.success ? r.data : null;
}

// --- main channel ------------------------------------------------------------------------------------------

/** An SDP of a data-channel-only offer is ~1 KB; candidates are trickled separately. */
export const MAX_CHANNEL_TEXT = 16 * 1024;
/** The call test's audio+video renegotiation: Chromium lists many video codecs (measured ~9 KB); room to spare. */
export const MAX_CALL_SDP = 48 * 1024;
/** Largest text on the main channel (a call-offer). */
const MAX_MAIN_TEXT = MAX_CALL_SDP + 1024;

const finite = z.number().refine(Number.isFinite, 'not a finite number');
const nonNegative = finite.refine((n) => n >= 0, 'negative');
/** Absent and null read as null. */
const orNull = <T extends z.ZodType>(s: T) => s.nullish().transform((v) => v ?? null);

export const relayCheckCandidateSchema = z.object({
  candidate: z.string().max(2048),
  sdpMid: orNull(z.string().max(64)),
  sdpMLineIndex: orNull(finite),
});
export type RelayCheckCandidate = z.infer<typeof relayCheckCandidateSchema>;

export const relayCheckVerdictSchema = z.object({
  state: z.enum(['works', 'failed', 'skipped']),
  rttMs: nonNegative.nullable(),
  /** Starter → responder over the relay-only connection, bits/s. */
  throughputBps: orNull(nonNegative),
  reason: z.string().max(1000).nullable(),
});
export type RelayCheckVerdict = z.input<typeof relayCheckVerdictSchema>;

export const channelMessageSchema = z.discriminatedUnion('t', [
  /** Sent by both sides when the main channel opens. */
  z.object({ t: z.literal('hello'), v: z.number().int().min(1).max(1_000_000) }),
  /** RTT samples (web/peer/rtt-pinger.ts); also on the relay check's own channel and the lobby's ping channel. */
  z.object({ t: z.literal('ping'), seq: finite, ts: finite }),
  z.object({ t: z.literal('pong'), seq: finite, ts: finite }),
  // The relay fallback check (web/peer/relay-check.ts): its relay-only connection is negotiated over the main
  // channel, so it needs no signaling server; rc-result carries the starter's verdict.
  z.object({ t: z.literal('rc-offer'), sdp: z.string().max(MAX_CHANNEL_TEXT) }),
  z.object({ t: z.literal('rc-answer'), sdp: z.string().max(MAX_CHANNEL_TEXT) }),
  z.object({ t: z.literal('rc-candidate'), c: relayCheckCandidateSchema.nullable() }),
  z.object({ t: z.literal('rc-result'), verdict: relayCheckVerdictSchema }),
  // On the relay-only channel itself: the burst is over / what arrived of it.
  z.object({ t: z.literal('rc-burst-end') }),
  z.object({ t: z.literal('rc-burst-result'), bytes: nonNegative, ms: nonNegative }),
  // The call test (web/call/call-session.ts): the leader asks, the follower readies its synthetic media, the leader
  // renegotiates the same connection over this channel to add audio and video; each side then sends what it
  // received (its incoming direction, which is the other's outgoing one). call-skip: either side ends it.
  z.object({ t: z.literal('call-start'), durationMs: z.number().int().min(1000).max(30_000) }),
  z.object({ t: z.literal('call-ready') }),
  z.object({ t: z.literal('call-offer'), sdp: z.string().max(MAX_CALL_SDP) }),
  z.object({ t: z.literal('call-answer'), sdp: z.string().max(MAX_CALL_SDP) }),
  z.object({ t: z.literal('call-result'), received: callDirectionSchema.nullable(), sent: callSenderSchema }),
  z.object({ t: z.literal('call-skip'), reason: z.string().max(500) }),
]);
/** What a sender writes (optional fields may be left out). */
export type ChannelMessage = z.input<typeof channelMessageSchema>;
/** What a receiver reads (absent optional fields filled in as null). */
export type ParsedChannelMessage = z.output<typeof channelMessageSchema>;

export const parseChannelMessage = (data: unknown): ParsedChannelMessage | null => parseText(channelMessageSchema, data, MAX_MAIN_TEXT);
export const encodeChannelMessage = (m: ChannelMessage) => JSON.stringify(m satisfies ChannelMessage);

// --- link test control channel -----------------------------------------------------------------------------

/** The link test's hello carries the peer protocol version. */
export const LINK_TEST_VERSION = PEER_PROTOCOL_VERSION;
export const MAX_CONTROL_TEXT = 256 * 1024;

export const linkPlanSchema = z.object({
  /** Probes on the idle link before any load, ms. */
  idleMs: z.number().int().min(200).max(10_000),
  /** Bulk transfer per direction, ms. */
  bulkMs: z.number().int().min(500).max(30_000),
  /** Paced unreliable stream (both directions at once), ms. */
  streamMs: z.number().int().min(500).max(30_000),
  probeIntervalMs: z.number().int().min(10).max(1000),
  streamPps: z.number().int().min(10).max(1000),
  streamBytes: z.number().int().min(13).max(1200),
  /** Bulk message size; 16 KiB is the largest every browser pair exchanges safely. */
  chunkBytes: z.number().int().min(1024).max(65_536),
});
export type LinkPlan = z.infer<typeof linkPlanSchema>;

const series = z.array(z.object({ at: z.number(), bps: z.number() })).max(1000);
const streamResult = z.object({
  sent: z.number().int().min(0),
  received: z.number().int().min(0),
  lossRatio: z.number().min(0).max(1),
  jitterMs: z.number().min(0).nullable(),
  reordered: z.number().int().min(0),
});
export const throughputResultSchema = z.object({ bps: z.number().min(0).nullable(), bytes: z.number().min(0), durationMs: z.number().min(0), series });

// The offerer leads: it runs the schedule and tells the other side what to do; the follower only reacts.
export const controlMessageSchema = z.discriminatedUnion('t', [
  z.object({ t: z.literal('hello'), v: z.number().int(), plan: linkPlanSchema }),
  z.object({ t: z.literal('hello-ack'), v: z.number().int() }),
  /** Leader → follower: which phase runs now (for the follower's progress bar). */
  z.object({ t: z.literal('phase'), phase: z.enum(['idle-rtt', 'upload', 'download', 'stream']) }),
  /** Leader → follower: send bulk data for durationMs. */
  z.object({ t: z.literal('send-bulk'), durationMs: z.number().int().min(0).max(30_000) }),
  /** Receiver → sender: what arrived in a bulk phase. */
  z.object({ t: z.literal('bulk-result'), result: throughputResultSchema }),
  /** Leader → follower: both sides stream now. */
  z.object({ t: z.literal('stream-start') }),
  /** Each side → the other when it has sent its last stream packet. */
  z.object({ t: z.literal('stream-end'), sent: z.number().int().min(0) }),
  /** Follower → leader: what the follower received of the leader's stream. */
  z.object({ t: z.literal('stream-result'), result: streamResult }),
  /** Leader → follower: the finished measurement, from the leader's point of view (a LinkQuality; the follower
   *  checks it with the report's linkQualitySchema, so a result it cannot read ends its test with a clear reason). */
  z.object({ t: z.literal('result'), quality: z.record(z.string(), z.unknown()) }),
  z.object({ t: z.literal('abort'), reason: z.string().max(500) }),
]);
export type ControlMessage = z.infer<typeof controlMessageSchema>;

export const parseControl = (data: unknown): ControlMessage | null => parseText(controlMessageSchema, data, MAX_CONTROL_TEXT);
export const encodeControl = (m: ControlMessage) => JSON.stringify(m satisfies ControlMessage);

// --- lobby queue channel ------------------------------------------------------------------------------------

/** Version of the lobby queue messages, said in `lq-hello` when the channel opens. A peer that sends no hello (a
 *  page from before the queue) or another version takes no part: nobody waits for its grant. */
export const LOBBY_QUEUE_VERSION = 1;
/** The lobby channel's negotiated id and label (web/lobby/lobby-queue-driver.ts). */
export const LOBBY_CHANNEL = { label: 'p2pcheck-lobby', init: { negotiated: true, id: 10 } } as const;
const MAX_LOBBY_TEXT = 1024;

/** What a lobby queue job does on one link: the throughput test, the relay fallback check, or the call test. */
export const lobbyJobKindSchema = z.enum(['link-test', 'relay-check', 'call']);
export type LobbyJobKind = z.infer<typeof lobbyJobKindSchema>;

// Ricart–Agrawala mutual exclusion (CACM 24(1), 1981) over the full mesh: a page that wants to run a test asks
// every other page (`lq-request` with its Lamport timestamp) and starts once all have granted; a page that runs a
// test, or asked earlier, holds its grant back until it is done.
export const lobbyQueueMessageSchema = z.discriminatedUnion('t', [
  z.object({ t: z.literal('lq-hello'), v: z.number().int().min(1).max(1_000_000) }),
  z.object({ t: z.literal('lq-request'), ts: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER) }),
  z.object({ t: z.literal('lq-grant'), ts: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER) }),
  /** To the page that leads this link (its offerer): please queue this job of our link. */
  z.object({ t: z.literal('lq-ask'), job: lobbyJobKindSchema }),
  /** To every page: queue the throughput tests of every link you lead (the lobby-wide sweep). */
  z.object({ t: z.literal('lq-sweep') }),
]);
export type LobbyQueueMessage = z.infer<typeof lobbyQueueMessageSchema>;

export const parseLobbyQueueMessage = (data: unknown): LobbyQueueMessage | null => parseText(lobbyQueueMessageSchema, data, MAX_LOBBY_TEXT);
export const encodeLobbyQueueMessage = (m: LobbyQueueMessage) => JSON.stringify(m satisfies LobbyQueueMessage);
