// Pure room logic: who is in which room, what each message turns into. No sockets, no timers —
// the ws adapter feeds it parsed messages and delivers the returned envelopes.
import { ErrorCode, ROOM_CAPACITY, type ClientMessage, type ServerMessage } from '../../common/messages';

export interface Envelope {
  to: string;
  message: ServerMessage;
}

interface Room {
  id: string;
  peers: string[];
}

export class RoomRegistry {
  private readonly rooms = new Map<string, Room>();
  private readonly roomOfPeer = new Map<string, string>();

  constructor(private readonly capacity = ROOM_CAPACITY) {}

  get roomCount(): number {
    return this.rooms.size;
  }

  get peerCount(): number {
    return this.roomOfPeer.size;
  }

  peersIn(roomId: string): readonly string[] {
    return this.rooms.get(roomId)?.peers ?? [];
  }

  /** Handles one validated message from `peerId`; returns what to send to whom. */
  handle(peerId: string, msg: ClientMessage): Envelope[] {
    switch (msg.type) {
      case 'join':
        return this.join(peerId, msg.roomId);
      case 'leave':
        return this.leave(peerId, 'left');
      case 'description':
        return this.toOther(peerId, (from) => ({ type: 'description', from, description: msg.description }));
      case 'candidate':
        return this.toOther(peerId, (from) => ({ type: 'candidate', from, candidate: msg.candidate }));
      case 'peer-info':
        return this.toOther(peerId, (from) => ({ type: 'peer-info', from, info: msg.info }));
      case 'ping':
        return [{ to: peerId, message: { type: 'pong', ts: msg.ts } }];
      default: {
        const unreachable: never = msg;
        return unreachable;
      }
    }
  }

  /** The peer's socket is gone (closed, errored or missed heartbeats). */
  disconnect(peerId: string, reason = 'disconnected'): Envelope[] {
    return this.leave(peerId, reason);
  }

  private join(peerId: string, roomId: string): Envelope[] {
    if (this.roomOfPeer.has(peerId)) {
      return [error(peerId, ErrorCode.alreadyInRoom, 'this connection has already joined a room; send leave first')];
    }
    const room = this.rooms.get(roomId) ?? { id: roomId, peers: [] };
    if (room.peers.length >= this.capacity) {
      return [error(peerId, ErrorCode.roomFull, `room is full: a test room holds ${this.capacity} peers`)];
    }
    const others = [...room.peers];
    room.peers.push(peerId);
    this.rooms.set(roomId, room);
    this.roomOfPeer.set(peerId, roomId);
    // The newcomer makes the offer; the one already waiting is the polite side.
    const out: Envelope[] = [{ to: peerId, message: { type: 'joined', roomId, peerId, peers: others, polite: false } }];
    for (const other of others) out.push({ to: other, message: { type: 'peer-joined', peerId } });
    return out;
  }

  private leave(peerId: string, reason: string): Envelope[] {
    const roomId = this.roomOfPeer.get(peerId);
    if (roomId === undefined) return [];
    this.roomOfPeer.delete(peerId);
    const room = this.rooms.get(roomId);
    if (!room) return [];
    room.peers = room.peers.filter((p) => p !== peerId);
    if (room.peers.length === 0) this.rooms.delete(roomId);
    return room.peers.map((to) => ({ to, message: { type: 'peer-left', peerId, reason } }));
  }

  private toOther(peerId: string, make: (from: string) => ServerMessage): Envelope[] {
    const roomId = this.roomOfPeer.get(peerId);
    if (roomId === undefined) return [error(peerId, ErrorCode.notInRoom, 'join a room before sending signaling messages')];
    const others = this.peersIn(roomId).filter((p) => p !== peerId);
    if (others.length === 0) return [error(peerId, ErrorCode.noPeer, 'no other peer in the room yet')];
    const message = make(peerId);
    return others.map((to) => ({ to, message }));
  }
}

function error(to: string, code: ErrorCode, message: string): Envelope {
  return { to, message: { type: 'error', code, message } };
}
