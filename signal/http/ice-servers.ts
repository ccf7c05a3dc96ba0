// Builds the `GET /api/ice-servers` answer: the bundled STUN and TURN URLs with a TURN REST credential
// (coturn's static-auth-secret scheme). Pure: the caller passes the time and the host.
import type { IceRegionServers } from '../../common/ice-regions';
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

/**
 * The regions' part of `/api/ice-servers` (ICE_REGIONS): each region's STUN URLs as they are and its TURN URLs with
 * a credential made with that region's secret (its TURN servers verify it; during a rotation they also accept the
 * previous one). The same TTL as the bundled credential.
 */
export function buildRegionIceServers(regions: readonly { id: string; urls: readonly string[]; secret: string }[], ttlSeconds: number, nowMs: number): IceRegionServers[] {
  return regions.map((r) => {
    const stun = r.urls.filter((u) => u.startsWith('stun:'));
    const turn = r.urls.filter((u) => !u.startsWith('stun:'));
    const iceServers: IceRegionServers['iceServers'] = [{ urls: stun }];
    if (turn.length > 0) {
      const { username, credential } = createRestCredential(r.secret, { ttlSeconds, nowMs });
      iceServers.push({ urls: turn, username, credential });
    }
    return { id: r.id, iceServers };
  });
}
