// Builds the `GET /api/ice-servers` answer: the bundled STUN and TURN URLs with a TURN REST credential
// (coturn's static-auth-secret scheme). Pure: the caller passes the time and the host.
import type { IceServersResponse } from '../../common/messages';
import { createRestCredential } from '../../turn/auth/rest-credentials';

export interface TurnEndpoints {
  udpPort: number;
  tcpPort: number | null;
  tlsPort: number | null;
}

export function buildIceServers(input: {
  host: string;
  turn: TurnEndpoints;
  secret: string;
  ttlSeconds: number;
  nowMs: number;
  tlsHost?: string | null;
}): IceServersResponse {
  const host = urlHost(input.host);
  const { username, credential } = createRestCredential(input.secret, { ttlSeconds: input.ttlSeconds, nowMs: input.nowMs });
  const turnUrls = [`turn:${host}:${input.turn.udpPort}?transport=udp`];
  if (input.turn.tcpPort !== null) turnUrls.push(`turn:${host}:${input.turn.tcpPort}?transport=tcp`);
  if (input.turn.tlsPort !== null) turnUrls.push(`turns:${urlHost(input.tlsHost || input.host)}:${input.turn.tlsPort}?transport=tcp`);
  return {
    iceServers: [
      { urls: [`stun:${host}:${input.turn.udpPort}`] },
      { urls: turnUrls, username, credential },
    ],
    ttl: input.ttlSeconds,
  };
}

/** IPv6 literals go in brackets inside STUN/TURN URLs (RFC 7064/7065). */
function urlHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/** The host name from a Host header, or null when it is not a plain name or IP literal. */
export function hostFromHeader(header: string | undefined): string | null {
  if (!header) return null;
  const bracketed = /^\[([0-9a-fA-F:.]+)\](?::\d+)?$/.exec(header);
  if (bracketed) return bracketed[1] ?? null;
  const plain = /^([A-Za-z0-9.-]{1,253})(?::\d+)?$/.exec(header);
  return plain ? (plain[1] ?? null) : null;
}
