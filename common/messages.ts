// Signaling messages shared by the page (web/) and the relay (signal/).
// One discriminated union per direction, keyed on `type`, checked at runtime on arrival with zod.
import { z } from 'zod';
import { parseBoundedJson } from './bounded-json';
import { diagnosisWireSchema } from './nat/diagnosis-schema';

export const PROTOCOL_VERSION = 1;
/** Largest signaling message either side accepts, in bytes (an SDP with many candidates fits easily). */
export const MAX_MESSAGE_BYTES = 64 * 1024;
/** Deepest nesting either side accepts (the deepest real message, a peer-info diagnosis, is 7 levels). */
export const MAX_MESSAGE_DEPTH = 16;
/** Room ids: 22+ URL-safe base64 characters = at least 128 bits of randomness. */
export const ROOM_ID_PATTERN = /^[A-Za-z0-9_-]{22,64}$/;
export const ROOM_CAPACITY = 2;

export const ErrorCode = {
  malformed: 'malformed',
  tooLarge: 'too-large',
  roomFull: 'room-full',
  badRoomId: 'bad-room-id',
  notInRoom: 'not-in-room',
  alreadyInRoom: 'already-in-room',
  noPeer: 'no-peer',
  rateLimited: 'rate-limited',
  /** Nested deeper than MAX_MESSAGE_DEPTH. */
  tooDeep: 'too-deep',
  /** This address already holds the most signaling connections the server allows (the socket is then closed). */
  tooManyConnections: 'too-many-connections',
  /** Something went wrong on the server while handling this message or request (a WebSocket is then closed). */
  serverError: 'server-error',
  // HTTP API answers ({ code, error } bodies, see ApiError):
  /** 400: the request could not be read (e.g. an unparsable target). */
  badRequest: 'bad-request',
  /** 404: no such API or path. */
  notFound: 'not-found',
  /** 405: only GET/HEAD here. */
  methodNotAllowed: 'method-not-allowed',
  /** 403: a /ws upgrade from a page on another origin (not this server's page, not in ALLOWED_ORIGINS). */
  originNotAllowed: 'origin-not-allowed',
  /** 401: /metrics without the right bearer token (METRICS_TOKEN). */
  unauthorized: 'unauthorized',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** WebSocket close codes the relay uses (RFC 6455 §7.4); the close reason is the ErrorCode. */
export const CloseCode = {
  /** 1011: the server failed on a message (reason 'server-error'). */
  serverError: 1011,
  /** 1013 Try Again Later: refused by the per-client connection cap (reason 'too-many-connections'). */
  tryAgainLater: 1013,
} as const;

const roomId = z.string().regex(ROOM_ID_PATTERN, 'room id must be 22-64 URL-safe characters');
const sdp = z.object({ type: z.enum(['offer', 'answer']), sdp: z.string().max(MAX_MESSAGE_BYTES) });
const candidate = z.object({
  candidate: z.string().max(2048),
  sdpMid: z.string().max(64).nullable().optional(),
  sdpMLineIndex: z.number().int().min(0).max(255).nullable().optional(),
  usernameFragment: z.string().max(256).nullable().optional(),
});
/** A peer's own end of the selected candidate pair (web/peer/peer-info.ts). */
export const selectedPairInfoSchema = z
  .object({
    local: z
      .object({
        type: z.enum(['host', 'srflx', 'prflx', 'relay']),
        address: z.string().max(100).nullish(),
        port: z.number().int().min(0).max(65535).nullish(),
        relayProtocol: z.string().max(16).nullish(),
        protocol: z.string().max(16),
      })
      .strict(),
    relayOnly: z.boolean(),
  })
  .strict();
export type SelectedPairInfo = z.infer<typeof selectedPairInfoSchema>;
/**
 * What a peer shares about itself; each feature has its own key so payloads merge. Unknown keys are refused;
 * the diagnosis keeps only its measured facts (extra keys are dropped, the receiver rebuilds the rest).
 */
export const peerInfoSchema = z
  .object({
    relayOnly: z.boolean().optional(),
    selectedPair: selectedPairInfoSchema.optional(),
    diagnosis: diagnosisWireSchema.optional(),
  })
  .strict();
export type PeerInfo = z.infer<typeof peerInfoSchema>;
const peerInfo = peerInfoSchema;

export const clientMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('join'), roomId, clientId: z.string().max(64).optional() }),
  z.object({ type: z.literal('leave') }),
  z.object({ type: z.literal('description'), description: sdp }),
  z.object({ type: z.literal('candidate'), candidate: candidate.nullable() }),
  z.object({ type: z.literal('peer-info'), info: peerInfo }),
  z.object({ type: z.literal('ping'), ts: z.number() }),
]);
export type ClientMessage = z.infer<typeof clientMessageSchema>;

