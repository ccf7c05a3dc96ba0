// Signaling messages shared by the page (web/) and the relay (signal/).
// One discriminated union per direction, keyed on `type`, checked at runtime on arrival with zod.
import { z } from 'zod';

export const PROTOCOL_VERSION = 1;
/** Largest signaling message either side accepts, in bytes (an SDP with many candidates fits easily). */
export const MAX_MESSAGE_BYTES = 64 * 1024;
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
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const roomId = z.string().regex(ROOM_ID_PATTERN, 'room id must be 22-64 URL-safe characters');
const sdp = z.object({ type: z.enum(['offer', 'answer']), sdp: z.string().max(MAX_MESSAGE_BYTES) });
const candidate = z.object({
  candidate: z.string().max(2048),
  sdpMid: z.string().max(64).nullable().optional(),
  sdpMLineIndex: z.number().int().min(0).max(255).nullable().optional(),
  usernameFragment: z.string().max(256).nullable().optional(),
});
/** Free-form JSON a peer shares about itself (its NAT verdict, its view of the selected pair, …), relayed as is. */
const peerInfo = z.record(z.string(), z.unknown());

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
  z.object({ type: z.literal('error'), code: z.string(), message: z.string() }),
]);
export type ServerMessage = z.infer<typeof serverMessageSchema>;

export type ParseResult<T> = { ok: true; message: T } | { ok: false; code: ErrorCode; error: string };

function parseWith<T>(schema: z.ZodType<T>, raw: string): ParseResult<T> {
  if (raw.length > MAX_MESSAGE_BYTES) {
    return { ok: false, code: ErrorCode.tooLarge, error: `message larger than ${MAX_MESSAGE_BYTES} bytes` };
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { ok: false, code: ErrorCode.malformed, error: 'message is not valid JSON' };
  }
  const result = schema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue && issue.path.length ? ` at ${issue.path.join('.')}` : '';
    return { ok: false, code: ErrorCode.malformed, error: `invalid message${where}: ${issue?.message ?? 'unknown'}` };
  }
  return { ok: true, message: result.data };
}

export const parseClientMessage = (raw: string) => parseWith(clientMessageSchema, raw);
export const parseServerMessage = (raw: string) => parseWith(serverMessageSchema, raw);

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
