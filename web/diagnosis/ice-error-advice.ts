// icecandidateerror codes (STUN/TURN error codes of RFC 8489 §14.8 / RFC 8656 §18.9, plus the 7xx codes
// browsers use for "no answer" — W3C webrtc-pc §4.8.2) turned into what they mean and what to change.
import type { IceErrorDetail } from '../../common/nat/diagnosis-result';
import { turnRefusal } from '../errors/limit-messages';
import { parseStunUrl } from './mapping-inference';

const ADVICE: Record<number, { meaning: string; fix: string }> = {
  300: { meaning: 'The server redirected to another server (Try Alternate), which browsers do not follow.', fix: 'Point the ICE server URL at the server named in the redirect.' },
  400: { meaning: 'The server could not parse the request (Bad Request).', fix: 'Check that the URL really points at a STUN/TURN server and not at another service on that port.' },
  401: {
    meaning: 'The TURN server rejected the username or password (Unauthorized).',
    fix: 'Check the TURN username and credential. With a shared secret (coturn static-auth-secret / TURN REST API), the credential must be base64(HMAC-SHA1(secret, username)), the username must start with an expiry time that is still in the future, the secrets must match, and the server needs a realm.',
  },
  403: { meaning: 'The server refused the request (Forbidden), for example a relay to a private or blocked address.', fix: 'Check the TURN server\u2019s allowed/denied peer address ranges.' },
  420: { meaning: 'The server did not understand a required attribute (Unknown Attribute).', fix: 'Update the TURN server; it is too old for this browser.' },
  437: { meaning: 'The server still has an allocation from this address with different parameters (Allocation Mismatch).', fix: 'Usually transient after a network change; retry. Persistent: restart the TURN server.' },
  438: {
    meaning: 'The server\u2019s nonce expired (Stale Nonce). Browsers retry once with the new nonce; seeing this in the report means the retry also failed.',
    fix: 'Check that the TURN server\u2019s clock is right and its nonce lifetime is not set to a few seconds.',
  },
  440: { meaning: 'The server does not offer the requested address family (IPv4/IPv6).', fix: 'Enable IPv6 relaying on the TURN server, or ignore if IPv4 works.' },
  441: { meaning: 'The credentials do not match the ones of the existing allocation (Wrong Credentials).', fix: 'Use one username per session; do not switch credentials mid-session.' },
  442: { meaning: 'The server does not support the requested relay transport.', fix: 'Use UDP relaying (the only transport browsers request).' },
  500: { meaning: 'The TURN server hit an internal error.', fix: 'Check the TURN server\u2019s logs.' },
  701: {
    meaning: 'No answer from the server: the name did not resolve, or nothing came back over this transport before the browser gave up.',
    fix: 'Check the host name and port; check that a firewall lets this transport (UDP, or TCP for ?transport=tcp, TLS for turns:) through to the server and back.',
  },
};

export function explainIceError(url: string, code: number, text: string): IceErrorDetail {
  // 486/508: the server's limits, said the way the rest of the page says them (web/errors/limit-messages.ts).
  const refusal = turnRefusal(code);
  const known = refusal ? { meaning: `${refusal.refusal.charAt(0).toUpperCase()}${refusal.refusal.slice(1)}.`, fix: refusal.fix } : (ADVICE[code] ?? (code >= 700 && code <= 799 ? ADVICE[701] : undefined));
  return {
    url,
    code,
    text,
    meaning: known?.meaning ?? `The server answered with error ${code}${text ? ` (${text})` : ''}.`,
    fix: known?.fix ?? 'Look the code up in RFC 8489 §14.8 / RFC 8656 §18.9 and check the TURN server\u2019s logs.',
  };
}

const IP_LITERAL = /^(\d{1,3}(\.\d{1,3}){3}|[0-9a-f]*:[0-9a-f:.]*)$/i;

/**
 * Firefox does not use a `turns:` URL whose host is an IP address (its ICE log says "No TURN servers
 * specified"): TLS needs a name to check the certificate against, so the relay test fails without any error.
 */
export function firefoxIgnoresTurnsUrl(url: string, userAgent: string): boolean {
  if (!/^turns:/i.test(url) || !/firefox\//i.test(userAgent)) return false;
  const host = parseStunUrl(url)?.address;
  return !!host && IP_LITERAL.test(host);
}

export const FIREFOX_TURNS_IP =
  'Firefox does not use TURN over TLS with an IP address; the server needs a DNS name (ICE_HOST set to a name its certificate is for).';

/** Why a relay test over TCP or TLS failed, in words: the server's error, Firefox's silent refusal, or silence. */
export function relayFailureReason(
  test: { url: string; protocol: 'tcp' | 'tls'; timeoutMs: number; gotProtocol: string | null; errors: { url: string; code: number; text: string }[] },
  userAgent: string,
): string {
  if (test.protocol === 'tls' && firefoxIgnoresTurnsUrl(test.url, userAgent)) return FIREFOX_TURNS_IP;
  const e = test.errors[0];
  if (e) return `${e.code}${e.text ? ` ${e.text}` : ''}: ${explainIceError(e.url, e.code, e.text).meaning}`;
  if (test.gotProtocol) return `the relay was reached over ${test.gotProtocol.toUpperCase()}, not ${test.protocol.toUpperCase()}`;
  const what = test.protocol === 'tls' ? 'TLS' : 'TCP';
  return `no relay within ${test.timeoutMs / 1000} s and no error from the server: a firewall or proxy on the way probably blocks ${what} to port ${parseStunUrl(test.url)?.port ?? '?'}`;
}
