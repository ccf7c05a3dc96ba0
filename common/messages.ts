// Signaling messages shared by the page (web/) and the relay (signal/).
// One discriminated union per direction, keyed on `type`, checked at runtime on arrival with zod.
import { z } from 'zod';
import { parseBoundedJson } from './bounded-json';
import type { IceRegionInfo, IceRegionServers } from './ice-regions';
import { diagnosisWireSchema } from './nat/diagnosis-schema';

/** Version of the signaling protocol. 2 added lobbies (rooms of up to LOBBY_CAPACITY) and directed messages
 *  (`to`); a join that names another version is refused with 'unsupported-version'. A join without a version is
 *  read as version 1, which v2 still serves in two-person rooms (where `to` may be left out). */
export const PROTOCOL_VERSION = 2;
/** Largest signaling message either side accepts, in bytes (an SDP with many candidates fits easily). */
export const MAX_MESSAGE_BYTES = 64 * 1024;
/** Deepest nesting either side accepts (the deepest real message, a peer-info diagnosis, is 7 levels). */
export const MAX_MESSAGE_DEPTH = 16;
/** Room ids: 22+ URL-safe base64 characters = at least 128 bits of randomness. */
export const ROOM_ID_PATTERN = /^[A-Za-z0-9_-]{22,64}$/;
/** A test room: two browsers (the default). */
export const ROOM_CAPACITY = 2;
/** A lobby ("Test a group"): up to 8 browsers, every pair connected (a full mesh of 28 links). */
export const LOBBY_CAPACITY = 8;
/** Versions a join may name: 1 (or none) for two-person rooms only, PROTOCOL_VERSION for rooms and lobbies. */
export const SUPPORTED_PROTOCOL_VERSIONS = [1, PROTOCOL_VERSION] as const;
/** A page's reconnect key (join.clientId): a random secret made once per page load, never relayed to anyone.
 *  At least 16 characters (96 bits) so it cannot be guessed by another member of the room. */
export const CLIENT_ID_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;
/** Peer ids as the relay hands them out. */
export const PEER_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
/** Longest display name a peer may give itself in a lobby. */
export const MAX_PEER_NAME = 40;

export const ErrorCode = {
  malformed: 'malformed',
  tooLarge: 'too-large',
  roomFull: 'room-full',
  badRoomId: 'bad-room-id',
  notInRoom: 'not-in-room',
  alreadyInRoom: 'already-in-room',
  noPeer: 'no-peer',
  rateLimited: 'rate-limited',
  /** A join naming a protocol version this server does not speak (the page is older or newer than the server). */
  unsupportedVersion: 'unsupported-version',
  /** A join with `lobby: true` into a two-person room, or without it into a lobby. */
  roomKindMismatch: 'room-kind-mismatch',
  /** A directed message (`to`) naming a peer that is not in the sender's room. */
  unknownPeer: 'unknown-peer',
  /** Another connection joined with this connection's clientId and took over its seat (and peer id) in the room. */
  replaced: 'replaced',
  /** Nested deeper than MAX_MESSAGE_DEPTH. */
  tooDeep: 'too-deep',
  /** This address already holds the most signaling connections the server allows (the socket is then closed). */
  tooManyConnections: 'too-many-connections',
  /** Something went wrong on the server while handling this message or request (a WebSocket is then closed). */
  serverError: 'server-error',
  /** This signaling node is shutting down (SIGTERM drain) and takes no new rooms; the socket is closed next (1012) and the page reconnects, through the load balancer to another node. */
  draining: 'draining',
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
  /** 1012 Service Restart: a draining node refused a new room (reason 'draining'); the page reconnects. */
  serviceRestart: 1012,
} as const;

const roomId = z.string().regex(ROOM_ID_PATTERN, 'room id must be 22-64 URL-safe characters');
const peerId = z.string().regex(PEER_ID_PATTERN, 'peer id must be 1-64 URL-safe characters');
/** Recipient of a directed message: required in a lobby; in a two-person room it may be left out (the other peer). */
const to = peerId.optional();
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

