// Pure room logic: who is in which room, what each message turns into. No sockets, no timers —
// the ws adapter feeds it parsed messages from a connection and delivers the returned envelopes.
//
// Two kinds of room (signaling protocol v2, common/messages.ts): the two-person test room (the default; v1 joins
// without a version land here) and the lobby of up to LOBBY_CAPACITY, where every relayed SDP and candidate names
// its recipient. A room's kind is fixed by the join that created it.
//
// Connections and peers are apart: a member is a seat with a stable peer id (the id of the connection that took
// it first), held by one connection at a time. A page that reconnects after a signaling blip joins again with the
// same clientId and gets its peer id back, so the other peers' connections to that id go on: while the server has
// not noticed that the old socket is gone, the new connection takes the seat over (nobody is told); after the
// old socket's disconnect (peer-left was sent), the rejoin is announced with peer-joined under the same id.
//
// A seat taken with a clientId gets a peer id derived from (room, clientId) — a one-way hash, so the id says
// nothing about the secret key — instead of the connection's: the same page gets the same id from any registry. With
// rooms on Redis that is what keeps a lobby member's id (and its row in everyone's matrix) when the room's home node
// died and another node took the room over with an empty registry (signal/cluster/redis-rooms.ts). Without a
// clientId (the two-person room's page sends none) the id is the connection's, as before.
import { createHash } from 'node:crypto';
import {
  ErrorCode,
  LOBBY_CAPACITY,
  PROTOCOL_VERSION,
  ROOM_CAPACITY,
  SUPPORTED_PROTOCOL_VERSIONS,
  type ClientMessage,
  type ServerMessage,
} from '../../common/messages';

/** A message for one connection. */
export interface Envelope {
  to: string;
  message: ServerMessage;
}

export type RoomKind = 'room' | 'lobby';

interface Member {
  /** Stable for the seat's life; what other peers see (`from`, `peers`, `to`). */
  readonly peerId: string;
  /** The connection holding the seat now. */
  conn: string;
  clientId: string | null;
}

interface Room {
  readonly id: string;
  readonly kind: RoomKind;
  readonly capacity: number;
  /** In join order. */
  members: Member[];
  /** Members whose socket went away, newest last, at most `capacity`: a rejoin with the clientId gets the id back. */
  departed: { clientId: string; peerId: string }[];
}

interface Seat {
  room: Room;
  member: Member;
}

type Join = Extract<ClientMessage, { type: 'join' }>;
type Relayed = Extract<ClientMessage, { type: 'description' | 'candidate' | 'peer-info' }>;

export interface RoomCounts {
  /** Two-person rooms with at least one peer. */
  rooms: number;
  /** Lobbies with at least one peer. */
  lobbies: number;
  /** Peers in rooms and lobbies. */
  peers: number;
}

export interface RoomRegistryOptions {
  roomCapacity?: number;
  lobbyCapacity?: number;
}

export class RoomRegistry {
  private readonly rooms = new Map<string, Room>();
  private readonly seatOfConn = new Map<string, Seat>();
  private readonly capacityOf: Record<RoomKind, number>;

  constructor(opts: RoomRegistryOptions = {}) {
    this.capacityOf = { room: opts.roomCapacity ?? ROOM_CAPACITY, lobby: opts.lobbyCapacity ?? LOBBY_CAPACITY };
  }

  counts(): RoomCounts {
    let lobbies = 0;
    for (const room of this.rooms.values()) if (room.kind === 'lobby') lobbies++;
    return { rooms: this.rooms.size - lobbies, lobbies, peers: this.seatOfConn.size };
  }

  /** Peer ids in the room, in join order. */
  peersIn(roomId: string): readonly string[] {
    return this.rooms.get(roomId)?.members.map((m) => m.peerId) ?? [];
  }

  /** Handles one validated message from connection `conn`; returns what to send to which connection. */
  handle(conn: string, msg: ClientMessage): Envelope[] {
    switch (msg.type) {
      case 'join':
        return this.join(conn, msg);
      case 'leave':
        return this.leave(conn, 'left');
      case 'description':
      case 'candidate':
      case 'peer-info':
        return this.relay(conn, msg);
      case 'ping':
        return [{ to: conn, message: { type: 'pong', ts: msg.ts } }];
      default: {
        const unreachable: never = msg;
        return unreachable;
      }
    }
  }

  /** The connection's socket is gone (closed, errored or missed heartbeats). */
  disconnect(conn: string, reason = 'disconnected'): Envelope[] {
    return this.leave(conn, reason, true);
  }

