// A cheaper UDP send for the relay's packet path. `dgram.Socket.send` spends about a quarter of a bare forwarder's
// CPU per datagram in JavaScript before the syscall: argument normalisation, the address lookup callback, an
// async-id scope, a SendWrap and, with a callback, a `process.nextTick`. The relay always sends one Buffer to a
// literal IP from a bound socket, so it can call the socket's libuv handle directly — the same call `dgram` ends
// with (Node 20 lib/dgram.js `doSend`). Measured with bench/node-udp-forwarder.ts pinned to one CPU: ~78k →
// ~95k datagrams/s.
//
// This reaches into Node internals (the socket's state symbol and `process.binding('udp_wrap').SendWrap`), so it is
// feature-checked once: when anything is missing, or TURN_FAST_SEND=off, `udpSender` returns plain `socket.send`.
import type { Socket } from 'node:dgram';
import { getSystemErrorName } from 'node:util';

/** Sends `data` to `address:port`; a failure (synchronous or later) is reported to `onError` with its errno code. */
export type UdpSender = (socket: Socket, data: Buffer, port: number, address: string, onError: (code: string) => void) => void;

interface UvUdpHandle {
  send(req: object, list: Buffer[], count: number, port: number, address: string, hasCallback: boolean): number;
}
type SendWrapClass = new () => { oncomplete?: (status: number) => void; list?: Buffer[] };

function errnoName(status: number): string {
  try {
    return getSystemErrorName(status);
  } catch {
    return 'unknown';
  }
}

const plainSend: UdpSender = (socket, data, port, address, onError) => {
  try {
    socket.send(data, port, address, (err) => {
      if (err) onError((err as NodeJS.ErrnoException).code ?? 'unknown');
    });
  } catch (err) {
    onError((err as NodeJS.ErrnoException).code ?? 'EINVAL');
  }
};

function loadSendWrap(): SendWrapClass | null {
  try {
    // Deprecated but still allowed on Node 20–24 (DEP0111 is documentation-only for the udp_wrap binding).
    const binding = (process as unknown as { binding(name: string): { SendWrap?: SendWrapClass } }).binding('udp_wrap');
    return typeof binding.SendWrap === 'function' ? binding.SendWrap : null;
  } catch {
    return null;
  }
}

/** dgram keeps a socket's libuv handle under one module-private symbol, the same for every socket. */
function stateSymbol(socket: Socket): symbol | null {
  return Object.getOwnPropertySymbols(socket).find((s) => s.description === 'state symbol') ?? null;
}

function handleOf(socket: Socket, state: symbol): UvUdpHandle | null {
  const handle = (socket as unknown as Record<symbol, { handle?: UvUdpHandle } | undefined>)[state]?.handle;
  return handle && typeof handle.send === 'function' ? handle : null;
}

/** The sender to use: the direct one when this Node has what it needs (checked on `probe`, a bound socket). */
export function udpSender(probe: Socket, env: NodeJS.ProcessEnv = process.env): { send: UdpSender; fast: boolean } {
  const SendWrap = env.TURN_FAST_SEND?.toLowerCase() === 'off' ? null : loadSendWrap();
  const state = stateSymbol(probe);
  if (!SendWrap || !state || !handleOf(probe, state)) return { send: plainSend, fast: false };
  const list: Buffer[] = [];
  const send: UdpSender = (socket, data, port, address, onError) => {
    const handle = handleOf(socket, state);
    if (!handle) return plainSend(socket, data, port, address, onError); // closed socket: let dgram say so
    const req = new SendWrap();
    list[0] = data;
    let status: number;
    try {
      status = handle.send(req, list, 1, port, address, true);
    } catch (err) {
      // Bad port or address make the binding throw, as dgram would.
      onError((err as NodeJS.ErrnoException).code ?? 'EINVAL');
      return;
    } finally {
      list[0] = undefined as unknown as Buffer; // do not keep the last datagram alive
    }
    if (status > 0) return; // sent synchronously (bytes + 1)
    if (status < 0) {
      onError(errnoName(status));
      return;
    }
    // Queued by libuv (socket buffer full): keep the data referenced until it completes.
    req.list = [data];
    req.oncomplete = (result: number) => {
      if (result < 0) onError(errnoName(result));
    };
  };
  return { send, fast: true };
}
