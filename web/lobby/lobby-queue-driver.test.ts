// The lobby queue over simulated lobby channels (a full mesh of fake channels with a delay each way) and fake
// time: however the pages ask, at most one test runs in the whole lobby at a time, every link asked for is
// tested exactly once, and a page that leaves, never takes part, or hangs does not stop the others.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { encodeLobbyQueueMessage } from '../../common/peer-protocol';
import type { LobbyJob } from './lobby-queue';
import { LobbyQueueDriver, type LobbyChannel } from './lobby-queue-driver';

class FakeChannel extends EventTarget implements LobbyChannel {
  readyState: RTCDataChannelState = 'connecting';
  peer: FakeChannel | null = null;
  constructor(private readonly delayMs: number) {
    super();
  }
  send(data: string): void {
    if (this.readyState !== 'open') throw new Error('InvalidStateError');
    const peer = this.peer!;
    setTimeout(() => peer.readyState === 'open' && peer.dispatchEvent(new MessageEvent('message', { data })), this.delayMs);
  }
  open(): void {
    this.readyState = 'open';
    this.dispatchEvent(new Event('open'));
  }
  close(): void {
    if (this.readyState === 'closed') return;
    this.readyState = 'closed';
    this.dispatchEvent(new Event('close'));
  }
}

interface FakePage {
  id: string;
  driver: LobbyQueueDriver;
  /** Channels to each other page, by its id. */
  channels: Map<string, FakeChannel>;
  ran: LobbyJob[];
}

/** Jobs running in the whole lobby right now, and the most there ever were. */
let running = 0;
let peak = 0;
let log: string[] = [];

/** `old`: pages from before the lobby queue (their end of the channel exists, nothing reads or says hello). */
function lobby(n: number, { jobMs = 1000, delayMs = 15, jobMaxMs = 60_000, hang = new Set<string>(), old = new Set<string>() } = {}): FakePage[] {
  const ids = Array.from({ length: n }, (_, i) => `p${i}`);
  const pages: FakePage[] = ids.map((id, i) => {
    const page: FakePage = { id, channels: new Map(), ran: [], driver: null! };
    page.driver = new LobbyQueueDriver({
      selfId: id,
      // The later joiner (higher index) leads, as in the lobby (the newcomer offers).
      leads: (other) => ids.indexOf(other) < i,
      ledLinks: () => ids.filter((o) => ids.indexOf(o) < i),
      jobMaxMs,
      onChange: () => undefined,
      run: (job) => {
        page.ran.push(job);
        log.push(`${id}→${job.peerId} ${job.kind}`);
        running++;
        peak = Math.max(peak, running);
        if (hang.has(id)) return new Promise(() => undefined);
        return new Promise((resolve) => setTimeout(() => {
          running--;
          resolve(undefined);
        }, jobMs));
      },
    });
    return page;
  });
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const a = new FakeChannel(delayMs);
      const b = new FakeChannel(delayMs);
      a.peer = b;
      b.peer = a;
      pages[i]!.channels.set(ids[j]!, a);
      pages[j]!.channels.set(ids[i]!, b);
      if (!old.has(ids[i]!)) pages[i]!.driver.attach(ids[j]!, a);
      if (!old.has(ids[j]!)) pages[j]!.driver.attach(ids[i]!, b);
    }
  }
  return pages;
}

const openAll = (pages: FakePage[]) => {
  for (const p of pages) for (const c of p.channels.values()) if (c.readyState !== 'open') c.open();
};
const linkName = (a: string, b: string) => [a, b].sort().join('-');
const testedLinks = (pages: FakePage[]) => pages.flatMap((p) => p.ran.filter((j) => j.kind === 'link-test').map((j) => linkName(p.id, j.peerId))).sort();
const allLinks = (n: number) => Array.from({ length: n }, (_, i) => Array.from({ length: n - i - 1 }, (_, k) => linkName(`p${i}`, `p${i + k + 1}`))).flat().sort();

beforeEach(() => {
  vi.useFakeTimers();
  running = 0;
  peak = 0;
  log = [];
});
afterEach(() => {
  vi.useRealTimers();
});

