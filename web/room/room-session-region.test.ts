// With ICE_REGIONS the room's own connection and its relay check use the region this side's "Check my network"
// ranked nearest — not the default (first) region. The PeerDriver is replaced by a stub that records what the
// session hands it; the signaling socket and /api/ice-servers are fakes that answer as the server would.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { IceServersResponse } from '../../common/messages';
import type { PeerDriverOptions } from '../peer/peer-driver';
import { emptyDiagnosis } from '../diagnosis/run-diagnosis';
import { FakeWebSocket } from '../signaling/fake-signaling-socket';
import { appStore } from '../store/app-store';
import { startRoomSession, type RoomSession } from './room-session';

const made = vi.hoisted(() => [] as PeerDriverOptions[]);
vi.mock('../peer/peer-driver', () => ({
  PeerDriver: class {
    channelOpen = false;
    pc = { connectionState: 'new' };
    constructor(opts: PeerDriverOptions) {
      made.push(opts);
    }
    close() {}
    async handleDescription() {}
    async handleCandidate() {}
  },
}));

const FAR = [{ urls: ['turn:far.example:3478'], username: 'u-far', credential: 'c-far' }];
const NEAR = [{ urls: ['turn:near.example:3478'], username: 'u-near', credential: 'c-near' }];
const ICE: IceServersResponse = { iceServers: FAR, ttl: 3600, regions: [{ id: 'far', iceServers: FAR }, { id: 'near', iceServers: NEAR }] };

const initial = appStore.getInitialState();
let session: RoomSession | null = null;

beforeEach(() => {
  appStore.setState(initial, true);
  made.length = 0;
  FakeWebSocket.sockets = [];
  vi.stubGlobal('WebSocket', FakeWebSocket);
  vi.stubGlobal('location', { protocol: 'http:', host: 'p2pcheck.test', search: '' });
});
afterEach(() => {
  session?.stop();
  session = null;
  vi.unstubAllGlobals();
});

/** This side's diagnosis as it stands once the regions are ranked (run-diagnosis publishes it then). */
function rankedNearest(used: string | null): void {
  const d = emptyDiagnosis('bundled');
  d.regions = { ranking: [{ id: 'near', name: 'Nearby', rttMs: 12, samples: [12] }, { id: 'far', name: 'Far away', rttMs: 160, samples: [160] }], used, method: 'test' };
  appStore.getState().updateDiagnosis(appStore.getState().diagnosis.run, d);
}

async function peerArrives(ice: IceServersResponse = ICE): Promise<PeerDriverOptions> {
  session = startRoomSession({ roomId: 'AAAAAAAAAAAAAAAAAAAAAA', relayOnly: false, store: appStore, wsUrl: 'ws://p2pcheck.test/ws', fetchJson: async () => ice, diagnosis: false });
  const ws = FakeWebSocket.sockets[0]!;
  ws.serverOpens();
  ws.serverSends({ type: 'joined', roomId: 'AAAAAAAAAAAAAAAAAAAAAA', peerId: 'me', peers: ['other'], polite: false });
  await vi.waitFor(() => expect(made).toHaveLength(1));
  return made[0]!;
}

describe('room session with ICE regions', () => {
  it('ranking known before the peer arrives: the connection and the relay check use the nearest region and its credential', async () => {
    rankedNearest('near');
    const opts = await peerArrives();
    expect(opts.config.iceServers).toEqual(NEAR);
    expect(opts.relayIceServers?.()).toEqual(NEAR);
  });

  it('ranking known only after the connection was made: the relay check, which begins later, still uses the nearest region', async () => {
    const opts = await peerArrives();
    expect(opts.config.iceServers).toEqual(FAR);
    rankedNearest('near');
    expect(opts.relayIceServers?.()).toEqual(NEAR);
  });

  it('no region answered, or no ICE_REGIONS: the default servers, as before', async () => {
    rankedNearest(null);
    const opts = await peerArrives({ iceServers: FAR, ttl: 3600 });
    expect(opts.config.iceServers).toEqual(FAR);
    expect(opts.relayIceServers?.() ?? opts.config.iceServers).toEqual(FAR);
  });
});
