// A throughput test asked from the end of a lobby link that does not lead it: two on-demand PeerDrivers (as the
// lobby makes them) over a simulated link and fake time; what each end's "Your links" row shows is read through
// linkTestMark, as the page does. The follower listens for the next test as soon as one ends; that idle listening
// must not show as a test running at 0 % (it did: the asking page's 97 % fell back to "testing… 0 %" for good).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LINK_CHANNELS } from '../quality/link-test-protocol';
import { fakeChannelPair, fakeLink } from '../quality/fake-link';
import { PeerDriver } from '../peer/peer-driver';
import { ChannelFakePc as FakePc } from '../peer/fake-channel-pc';
import { createAppStore, type AppStore } from '../store/app-store';
import { linkTestMark } from './link-test-mark';

const drivers: PeerDriver[] = [];

/** The lobby's two ends of one link: the offerer leads its tests, the answerer only follows. */
function lobbyLink() {
  const [mainA, mainB] = fakeChannelPair(5);
  const link = fakeLink({ bytesPerMs: 1000, delayMs: 5 }, Date.now);
  const end = (role: 'offerer' | 'answerer', main: unknown, ch: typeof link.a) => {
    const store = createAppStore();
    store.getState().beginTest(Date.now());
    const pc = new FakePc({ p2pcheck: main, [LINK_CHANNELS.control.label]: ch.control, [LINK_CHANNELS.bulk.label]: ch.bulk, [LINK_CHANNELS.probe.label]: ch.probe });
    const driver = new PeerDriver({
      role, store, config: {}, quality: 'on-demand', send: () => undefined,
      now: Date.now, monotonic: Date.now,
      createPeerConnection: () => pc as unknown as RTCPeerConnection,
    });
    drivers.push(driver);
    return { driver, store };
  };
  const leader = end('offerer', mainA, link.a);
  const asker = end('answerer', mainB, link.b);
  // The main channel opens on both ends: the follower starts listening for a link test.
  mainA.dispatchEvent(new Event('open'));
  mainB.dispatchEvent(new Event('open'));
  return { leader, asker };
}

const shown = (store: AppStore) => linkTestMark(store.getState().link.progress, store.getState().link.quality);

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  for (const d of drivers.splice(0)) d.close();
  vi.useRealTimers();
});

describe('a lobby link test as each end shows it', () => {
  it('the end that does not lead shows nothing before, the progress during, and the result after the test — for good', async () => {
    const { leader, asker } = lobbyLink();
    await vi.advanceTimersByTimeAsync(2000); // listening, nothing asked yet
    expect(shown(asker.store)).toEqual({ state: 'none', text: '' });

    // The leader runs the test the asking end queued (lq-ask → the lobby queue → runLinkTest on the leader).
    const done = leader.driver.runLinkTest();
    expect(done).not.toBeNull();
    await vi.advanceTimersByTimeAsync(3000);
    expect(shown(asker.store).state).toBe('running');
    expect(shown(asker.store).text).toMatch(/testing the throughput… [1-9]\d? %/);

    await vi.advanceTimersByTimeAsync(20_000);
    await done;
    for (const end of [leader, asker]) {
      expect(shown(end.store).state).toBe('done');
      expect(shown(end.store).text).toMatch(/^throughput [\d.]+ Mbit\/s up, [\d.]+ Mbit\/s down$/);
    }
    // The asking end listens for the next test again; its row keeps the result.
    await vi.advanceTimersByTimeAsync(10_000);
    expect(shown(asker.store).state).toBe('done');

    // A second test of the same link (asked again) shows as running on that end, then its new result.
    const again = leader.driver.runLinkTest();
    await vi.advanceTimersByTimeAsync(3000);
    expect(shown(asker.store).state).toBe('running');
    await vi.advanceTimersByTimeAsync(20_000);
    await again;
    expect(shown(asker.store).state).toBe('done');
  });
});