/** Path kinds as on the wire (common/report.ts PathKind). */
export const pathKindSchema = z.enum(['direct-lan', 'direct-public', 'p2p-nat', 'relay-udp', 'relay-tcp', 'relay-tls', 'none']);

/**
 * One peer's own view of its link to another peer of a lobby, broadcast to the whole lobby so that every page can
 * fill the N×N matrix (a page only has connections for the pairs it is part of).
 */
export const linkSummarySchema = z
  .object({
    /** connecting: ICE still checking; connected: a pair is selected; failed: ICE failed; closed: the test ended. */
    state: z.enum(['connecting', 'connected', 'failed', 'closed']),
    /** The settled path as this peer classifies it (null until a pair is selected). */
    path: pathKindSchema.nullable(),
    /** Latest round-trip time over the data channel, ms. */
    rttMs: z.number().min(0).max(600_000).nullable(),
    /** Jitter, ms, and loss, percent, from the continuous light measurement (null until measured). */
    jitterMs: z.number().min(0).max(600_000).nullable(),
    lossPct: z.number().min(0).max(100).nullable(),
    /** ms since this peer's lobby session started, when the state last changed. */
    at: z.number().min(0).max(86_400_000),
  })
  .strict();
export type LinkSummary = z.infer<typeof linkSummarySchema>;
/**
 * What a peer shares about itself; each feature has its own key so payloads merge. Unknown keys are refused;
 * the diagnosis keeps only its measured facts (extra keys are dropped, the receiver rebuilds the rest).
 */
export const peerInfoSchema = z
  .object({
    relayOnly: z.boolean().optional(),
    selectedPair: selectedPairInfoSchema.optional(),
    diagnosis: diagnosisWireSchema.optional(),
    /** Lobby: the name this peer shows (editable; defaults to its OS/browser). */
    name: z.string().trim().min(1).max(MAX_PEER_NAME).optional(),
    /** Lobby: this peer's view of its link to each other peer, keyed by their peer id (at most LOBBY_CAPACITY-1). */
    links: z
      .record(peerId, linkSummarySchema)
      .refine((r) => Object.keys(r).length < LOBBY_CAPACITY, `at most ${LOBBY_CAPACITY - 1} links`)
      .optional(),
  })
  .strict();
export type PeerInfo = z.infer<typeof peerInfoSchema>;
const peerInfo = peerInfoSchema;

export const clientMessageSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('join'),
    roomId,
    /** Reconnect key: a join naming the clientId of a member of this room takes over its seat and peer id. */
    clientId: z.string().regex(CLIENT_ID_PATTERN, 'clientId must be 16-64 URL-safe characters').optional(),
    /** Absent: 1. */
    version: z.number().int().min(1).max(1000).optional(),
    /** Join (or create) a lobby of up to LOBBY_CAPACITY rather than a two-person room. */
    lobby: z.boolean().optional(),
  }),
  z.object({ type: z.literal('leave') }),
  z.object({ type: z.literal('description'), to, description: sdp }),
  z.object({ type: z.literal('candidate'), to, candidate: candidate.nullable() }),
  /** Without `to`: to every other peer of the room (a lobby's name and link summaries go to all). */
  z.object({ type: z.literal('peer-info'), to, info: peerInfo }),
  z.object({ type: z.literal('ping'), ts: z.number() }),
]);
export type ClientMessage = z.infer<typeof clientMessageSchema>;

export const serverMessageSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('joined'),
    roomId,
    peerId: z.string(),
    /** The peers already in the room, in join order. The newcomer makes the offer to each of them. */
    peers: z.array(z.string()),
    polite: z.boolean(),
    /** Present from version 2: whether this is a lobby, and how many peers the room holds. */
    lobby: z.boolean().optional(),
    capacity: z.number().int().min(2).max(LOBBY_CAPACITY).optional(),
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
  /** ICE_REGIONS: each region's servers with its own credential (absent without regions). */
  regions?: IceRegionServers[];
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
  /** ICE_REGIONS: the regions the page ranks by round trip, in configured order (absent without regions). */
  regions?: IceRegionInfo[];
}
