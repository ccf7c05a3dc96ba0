// Every answer this server writes itself — JSON API answers, errors, upgrade refusals on a raw socket — goes
// through here, so each carries SECURITY_HEADERS and errors have one shape: { code, error } (ApiError).
import { STATUS_CODES, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ApiError, ErrorCode } from '../../common/messages';
import { SECURITY_HEADERS } from './security-headers';

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': 'application/json; charset=utf-8', ...headers }).end(JSON.stringify(body));
}

export function sendError(res: ServerResponse, status: number, code: ErrorCode, error: string, extra: { retryAfter?: number; headers?: Record<string, string> } = {}): void {
  const body: ApiError = { code, error, ...(extra.retryAfter !== undefined ? { retryAfter: extra.retryAfter } : {}) };
  const headers: Record<string, string> = { 'cache-control': 'no-store', ...extra.headers };
  if (extra.retryAfter !== undefined) headers['retry-after'] = String(extra.retryAfter);
  sendJson(res, status, body, headers);
}

/** An HTTP error answer written straight to a socket (upgrade requests and unparsable requests have no response object). */
export function refuseOnSocket(socket: Duplex, status: number, code: ErrorCode, error: string, extra: { retryAfter?: number } = {}): void {
  if (socket.destroyed || !socket.writable) {
    socket.destroy();
    return;
  }
  const body: ApiError = { code, error, ...(extra.retryAfter !== undefined ? { retryAfter: extra.retryAfter } : {}) };
  const text = JSON.stringify(body);
  const headers: Record<string, string> = {
    ...SECURITY_HEADERS,
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    'cache-control': 'no-store',
    connection: 'close',
  };
  if (extra.retryAfter !== undefined) headers['retry-after'] = String(extra.retryAfter);
  const head = `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n`;
  socket.once('finish', () => socket.destroy());
  socket.end(head + text);
}
