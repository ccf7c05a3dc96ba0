// Which pages may open /ws: the server's own page (Origin has the host the request was sent to), origins listed
// in ALLOWED_ORIGINS, and clients that send no Origin at all (not browsers: a browser always sends one on a
// WebSocket handshake, so a missing Origin is no cross-site page riding on a visitor's browser).

/** ALLOWED_ORIGINS: '' = same origin only, '*' = any, or a comma list of origins like https://p2p.example.org. */
export type OriginAllowList = { any: true } | { any: false; origins: ReadonlySet<string> };

export function parseAllowedOrigins(raw: string | undefined): OriginAllowList | { error: string } {
  const text = raw?.trim() ?? '';
  if (text === '*') return { any: true };
  const origins = new Set<string>();
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    let url: URL;
    try {
      url = new URL(part);
    } catch {
      return { error: `"${part}" is not an origin; write it like https://p2p.example.org (scheme, host, optional port)` };
    }
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.pathname !== '/' || url.search || url.hash || url.username || part.endsWith('/')) {
      return { error: `"${part}" is not an origin; write it like https://p2p.example.org (scheme, host, optional port, no path)` };
    }
    origins.add(url.origin);
  }
  return { any: false, origins };
}

/** True when a handshake with this Origin and Host may open a signaling socket. */
export function originAllowed(origin: string | undefined, host: string | undefined, allow: OriginAllowList): boolean {
  if (origin === undefined) return true;
  if (allow.any) return true;
  let o: URL;
  try {
    o = new URL(origin);
  } catch {
    return false; // 'null' (sandboxed frames, file:) and anything unparsable
  }
  if (allow.origins.has(o.origin)) return true;
  if (!host || (o.protocol !== 'http:' && o.protocol !== 'https:')) return false;
  let h: URL;
  try {
    // The Host header carries no scheme; read it with the Origin's, so default ports compare equal
    // (Origin https://example.org and Host example.org behind a TLS-terminating proxy).
    h = new URL(`${o.protocol}//${host}`);
  } catch {
    return false;
  }
  return h.host === o.host && h.pathname === '/' && !h.username;
}