  private join(conn: string, msg: Join): Envelope[] {
    if (this.seatOfConn.has(conn)) {
      return [error(conn, ErrorCode.alreadyInRoom, 'this connection has already joined a room; send leave first')];
    }
    const version = msg.version ?? 1;
    const kind: RoomKind = msg.lobby === true ? 'lobby' : 'room';
    if (!(SUPPORTED_PROTOCOL_VERSIONS as readonly number[]).includes(version)) {
      return [error(conn, ErrorCode.unsupportedVersion, `this page speaks signaling protocol version ${version}, the server version ${PROTOCOL_VERSION} (and 1 for two-person rooms): reload the page`)];
    }
    if (kind === 'lobby' && version < PROTOCOL_VERSION) {
      return [error(conn, ErrorCode.unsupportedVersion, `lobbies need signaling protocol version ${PROTOCOL_VERSION}; this join spoke version ${version}: reload the page`)];
    }
    const existing = this.rooms.get(msg.roomId);
    if (existing && existing.kind !== kind) {
      return [error(conn, ErrorCode.roomKindMismatch, existing.kind === 'lobby'
        ? `this link is a lobby (up to ${existing.capacity} peers), not a two-person test room: open it as a lobby`
        : `this link is a two-person test room, not a lobby: open it as a test room`)];
    }
    const room: Room = existing ?? { id: msg.roomId, kind, capacity: this.capacityOf[kind], members: [], departed: [] };
    const clientId = msg.clientId ?? null;
    const returning = clientId === null ? undefined : room.members.find((m) => m.clientId === clientId);
    if (returning) return this.takeOver(conn, room, returning, version);
    if (room.members.length >= room.capacity) {
      return [error(conn, ErrorCode.roomFull, room.kind === 'lobby'
        ? `lobby full: a lobby holds ${room.capacity} peers`
        : `room is full: a test room holds ${room.capacity} peers`)];
    }
    const others = room.members.slice();
    const back = clientId === null ? -1 : room.departed.findIndex((d) => d.clientId === clientId);
    const derived = clientId === null ? null : peerIdOf(room.id, clientId);
    // A derived id another member already has (a hash collision, ~2^-72) falls back to the connection's.
    const peerId = back >= 0 ? room.departed.splice(back, 1)[0]!.peerId : derived !== null && !room.members.some((m) => m.peerId === derived) ? derived : conn;
    const member: Member = { peerId, conn, clientId };
    room.members.push(member);
    this.rooms.set(room.id, room);
    this.seatOfConn.set(conn, { room, member });
    // The newcomer makes the offer to each peer already there.
    const out = [joined(conn, room, member.peerId, others, version)];
    for (const other of others) out.push({ to: other.conn, message: { type: 'peer-joined', peerId: member.peerId } });
    return out;
  }

  /** A member's page is back on a new connection: the seat (and its peer id) moves to it; nobody else is told. */
  private takeOver(conn: string, room: Room, member: Member, version: number): Envelope[] {
    const old = member.conn;
    this.seatOfConn.delete(old);
    member.conn = conn;
    this.seatOfConn.set(conn, { room, member });
    const others = room.members.filter((m) => m !== member);
    return [
      error(old, ErrorCode.replaced, 'another connection with this page\'s client id rejoined the room and took this seat; this connection is no longer in the room'),
      joined(conn, room, member.peerId, others, version),
    ];
  }

  /** An explicit leave forgets the member; a lost socket (`mayReturn`) keeps its clientId → peer id for a rejoin. */
  private leave(conn: string, reason: string, mayReturn = false): Envelope[] {
    const seat = this.seatOfConn.get(conn);
    if (!seat) return [];
    this.seatOfConn.delete(conn);
    const { room, member } = seat;
    room.members = room.members.filter((m) => m !== member);
    if (mayReturn && member.clientId !== null) {
      room.departed.push({ clientId: member.clientId, peerId: member.peerId });
      if (room.departed.length > room.capacity) room.departed.shift();
    }
    if (room.members.length === 0) this.rooms.delete(room.id);
    return room.members.map((m) => ({ to: m.conn, message: { type: 'peer-left', peerId: member.peerId, reason } }));
  }

  /** description / candidate / peer-info: to the one named by `to`, or else to every other peer. */
  private relay(conn: string, msg: Relayed): Envelope[] {
    const seat = this.seatOfConn.get(conn);
    if (!seat) return [error(conn, ErrorCode.notInRoom, 'join a room before sending signaling messages')];
    const { room, member } = seat;
    const from = member.peerId;
    const message: ServerMessage =
      msg.type === 'description' ? { type: 'description', from, description: msg.description }
      : msg.type === 'candidate' ? { type: 'candidate', from, candidate: msg.candidate }
      : { type: 'peer-info', from, info: msg.info };
    const others = room.members.filter((m) => m !== member);
    if (msg.to !== undefined) {
      const target = others.find((m) => m.peerId === msg.to);
      if (!target) return [error(conn, ErrorCode.unknownPeer, `no other peer ${msg.to} in this room (it may have left); the ${msg.type} was dropped`)];
      return [{ to: target.conn, message }];
    }
    if (room.kind === 'lobby') {
      // Only peer-info may go to everyone; alone in a lobby it goes nowhere (a page may announce its name at join).
      if (msg.type !== 'peer-info') return [error(conn, ErrorCode.malformed, `in a lobby, ${msg.type} must name its recipient (to)`)];
    } else if (others.length === 0) {
      return [error(conn, ErrorCode.noPeer, 'no other peer in the room yet')];
    }
    return others.map((m) => ({ to: m.conn, message }));
  }
}

function joined(conn: string, room: Room, peerId: string, others: readonly Member[], version: number): Envelope {
  const base = { type: 'joined', roomId: room.id, peerId, peers: others.map((m) => m.peerId), polite: false } as const;
  // v1 pages get exactly the v1 message.
  const message: ServerMessage = version >= 2 ? { ...base, lobby: room.kind === 'lobby', capacity: room.capacity } : base;
  return { to: conn, message };
}

function error(to: string, code: ErrorCode, message: string): Envelope {
  return { to, message: { type: 'error', code, message } };
}

/** The peer id of the seat a page with this reconnect key takes in this room: 12 URL-safe characters (72 bits, like a
 *  connection id) of SHA-256 over room and key. Pure: every node's registry gives the same page the same id. */
export function peerIdOf(roomId: string, clientId: string): string {
  return createHash('sha256').update(`p2pcheck peer id\0${roomId}\0${clientId}`).digest().subarray(0, 9).toString('base64url');
}
