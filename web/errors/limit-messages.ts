// What the page says when the server refuses something — a signaling error code, an HTTP error answer of one of
// its APIs, a TURN error code in an icecandidateerror — in plain words, with what to do. The one home for these
// sentences: the room session, "Check my network", the share panel, the relay row and the error list all ask here.
// Pure: codes and numbers in, a sentence out.
import { ErrorCode } from '../../common/messages';

/** Every signaling/API error code the server sends (common/messages.ts): a new code is a type error here. */
const CODE_SENTENCES = {
  [ErrorCode.malformed]: 'The server could not read a message from this page, so it was dropped. If the test stalls, reload the page (the page and the server may be different versions).',
  [ErrorCode.tooLarge]: 'A message from this page was larger than the server accepts, so it was not passed on to the other peer.',
  [ErrorCode.tooDeep]: 'A message from this page was nested deeper than the server accepts, so it was not passed on to the other peer.',
  [ErrorCode.roomFull]: 'This room is full: two browsers are already testing in it. Ask for a new link, or start your own test.',
  [ErrorCode.badRoomId]: 'The room id in this link is not valid. Check that the whole link was copied, or start a new test.',
  [ErrorCode.notInRoom]: 'This page sent a message while it was not in the room (for example during a reconnect), so the server dropped it.',
  [ErrorCode.alreadyInRoom]: 'This page asked to join a room it is already in; nothing changed.',
  [ErrorCode.noPeer]: 'There was no other peer in the room to pass the message on to, so the server dropped it.',
  [ErrorCode.rateLimited]: 'This page sent the server too many messages too fast, so the server dropped some of them. If the test stalls, reload the page.',
  [ErrorCode.tooManyConnections]:
    'This server already has as many signaling connections from your network as it allows (other p2pcheck tabs, or other devices behind the same address). Close the other tabs, then reload this page.',
  [ErrorCode.serverError]: 'The server failed while handling a message from this page and closed the connection; the page reconnects by itself.',
  [ErrorCode.badRequest]: 'The server could not read a request from this page.',
  [ErrorCode.notFound]: 'The server has no such page or API. The page and the server may be different versions: reload the page.',
  [ErrorCode.methodNotAllowed]: 'The server does not accept this kind of request here. The page and the server may be different versions: reload the page.',
  [ErrorCode.originNotAllowed]:
    'The signaling server refused this page: it only serves pages loaded from its own address, and this one came from elsewhere. Open p2pcheck from the server’s own address, or ask its operator to add this one to ALLOWED_ORIGINS.',
  [ErrorCode.unauthorized]: 'The server asked for credentials, which the page never has (only /metrics is protected).',
  [ErrorCode.unsupportedVersion]: 'This page and the signaling server speak different protocol versions (one was updated, the other not). Reload the page; if it persists, the server’s operator has mixed versions deployed.',
  [ErrorCode.roomKindMismatch]: 'This link is a two-person test room, not a group lobby (or the other way round). Open the link exactly as it was shared, or start a new test.',
  [ErrorCode.unknownPeer]: 'A message was addressed to a peer who is no longer in this room; it was dropped. The other peers are not affected.',
  [ErrorCode.replaced]: 'This page was opened again elsewhere (another tab or connection of it rejoined the room in its place), so this one is no longer in the room. Close this tab or reload it to join as a new peer.',
  [ErrorCode.draining]: 'The signaling server this page reached is restarting and takes no new tests; the page reconnects on its own (to another server where there are several).',
} as const satisfies Record<ErrorCode, string>;

const isErrorCode = (code: string): code is ErrorCode => Object.hasOwn(CODE_SENTENCES, code);

/** The sentence for a signaling error code; an unknown code (a newer server) gets the server's own words. */
export function signalingErrorText(code: string, serverMessage: string): string {
  if (isErrorCode(code)) return CODE_SENTENCES[code];
  return `The signaling server refused a message (${code}): ${serverMessage || 'no reason given'}.`;
}

/** When the very first signaling connection fails, the browser does not say why (a 403 or 429 looks like silence). */
export const SIGNALING_UNREACHABLE =
  'Could not connect to the signaling server (/ws). Check that p2pcheck is running and that nothing blocks WebSockets; a server also refuses pages loaded from another address than its own (ALLOWED_ORIGINS) and networks that hold too many connections already. Then reload.';