export const serverMessageSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('joined'),
    roomId,
    peerId: z.string(),
    /** The peer already in the room, if any. The newcomer makes the offer. */
    peers: z.array(z.string()),
    polite: z.boolean(),
  }),
  z.object({ type: z.literal('peer-joined'), peerId: z.string() }),
  z.object({ type: z.literal('peer-left'), peerId: z.string(), reason: z.string() }),
  z.object({ type: z.literal('description'), from: z.string(), description: sdp }),
  z.object({ type: z.literal('candidate'), from: z.string(), candidate: candidate.nullable() }),
  z.object({ type: z.literal('peer-info'), from: z.string(), info: peerInfo }),
  z.object({ type: z.literal('pong'), ts: z.number() }),
  z.object({ type: z.literal('error'), code: z.string().max(64), message: z.string().max(2000) }),
]);
export type ServerMessage = z.infer<typeof serverMessageSchema>;

export type ParseResult<T> = { ok: true; message: T } | { ok: false; code: ErrorCode; error: string };

function parseWith<T>(schema: z.ZodType<T>, raw: string): ParseResult<T> {
  // Size and depth are checked before JSON.parse, so nothing later (the schema, JSON.stringify when relaying)
  // can overflow the stack on a deeply nested message.
  const json = parseBoundedJson(raw, { maxBytes: MAX_MESSAGE_BYTES, maxDepth: MAX_MESSAGE_DEPTH });
  if (!json.ok) {
    if (json.code === 'too-large') return { ok: false, code: ErrorCode.tooLarge, error: `message larger than ${MAX_MESSAGE_BYTES} bytes` };
    if (json.code === 'too-deep') return { ok: false, code: ErrorCode.tooDeep, error: `message nested deeper than ${MAX_MESSAGE_DEPTH} levels` };
    return { ok: false, code: ErrorCode.malformed, error: 'message is not valid JSON' };
  }
  const result = schema.safeParse(json.value);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue && issue.path.length ? ` at ${issue.path.join('.')}` : '';
    return { ok: false, code: ErrorCode.malformed, error: `invalid message${where}: ${issue?.message ?? 'unknown'}` };
  }
  return { ok: true, message: result.data };
}

export const parseClientMessage = (raw: string) => parseWith(clientMessageSchema, raw);
export const parseServerMessage = (raw: string) => parseWith(serverMessageSchema, raw);

/**
 * Body of every HTTP error answer from the server's own routes. 429 answers (code 'rate-limited') also carry
 * retryAfter (seconds, the same as the Retry-After header).
 */
export interface ApiError {
  code: ErrorCode;
  error: string;
  retryAfter?: number;
}

/** `GET /api/ice-servers` response. */
export interface IceServersResponse {
  iceServers: { urls: string[]; username?: string; credential?: string }[];
  /** Seconds the TURN credential stays valid. */
  ttl: number;
}

/** `GET /api/config` response: what the page needs to know about the server it talks to. */
export interface ServerInfo {
  version: string;
  turn: {
    enabled: boolean;
    /** Hosts/ports of the bundled STUN server for RFC 5780 style tests. */
    primary: { host: string; port: number } | null;
    alternatePort: number | null;
    alternateHost: string | null;
    tcp: boolean;
    tls: boolean;
  };
}