describe('lobby queue over simulated lobby channels', () => {
  it('a lobby-wide sweep from one page tests all 28 links of 8 pages, one at a time', async () => {
    const pages = lobby(8);
    openAll(pages);
    await vi.advanceTimersByTimeAsync(100); // hellos
    expect(pages[0]!.driver.sweep()).toBe(0); // the first page leads no link
    await vi.advanceTimersByTimeAsync(28 * 1000 + 28 * 200);
    expect(testedLinks(pages)).toEqual(allLinks(8));
    expect(peak).toBe(1);
    expect(running).toBe(0);
    for (const p of pages) expect(p.driver.view()).toMatchObject({ state: 'idle', running: null, queued: [] });
  });

  it('every page starting its own sweep at the same moment still runs one test at a time', async () => {
    const pages = lobby(5, { delayMs: 40 });
    openAll(pages);
    await vi.advanceTimersByTimeAsync(100);
    for (const p of pages) p.driver.sweep();
    await vi.advanceTimersByTimeAsync(10 * 1000 + 10 * 500);
    expect(testedLinks(pages)).toEqual(allLinks(5)); // each link once, though every page asked for all of them
    expect(peak).toBe(1);
  });

  it('the page that does not lead a link asks the one that does: its button works too', async () => {
    const pages = lobby(3);
    openAll(pages);
    await vi.advanceTimersByTimeAsync(100);
    // p0 leads nothing; its link to p2 is led by p2.
    expect(pages[0]!.driver.request('link-test', 'p2')).toBe(true);
    expect(pages[0]!.driver.request('relay-check', 'p1')).toBe(true);
    await vi.advanceTimersByTimeAsync(3000);
    expect(pages[0]!.ran).toEqual([]);
    expect(pages[2]!.ran).toEqual([{ kind: 'link-test', peerId: 'p0' }]);
    expect(pages[1]!.ran).toEqual([{ kind: 'relay-check', peerId: 'p0' }]);
    expect(peak).toBe(1);
  });

  it('a call test is a job like the others: asked by the page that does not lead, run by the one that does, alone in the lobby', async () => {
    const pages = lobby(3, { jobMs: 12_000 });
    openAll(pages);
    await vi.advanceTimersByTimeAsync(100);
    // p0 presses "Call test" on its link to p2 (led by p2); p1 queues a throughput test of its link to p0 meanwhile.
    expect(pages[0]!.driver.request('call', 'p2')).toBe(true);
    await vi.advanceTimersByTimeAsync(100);
    expect(pages[2]!.driver.view().running).toEqual({ kind: 'call', peerId: 'p0' });
    pages[1]!.driver.request('link-test', 'p0');
    await vi.advanceTimersByTimeAsync(6000);
    expect(pages[1]!.ran).toEqual([]); // waits for the call to end
    await vi.advanceTimersByTimeAsync(14_000);
    expect(log).toEqual(['p2→p0 call', 'p1→p0 link-test']);
    expect(peak).toBe(1);
    // A second call of the same link is a new job once the first has ended.
    pages[0]!.driver.request('call', 'p2');
    await vi.advanceTimersByTimeAsync(13_000);
    expect(pages[2]!.ran).toEqual([{ kind: 'call', peerId: 'p0' }, { kind: 'call', peerId: 'p0' }]);
  });

  it('a page that leaves while the others wait for its grant does not stall the lobby', async () => {
    const pages = lobby(3, { jobMs: 5000 });
    openAll(pages);
    await vi.advanceTimersByTimeAsync(100);
    pages[2]!.driver.request('link-test', 'p1'); // p2 runs a long test and holds back its grants
    await vi.advanceTimersByTimeAsync(200);
    pages[1]!.driver.request('link-test', 'p0');
    await vi.advanceTimersByTimeAsync(1000);
    expect(pages[1]!.driver.view()).toMatchObject({ state: 'asking', waitingFor: ['p2'] });
    // p2's tab closes: its channels close on both ends.
    for (const [id, c] of pages[2]!.channels) {
      c.close();
      pages.find((p) => p.id === id)!.channels.get('p2')!.close();
    }
    running--; // p2's job went with its tab
    await vi.advanceTimersByTimeAsync(1100);
    expect(pages[1]!.ran).toEqual([{ kind: 'link-test', peerId: 'p0' }]);
  });

  it('a page from before the lobby queue (no hello) is not waited for', async () => {
    const pages = lobby(3, { old: new Set(['p2']) });
    openAll(pages);
    await vi.advanceTimersByTimeAsync(100);
    pages[1]!.driver.request('link-test', 'p0');
    await vi.advanceTimersByTimeAsync(200);
    expect(pages[1]!.ran).toEqual([{ kind: 'link-test', peerId: 'p0' }]);
  });

  it('a test that hangs is ended after jobMaxMs, and the lobby carries on', async () => {
    const pages = lobby(3, { jobMaxMs: 20_000, hang: new Set(['p2']) });
    openAll(pages);
    await vi.advanceTimersByTimeAsync(100);
    pages[2]!.driver.request('link-test', 'p0');
    await vi.advanceTimersByTimeAsync(200);
    pages[1]!.driver.request('link-test', 'p0');
    await vi.advanceTimersByTimeAsync(19_000);
    expect(pages[1]!.ran).toEqual([]);
    await vi.advanceTimersByTimeAsync(1500);
    expect(pages[1]!.ran).toEqual([{ kind: 'link-test', peerId: 'p0' }]);
    expect(pages[2]!.driver.view().state).toBe('idle');
  });

  it('ignores what is not a lobby queue message, and requests from a page that never said hello', async () => {
    const pages = lobby(2);
    openAll(pages);
    await vi.advanceTimersByTimeAsync(100);
    const ch = pages[0]!.channels.get('p1')!;
    for (const data of ['{', '{"t":"lq-request"}', '{"t":"lq-grant","ts":-1}', JSON.stringify({ t: 'lq-ask', job: 'teleport' }), 'x'.repeat(5000)]) {
      ch.dispatchEvent(new MessageEvent('message', { data }));
    }
    expect(pages[0]!.driver.view()).toEqual({ state: 'idle', running: null, queued: [], waitingFor: [] });
    // A request from a page whose hello never came changes nothing either.
    const lone = new LobbyQueueDriver({ selfId: 'q', run: async () => undefined, leads: () => false, ledLinks: () => [], jobMaxMs: 1000, onChange: () => undefined });
    const c = new FakeChannel(1);
    c.peer = new FakeChannel(1);
    c.readyState = 'open';
    c.peer.readyState = 'open';
    lone.attach('x', c);
    c.dispatchEvent(new MessageEvent('message', { data: encodeLobbyQueueMessage({ t: 'lq-request', ts: 5 }) }));
    await vi.advanceTimersByTimeAsync(10);
    expect(lone.view()).toEqual({ state: 'idle', running: null, queued: [], waitingFor: [] });
  });
});
