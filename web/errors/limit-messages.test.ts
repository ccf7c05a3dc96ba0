import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../common/messages';
import { ApiRequestError, httpFailureOf } from './api-error';
import { explainReportError, httpFailureText, parseRetryAfter, signalingErrorText, turnRefusalText, type ApiService, type HttpFailure } from './limit-messages';

const failure = (status: number, extra: Partial<HttpFailure> = {}): HttpFailure => ({ status, code: null, error: null, retryAfterSeconds: null, ...extra });

describe('signaling error codes', () => {
  it.each(Object.values(ErrorCode))('%s has a sentence of its own, not the server’s words', (code) => {
    const text = signalingErrorText(code, 'SERVER WORDS');
    expect(text).not.toContain('SERVER WORDS');
    expect(text).not.toContain(code);
    expect(text).toMatch(/^[A-Z].{30,}\.$/);
  });

  it('every code gets a different sentence', () => {
    const all = Object.values(ErrorCode).map((c) => signalingErrorText(c, ''));
    expect(new Set(all).size).toBe(all.length);
  });

  it('the limits say what happened and what to do', () => {
    expect(signalingErrorText('too-many-connections', '')).toMatch(/too many|as many signaling connections from your network as it allows/);
    expect(signalingErrorText('too-many-connections', '')).toMatch(/Close the other tabs/);
    expect(signalingErrorText('rate-limited', '')).toMatch(/too many messages too fast/);
    expect(signalingErrorText('too-large', '')).toMatch(/larger than the server accepts/);
    expect(signalingErrorText('malformed', '')).toMatch(/could not read/);
    expect(signalingErrorText('origin-not-allowed', '')).toMatch(/ALLOWED_ORIGINS/);
  });

  it('a code this page does not know yet (a newer server) shows the server’s own words', () => {
    expect(signalingErrorText('brand-new-limit', 'slow down please')).toBe('The signaling server refused a message (brand-new-limit): slow down please.');
  });
});

describe('HTTP answers from the API', () => {
  it('429 from /api/ice-servers names relay credentials, your network and the delay', () => {
    expect(httpFailureText('ice-servers', failure(429, { code: 'rate-limited', retryAfterSeconds: 42 }))).toBe(
      'This server is handing out too many relay credentials to your network right now; try again in 42 s.',
    );
    expect(httpFailureText('ice-servers', failure(429))).toMatch(/try again in a minute\.$/);
  });

  it('429 from saving a report: too many saves in a short time, or too many stored reports', () => {
    expect(httpFailureText('report-save', failure(429, { code: 'rate-limited', retryAfterSeconds: 20 }))).toBe(
      'This server has saved too many reports from your network in a short time; try again in 20 s.',
    );
    expect(httpFailureText('report-save', failure(429, { code: 'too-many-reports', retryAfterSeconds: 3600 }))).toMatch(
      /already keeps as many saved reports from your network as it allows; try again in 3600 s/,
    );
    expect(httpFailureText('report-save', failure(503, { code: 'store-full', error: 'x' }))).toMatch(/as many saved reports as it can hold/);
  });

  it('429 and 503 from the probe: your network’s share, or everyone’s', () => {
    expect(httpFailureText('probe', failure(429, { code: 'too-many-probes', retryAfterSeconds: 120 }))).toMatch(
      /already running as many network checks from your network as it allows .*try again in 120 s\.$/,
    );
    expect(httpFailureText('probe', failure(503, { code: 'busy', error: 'too many network checks running (200)' }))).toMatch(
      /as many network checks as it can for everyone right now; try again in a minute\.$/,
    );
    // Another 503 (the STUN server is off) keeps the server's reason.
    expect(httpFailureText('probe', failure(503, { code: 'no-probe', error: 'the bundled STUN server is not running.' }))).toBe(
      'The server cannot do this right now: the bundled STUN server is not running.',
    );
  });

  it.each<ApiService>(['ice-servers', 'config', 'probe', 'report-save', 'report-load'])('%s: any 429 says “your network” and when to try again', (service) => {
    const text = httpFailureText(service, failure(429, { retryAfterSeconds: 7 }));
    expect(text).toMatch(/your network/);
    expect(text).toMatch(/try again in 7 s/);
  });

  it('other errors keep the server’s words, or the sentence for the code, or the status', () => {
    expect(httpFailureText('report-load', failure(404, { code: 'not-found', error: 'no such report, or it has expired' }))).toBe('no such report, or it has expired');
    expect(httpFailureText('report-load', failure(404, { code: 'not-found' }))).toMatch(/no such page or API/);
    expect(httpFailureText('config', failure(502))).toBe('The server answered HTTP 502.');
  });

  it('Retry-After in seconds or as a date; the header wins over the body', async () => {
    expect(parseRetryAfter('30', 0)).toBe(30);
    expect(parseRetryAfter(new Date(61_000).toUTCString(), 1_000)).toBe(60);
    expect(parseRetryAfter('soon', 0)).toBeNull();
    expect(parseRetryAfter(null, 0)).toBeNull();
    const res = new Response(JSON.stringify({ code: 'rate-limited', error: 'too many', retryAfter: 99 }), { status: 429, headers: { 'retry-after': '12' } });
    expect(await httpFailureOf(res)).toEqual({ status: 429, code: 'rate-limited', error: 'too many', retryAfterSeconds: 12 });
    const bodyOnly = new Response(JSON.stringify({ code: 'rate-limited', retryAfter: 9 }), { status: 429 });
    expect((await httpFailureOf(bodyOnly)).retryAfterSeconds).toBe(9);
    const notJson = new Response('<html>Too Many Requests</html>', { status: 429 });
    const err = new ApiRequestError('ice-servers', await httpFailureOf(notJson));
    expect(err.message).toBe('This server is handing out too many relay credentials to your network right now; try again in a minute.');
    expect(err.failure.status).toBe(429);
  });
});

describe('TURN refusals in ICE errors', () => {
  it('486 and 508 are explained; other codes are not limits', () => {
    expect(turnRefusalText(486)).toMatch(/^the relay server refused: too many relays from your network \(486 Allocation Quota Reached\)\. /);
    expect(turnRefusalText('508')).toMatch(/^the relay server refused: it has no capacity left for more relays right now, for anyone \(508 Insufficient Capacity\)\. /);
    for (const code of [401, 403, 437, 701, null, 'failed']) expect(turnRefusalText(code)).toBeNull();
  });

  it('the report’s error list explains ICE 486 and signaling refusals, and nothing else', () => {
    expect(explainReportError({ source: 'ice', code: 486 })).toMatch(/too many relays from your network/);
    expect(explainReportError({ source: 'signaling', code: 'rate-limited' })).toMatch(/too many messages too fast/);
    expect(explainReportError({ source: 'ice', code: 701 })).toBeNull();
    expect(explainReportError({ source: 'page', code: null })).toBeNull();
  });
});
