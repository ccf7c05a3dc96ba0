// Thin WebSocket adapter for the signaling protocol (common/messages.ts): every arriving frame goes through
// parseServerMessage; a malformed one is reported, never thrown into the socket loop.
import { parseServerMessage, type ClientMessage, type ServerMessage } from '../../common/messages';

export interface SignalingHandlers {
  onOpen(): void;
  onMessage(msg: ServerMessage): void;
  onMalformed(error: string): void;
  onClose(info: { code: number; reason: string; wasOpen: boolean }): void;
}

export interface SignalingClient {
  /** False when the socket is not open (the message is dropped). */
  send(msg: ClientMessage): boolean;
  close(): void;
}

/** Same-origin /ws, ws: or wss: to match the page. */
export function signalingUrl(loc: Pick<Location, 'protocol' | 'host'>): string {
  return `${loc.protocol === 'https:' ? 'wss:' : 'ws:'}//${loc.host}/ws`;
}

/** The page's WebSocket; the headless peer (cli/) passes the `ws` package's, which has the same interface. */
export type CreateSocket = (url: string) => WebSocket;

export function connectSignaling(url: string, handlers: SignalingHandlers, createSocket: CreateSocket = (u) => new WebSocket(u)): SignalingClient {
  const ws = createSocket(url);
  let wasOpen = false;
  let closed = false;
  ws.addEventListener('open', () => {
    wasOpen = true;
    handlers.onOpen();
  });
  ws.addEventListener('message', (ev: MessageEvent) => {
    if (typeof ev.data !== 'string') return handlers.onMalformed('binary frame from the server');
    const parsed = parseServerMessage(ev.data);
    if (parsed.ok) handlers.onMessage(parsed.message);
    else handlers.onMalformed(parsed.error);
  });
  ws.addEventListener('close', (ev: CloseEvent) => {
    if (closed) return;
    closed = true;
    handlers.onClose({ code: ev.code, reason: ev.reason, wasOpen });
  });
  return {
    send(msg) {
      if (ws.readyState !== 1) return false; // OPEN (WebSocket.OPEN is not a global in Node 20)
      ws.send(JSON.stringify(msg satisfies ClientMessage));
      return true;
    },
    close() {
      closed = true;
      ws.close(1000, 'page closed the test');
    },
  };
}
