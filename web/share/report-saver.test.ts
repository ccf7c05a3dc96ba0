import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { composeLinkQuality } from '../quality/link-result';
import { appStore } from '../store/app-store';
import { postReport, startReportSaver, type PostReport } from './report-saver';

const initial = appStore.getInitialState();
beforeEach(() => appStore.setState(initial, true));
afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});
/** Runs everything the saver has pending — microtasks and every timer, however far off (a retry with back-off, a
 *  debounce) — so "not saved (again)" holds for good, not just for the next few milliseconds. */
const settle = () => vi.runAllTimersAsync();

const quality = () =>
  composeLinkQuality({
    status: 'done', reason: null, startedAt: 0, finishedAt: 1,
    upload: { bps: 1e6, bytes: 1, durationMs: 1, series: [] }, download: { bps: 2e6, bytes: 1, durationMs: 1, series: [] },
    streamIn: null, streamOut: null, rttIdle: null, rttLoadedUp: null, rttLoadedDown: null,
  });

describe('report saver', () => {
  it('saves once when the test completes (link measured, relay check over), with private addresses masked by default, and re-saves when the choice changes', async () => {
    vi.useFakeTimers();
    const post = vi.fn<PostReport>(async ({ redact }) => ({ id: redact ? 'masked-id' : 'plain-id', url: `/report/${redact ? 'masked-id' : 'plain-id'}`, redacted: redact }));
    const s = appStore.getState();
    s.openRoom('AAAAAAAAAAAAAAAAAAAAAA', false, 1000);
    s.beginTest(2000);
    const stop = startReportSaver(appStore, post);
    s.addLocalCandidate({ id: 'l1', type: 'host', protocol: 'udp', address: '10.0.0.2', port: 1, priority: 1, relayProtocol: null, url: null, at: 5 });
    expect(post).not.toHaveBeenCalled();
    // The relay check starts as the link measurement ends; the report waits for it.
    appStore.getState().setRelayCheck({ state: 'running', startedAt: 9000, connectMs: null, rttMs: null, path: null, reason: null });
    appStore.getState().setLinkQuality(quality());
    await settle();
    expect(post).not.toHaveBeenCalled();
    appStore.getState().setRelayCheck({ state: 'works', startedAt: 9000, connectMs: 420, rttMs: 1.5, path: 'relay-udp', reason: null });
    await vi.waitFor(() => expect(appStore.getState().link.share.status).toBe('saved'));
    expect(post).toHaveBeenCalledTimes(1);
    expect(post.mock.calls[0]![0].redact).toBe(true);
    expect(post.mock.calls[0]![0].report.quality?.upload?.bps).toBe(1e6);
    expect(post.mock.calls[0]![0].report.relayCheck).toMatchObject({ state: 'works', connectMs: 420, path: 'relay-udp' });
    expect(appStore.getState().link.share).toMatchObject({ url: '/report/masked-id', savedRedacted: true });
    // More store updates do not save again…
    appStore.getState().addRttSample(3000, 1);
    await settle();
    expect(post).toHaveBeenCalledTimes(1);
    // …but unmasking does.
    appStore.getState().setShare({ redact: false });
    await vi.waitFor(() => expect(appStore.getState().link.share.url).toBe('/report/plain-id'));
    expect(post).toHaveBeenCalledTimes(2);
    stop();
  });

  it('saves a relay-only test once the link is measured (it has no separate relay check)', async () => {
    const post = vi.fn<PostReport>(async () => ({ id: 'r', url: '/report/r', redacted: true }));
    const s = appStore.getState();
    s.openRoom('AAAAAAAAAAAAAAAAAAAAAA', true, 1000);
    s.beginTest(2000);
    const stop = startReportSaver(appStore, post);
    appStore.getState().setLinkQuality(quality());
    await vi.waitFor(() => expect(appStore.getState().link.share.status).toBe('saved'));
    expect(post.mock.calls[0]![0].report.relayCheck).toBeNull();
    stop();
  });

  it('saves a test that ended without a measurement, and reports a failed save without retrying in a loop', async () => {
    vi.useFakeTimers();
    const post = vi.fn<PostReport>(async () => {
      throw new Error('the server answered HTTP 503');
    });
    const stop = startReportSaver(appStore, post);
    appStore.getState().openRoom('AAAAAAAAAAAAAAAAAAAAAA', false, 1000);
    appStore.getState().beginTest(2000);
    appStore.getState().setPeerState('peer-left');
    await vi.waitFor(() => expect(appStore.getState().link.share.status).toBe('failed'));
    expect(appStore.getState().link.share.error).toMatch(/HTTP 503.*Download JSON/);
    await settle();
    expect(post).toHaveBeenCalledTimes(1);
    stop();
  });

  it('a 429 from the server says in plain words that this network saved too many reports, and when to try again; “Try again” saves again', async () => {
    const fetchMock = vi.fn(async () => new Response(JSON.stringify({ code: 'rate-limited', error: 'too many saved reports' }), { status: 429, headers: { 'retry-after': '17' } }));
    vi.stubGlobal('fetch', fetchMock);
    const stop = startReportSaver(appStore, postReport);
    appStore.getState().openRoom('AAAAAAAAAAAAAAAAAAAAAA', false, 1000);
    appStore.getState().beginTest(2000);
    appStore.getState().setPeerState('peer-left');
    await vi.waitFor(() => expect(appStore.getState().link.share.status).toBe('failed'));
    expect(appStore.getState().link.share.error).toBe(
      'The report was not saved: This server has saved too many reports from your network in a short time; try again in 17 s. \u201cDownload JSON\u201d still works.',
    );
    fetchMock.mockImplementation(async () => new Response(JSON.stringify({ id: 'abc', url: '/report/abc', redacted: true }), { status: 201 }));
    appStore.getState().setShare({ status: 'idle', error: null });
    await vi.waitFor(() => expect(appStore.getState().link.share.url).toBe('/report/abc'));
    expect(fetchMock).toHaveBeenCalledTimes(2);
    stop();
  });
});
