// Test support (not a test): a signaling client over a real WebSocket that queues what the server sends, so a
// test reads messages in order with `await next()` and sees how the socket closed. The one home for it: the
// drain, cluster and main tests all speak to real nodes this way.
import { once } from 'node:events';
import { WebSocket } from 'ws';
import type { ServerMessage } from '../../common/messages';

export interface InboxClient {
  ws: WebSocket;
  /** How the server closed the socket (code and reason). */
  closed: Promise<{ code: number; reason: string }>;
  send(msg: unknown): void;
  /** The next message from the server; fails after `timeoutMs` (5 s) with what was expected in the error. */
  next(timeoutMs?: number): Promise<ServerMessage>;
}

/** Opens ws://host:port/ws and resolves once open; `track` collects the socket so a test can terminate it after. */
export async function connectInbox(port: number, opts: { host?: string; track?: WebSocket[] } = {}): Promise<InboxClient> {
  const ws = new WebSocket(`ws://${opts.host ?? '127.0.0.1'}:${port}/ws`);
  opts.track?.push(ws);
  const inbox: ServerMessage[] = [];
  const waiters: (() => void)[] = [];
  ws.on('message', (data) => {
    inbox.push(JSON.parse(String(data)) as ServerMessage);
    waiters.splice(0).forEach((w) => w());
  });
  ws.on('error', () => {}); // a refused or reset socket shows up in `closed`
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
  await once(ws, 'open');
  return {
    ws,
    closed,
    send: (msg) => ws.send(JSON.stringify(msg)),
    async next(timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (inbox.length === 0) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no message from the server within ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      return inbox.shift()!;
    },
  };
}
