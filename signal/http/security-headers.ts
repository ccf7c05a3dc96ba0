// Headers every HTTP response carries (pages, API, errors). The page has no inline script and no inline style
// (React's style props go through CSSOM, which style-src does not govern; recharts measures text the same way;
// the QR code is an SVG with presentation attributes only), so script-src and style-src are 'self' only —
// e2e/security-headers.spec.ts proves no flow raises a violation in Chromium and Firefox. connect-src 'self'
// covers the same origin's ws:/wss: (CSP3 §6.7.2.8); WebRTC itself is not governed by CSP. No one may frame the
// page (clickjacking), and no referrer leaves it (room links carry the room secret).
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
};
