// SDP for the probe peer: read the ICE credentials out of the browser's offer and write an ICE-lite answer
// (RFC 8445 §2.5) with a single host candidate — the server's primary STUN address. The answer carries a data
// channel m-line and a syntactically valid DTLS fingerprint so the browser starts ICE; DTLS never completes
// (setup:active makes the browser the DTLS server, which waits quietly for a ClientHello that never comes).
import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';

export interface OfferIce {
  ufrag: string;
  pwd: string;
  /** mid of the data channel m-line, echoed in the answer. */
  mid: string;
}

export type OfferParseResult = { ok: true; ice: OfferIce } | { ok: false; code: 'bad-offer'; error: string };

const ICE_CHAR = /^[A-Za-z0-9+/]+$/; // RFC 8839 §5.4 ice-char

/** The first application (data channel) section's ICE credentials; session-level values apply when absent. */
export function parseOffer(sdp: string): OfferParseResult {
  if (typeof sdp !== 'string' || sdp.length > 64 * 1024) return { ok: false, code: 'bad-offer', error: 'offer SDP missing or larger than 64 KB' };
  const lines = sdp.split(/\r?\n/);
  let section: 'session' | 'application' | 'other' = 'session';
  const session: Partial<OfferIce> = {};
  let app: Partial<OfferIce> | null = null;
  for (const line of lines) {
    if (line.startsWith('m=')) {
      if (app) break; // only the first data channel section matters
      section = /^m=application \d+ [A-Z/]*SCTP/.test(line) ? 'application' : 'other';
      if (section === 'application') app = {};
      continue;
    }
    const target = section === 'session' ? session : section === 'application' ? app : null;
    if (!target) continue;
    const m = /^a=(ice-ufrag|ice-pwd|mid):(.+)$/.exec(line.trim());
    if (!m) continue;
    const value = m[2]!.trim();
    if (m[1] === 'ice-ufrag') target.ufrag = value;
    else if (m[1] === 'ice-pwd') target.pwd = value;
    else target.mid = value;
  }
  if (!app) return { ok: false, code: 'bad-offer', error: 'the offer has no data channel (m=application … SCTP) section; create one with pc.createDataChannel()' };
  const ufrag = app.ufrag ?? session.ufrag;
  const pwd = app.pwd ?? session.pwd;
  if (!ufrag || ufrag.length < 4 || ufrag.length > 256 || !ICE_CHAR.test(ufrag)) return { ok: false, code: 'bad-offer', error: 'the offer has no valid a=ice-ufrag (4-256 ice-chars)' };
  if (!pwd || pwd.length < 22 || pwd.length > 256 || !ICE_CHAR.test(pwd)) return { ok: false, code: 'bad-offer', error: 'the offer has no valid a=ice-pwd (22-256 ice-chars)' };
  const mid = app.mid ?? '0';
  if (!/^[A-Za-z0-9_.-]{1,32}$/.test(mid)) return { ok: false, code: 'bad-offer', error: 'the offer\u2019s a=mid is not a short token' };
  return { ok: true, ice: { ufrag, pwd, mid } };
}

export interface ProbeCredentials {
  ufrag: string;
  pwd: string;
}

/** Fresh ICE credentials: 8-char ufrag, 24-char pwd, base64 alphabet without padding (all ice-chars). */
export function newProbeCredentials(random: (n: number) => Buffer = randomBytes): ProbeCredentials {
  const chars = (n: number) => random(n).toString('base64').replace(/=+$/, '');
  return { ufrag: chars(6), pwd: chars(18) };
}

/** A fingerprint line that parses; no DTLS handshake ever uses it (we only need ICE). */
function dummyFingerprint(random: (n: number) => Buffer): string {
  return [...random(32)].map((b) => b.toString(16).padStart(2, '0').toUpperCase()).join(':');
}

export function buildLiteAnswer(input: {
  offer: OfferIce;
  local: ProbeCredentials;
  candidate: { address: string; port: number };
  sessionId?: string;
  random?: (n: number) => Buffer;
}): string {
  const random = input.random ?? randomBytes;
  const { address, port } = input.candidate;
  const family = isIP(address) === 6 ? 'IP6' : 'IP4';
  const session = input.sessionId ?? BigInt(`0x${random(7).toString('hex')}`).toString();
  return [
    'v=0',
    `o=p2pcheck-probe ${session} 1 IN ${family} ${address}`,
    's=-',
    't=0 0',
    'a=ice-lite',
    `a=group:BUNDLE ${input.offer.mid}`,
    'a=msid-semantic: WMS',
    `m=application ${port} UDP/DTLS/SCTP webrtc-datachannel`,
    `c=IN ${family} ${address}`,
    `a=ice-ufrag:${input.local.ufrag}`,
    `a=ice-pwd:${input.local.pwd}`,
    `a=fingerprint:sha-256 ${dummyFingerprint(random)}`,
    'a=setup:active',
    `a=mid:${input.offer.mid}`,
    'a=sctp-port:5000',
    'a=max-message-size:262144',
    `a=candidate:1 1 udp 2130706431 ${address} ${port} typ host`,
    'a=end-of-candidates',
    '',
  ].join('\r\n');
}
