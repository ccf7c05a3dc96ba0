// Headers every HTTP response carries (pages, API, errors). The page has no inline script and no inline style
// (React's style props go through CSSOM, which style-src does not govern; recharts measures text the same way;
// the QR code is an SVG with presentation attributes only), so script-src and style-src are 'self' only —
// e2e/security-headers.spec.ts proves no flow raises a violation in Chromium and Firefox. WebRTC itself is not
// governed by CSP. No one may frame the page (clickjacking), and no referrer leaves it (room links carry the room
// secret).

/** The policy; `wsOrigins` are added to connect-src (see pageSecurityHeaders). */
function contentSecurityPolicy(wsOrigins: readonly string[] = []): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    ["connect-src 'self'", ...wsOrigins].join(' '),
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export const CONTENT_SECURITY_POLICY = contentSecurityPolicy();

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
};

/** A Host header that is a name or an IP literal with an optional port — nothing that could break out of the CSP. */
const PLAIN_HOST = /^(?:[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*|\[[0-9A-Fa-f:.]{2,45}\])(?::\d{1,5})?$/;

/**
 * The headers of the page itself (index.html for every route): SECURITY_HEADERS with this host's ws:// and wss://
 * origin in connect-src. CSP3 counts them as 'self' (Chromium and Firefox do), but Safari before 16 does not, and
 * the page cannot signal without its WebSocket. Naming the exact origin keeps any other host out.
 */
export function pageSecurityHeaders(hostHeader: string | undefined, connectOrigins: readonly string[] = []): Readonly<Record<string, string>> {
  // connectOrigins: the ICE regions' probe peers (validated URLs from ICE_REGIONS, never from the request).
  if (!hostHeader || hostHeader.length > 300 || !PLAIN_HOST.test(hostHeader)) {
    return connectOrigins.length ? { ...SECURITY_HEADERS, 'content-security-policy': contentSecurityPolicy(connectOrigins) } : SECURITY_HEADERS;
  }
  const host = hostHeader.toLowerCase();
  return { ...SECURITY_HEADERS, 'content-security-policy': contentSecurityPolicy([`ws://${host}`, `wss://${host}`, ...connectOrigins]) };
}