/** The page's calls to the server's HTTP API, each with its own consequence when refused. */
export type ApiService = 'ice-servers' | 'config' | 'probe' | 'report-save' | 'report-load';

/** An HTTP error answer as the page saw it: the status, the body's `code` and `error`, and Retry-After. */
export interface HttpFailure {
  status: number;
  code: string | null;
  error: string | null;
  retryAfterSeconds: number | null;
}

const WHAT: Record<ApiService, string> = {
  'ice-servers': 'relay credentials',
  config: 'its configuration',
  probe: 'network checks',
  'report-save': 'saved reports',
  'report-load': 'saved reports',
};

const again = (s: number | null) => (s === null ? 'try again in a minute' : `try again in ${s} s`);

/** The sentence for an HTTP error answer from one of the server's APIs. */
export function httpFailureText(service: ApiService, f: HttpFailure): string {
  if (f.status === 429) {
    switch (service) {
      case 'ice-servers':
        return `This server is handing out too many relay credentials to your network right now; ${again(f.retryAfterSeconds)}.`;
      case 'probe':
        return `This server is already running as many network checks from your network as it allows (other tabs, or other devices behind the same address); ${again(f.retryAfterSeconds)}.`;
      case 'report-save':
        return f.code === 'too-many-reports'
          ? `This server already keeps as many saved reports from your network as it allows; ${again(f.retryAfterSeconds)}, when older ones have expired.`
          : `This server has saved too many reports from your network in a short time; ${again(f.retryAfterSeconds)}.`;
      case 'report-load':
      case 'config':
        return `This server is answering too many requests from your network right now; ${again(f.retryAfterSeconds)}.`;
      default: {
        const unreachable: never = service;
        return unreachable;
      }
    }
  }
  if (f.status === 503) {
    if (service === 'probe' && f.code === 'busy') return `This server is running as many network checks as it can for everyone right now; ${again(f.retryAfterSeconds)}.`;
    if (service === 'report-save' && f.code === 'store-full') return 'This server keeps as many saved reports as it can hold right now; try again later, when older ones have expired.';
    return f.error ? `The server cannot do this right now: ${f.error.replace(/\.$/, '')}.` : `The server cannot handle ${WHAT[service]} right now (HTTP 503); ${again(f.retryAfterSeconds)}.`;
  }
  // Not a limit: the server's own words (they name the problem), else the sentence for its code.
  if (f.error) return f.error;
  if (f.code !== null && isErrorCode(f.code)) return CODE_SENTENCES[f.code];
  return `The server answered HTTP ${f.status}.`;
}

/** Retry-After (RFC 9110 §10.2.3): delay-seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(header: string | null, nowMs: number): number | null {
  if (header === null) return null;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text);
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - nowMs) / 1000));
}

/** TURN error codes that mean "refused for lack of room" (RFC 8656 §18.9): what happened, and what to do. */
const TURN_REFUSALS: Record<number, { refusal: string; fix: string }> = {
  486: {
    refusal: 'the relay server refused: too many relays from your network (486 Allocation Quota Reached)',
    fix: 'Close other p2pcheck tabs or calls that use this server (every device behind your address counts), or try again in a few minutes.',
  },
  508: {
    refusal: 'the relay server refused: it has no capacity left for more relays right now, for anyone (508 Insufficient Capacity)',
    fix: 'Try again in a few minutes; if it lasts, tell the server’s operator (its relay ports or limits are used up).',
  },
};

/** What happened and what to do for a TURN error code that is a server limit, or null for any other code. */
export function turnRefusal(code: number | string | null): { refusal: string; fix: string } | null {
  const n = typeof code === 'string' ? Number(code) : code;
  return n !== null && Object.hasOwn(TURN_REFUSALS, n) ? TURN_REFUSALS[n]! : null;
}

/** The same as one sentence, or null. */
export function turnRefusalText(code: number | string | null): string | null {
  const r = turnRefusal(code);
  return r && `${r.refusal}. ${r.fix}`;
}

/** A line of the report's error list, explained when it is a limit the server hit; null when nothing to add. */
export function explainReportError(e: { source: string; code: number | string | null }): string | null {
  if (e.code === null) return null;
  if (e.source === 'ice') return turnRefusalText(e.code);
  if (e.source === 'signaling' && typeof e.code === 'string') return signalingErrorText(e.code, '');
  return null;
}
