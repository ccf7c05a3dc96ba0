// Drives one RTCPeerConnection for one test: creates it with p2pcheck's data channel, trickles candidates both
// ways (never waits for gathering to finish: with UDP blocked, Chromium's STUN gathering takes ~40 s to time
// out), polls stats, pings over the data channel, and writes everything it sees into the store.
import type { ClientMessage } from '../../common/messages';
import type { ReportCandidate } from '../../common/report';
import type { AppStore } from '../store/app-store';
import { startStatsPoller } from '../stats/stats-poller';
import type { StatsSnapshot } from '../stats/stats-mapping';
import type { SelectedPath } from '../stats/stats-model';
import { selectStatsModel } from '../store/stats-slice';
import { parseCandidateLine } from './candidate-line';
import { selectedPairInfo } from './peer-info';
import { startProtocolHello } from './protocol-hello';
import { startRttPinger } from './rtt-pinger';
import { closeLinkChannels, createLinkChannels, type LinkChannels } from '../quality/link-channels';
import { startLinkTest, type LinkTest } from '../quality/link-test-driver';
import type { LinkQuality } from '../../common/link-quality';
import { startRelayCheck, type RelayCheckHandle } from './relay-check';
import type { CallSession } from '../call/call-session';
import type { CallTest } from '../../common/call-report';
import { encodeChannelMessage, parseChannelMessage } from '../../common/peer-protocol';

export type PeerRole = 'offerer' | 'answerer';

export interface PeerDriverOptions {
  role: PeerRole;
  config: RTCConfiguration;
  store: AppStore;
  send(msg: ClientMessage): void;
  /** Wall clock in ms (Date.now). */
  now?: () => number;
  /** Monotonic clock in ms (performance.now), for RTT. */
  monotonic?: () => number;
  // Lobby options (web/lobby/lobby-session.ts). Left out, the driver does exactly what a two-person room needs.
  /** Perfect negotiation (W3C webrtc-pc §10.7): the polite side rolls back its own offer on glare, the impolite side
   *  ignores the other's. Left out: no glare handling (in a two-person room only the newcomer offers). */
  polite?: boolean;
  /** 'on-demand': the link test waits for runLinkTest() and the relay check for runRelayCheck(). Default 'auto'. */
  quality?: 'auto' | 'on-demand';
  /** RTT pings: interval, and whether they go over the reliable main channel (default) or an unreliable one (no
   *  retransmissions, so a lost ping is a lost packet: loss and jitter as a game or a call would see them). */
  ping?: { intervalMs: number; channel: 'main' | 'unreliable'; onSent?(): void };
  /** getStats() interval, ms (default 500). */
  statsIntervalMs?: number;
  /** The call test after the link test (web/call): 'auto' (default with quality 'auto') or 'off' (default with
   *  'on-demand'). 'on-demand' (the lobby): the offerer leads one when runCallTest() is called, the answerer follows
   *  whenever asked, any number of times. 'decline': this side has no media to call with (the headless peer, cli/):
   *  it tells the other side, whose call test ends as skipped instead of timing out. */
  call?: 'auto' | 'off' | 'decline' | 'on-demand';
  /** Where RTCPeerConnections come from (this test's and the relay check's); the page uses the browser's, the
   *  headless peer (cli/) werift's. */
  createPeerConnection?: (config: RTCConfiguration) => RTCPeerConnection;
  /** The relay check's TURN servers, read when it begins (the room: its nearest ICE region). Default: config's. */
  relayIceServers?: () => RTCIceServer[];
}

/** Negotiated id of the lobby's unreliable ping channel (the link channels use 1-3). */
const PING_CHANNEL_ID = 9;

// Fields Chromium exposes beyond the lib.dom typings (relayProtocol, url: W3C webrtc-pc §5.4 / §4.8.1).
type CandidateExtras = { relayProtocol?: string | null; url?: string | null };

let nextLocalId = 0;
/** The leader measures after the path settles, or this long after the data channel opened. */
const LINK_START_MAX_WAIT_MS = 6000;
/** getStats() interval while a connected path is not yet settled. */
const SETTLING_STATS_MS = 250;

export class PeerDriver {
  readonly pc: RTCPeerConnection;
  private readonly channel: RTCDataChannel;
  private readonly stops: (() => void)[] = [];
  private readonly pendingRemote: RTCIceCandidateInit[] = [];
  private readonly pendingLocal: (RTCIceCandidateInit | null)[] = [];
  private descriptionSent = false;
  private closed = false;
  private readonly now: () => number;
  private readonly monotonic: () => number;
  // Link-quality test: its own negotiated channels, created before the offer on both sides.
  private readonly links: LinkChannels;
  private linkTest: LinkTest | null = null;
  private linkStartTimer: ReturnType<typeof setInterval> | null = null;
  // The relay fallback check (relay-check.ts): after the link measurement, unless this test is relay-only already.
  private relayCheck: RelayCheckHandle | null = null;
  private lastDtlsState: string | null = null;
  private makingOffer = false;
  private ignoreOffer = false;
  private readonly pingChannel: RTCDataChannel | null = null;
  private callSession: CallSession | null = null;
  /** Settles when this side's call test has ended (null: none started). */
  private callDone: Promise<void> | null = null;

  constructor(private readonly opts: PeerDriverOptions) {
    this.now = opts.now ?? Date.now;
    this.monotonic = opts.monotonic ?? (() => performance.now());
    this.pc = opts.createPeerConnection ? opts.createPeerConnection(opts.config) : new RTCPeerConnection(opts.config);
    // Negotiated on both sides (same id), so neither waits for an in-band DCEP open.
    this.channel = this.pc.createDataChannel('p2pcheck', { negotiated: true, id: 0 });
    this.links = createLinkChannels(this.pc);
    if (opts.ping?.channel === 'unreliable') {
      this.pingChannel = this.pc.createDataChannel('p2pcheck-ping', { negotiated: true, id: PING_CHANNEL_ID, ordered: false, maxRetransmits: 0 });
    }
    this.s.resetLink();
    this.s.resetCall();
    // ?call=off in the room's address skips the call test (as the skip button does).
    if (typeof location !== 'undefined' && new URLSearchParams(location.search).get('call') === 'off') this.s.requestCallSkip();
    if (!this.callEnabled && this.opts.call !== 'on-demand') this.s.setCallPhase('off');
    // The skip button, pressed while the call runs: both sides stop, the other is told.
    this.stops.push(opts.store.subscribe((s, prev) => s.call.skipRequested && !prev.call.skipRequested && this.callSession?.stop('skipped by the user', true)));
    this.wire();
    // Faster while a connected path is still being settled: the report (and a lobby's matrix) names the path at the
    // first poll after it settled, so the poll's interval is part of the time to an answer.
    const statsMs = opts.statsIntervalMs ?? 500;
    const settling = () => this.pc.connectionState === 'connected' && !this.s.stats.selection.settled;
    this.stops.push(startStatsPoller(this.pc, (snapshot) => this.onSnapshot(snapshot), () => (settling() ? Math.min(statsMs, SETTLING_STATS_MS) : statsMs)));
    if (opts.role === 'offerer') void this.makeOffer();
  }

  private get s() {
    return this.opts.store.getState();
  }

  private at(): number {
    return this.s.sinceStart(this.now());
  }

  private wire(): void {
    const { pc } = this;
    pc.addEventListener('icecandidate', (ev: RTCPeerConnectionIceEvent) => {
      if (this.closed) return;
      const c = ev.candidate;
      if (!c || !c.candidate) {
        this.s.setGatheringComplete();
        this.sendCandidate(null);
        return;
      }
      const row = this.localRow(c, (ev as RTCPeerConnectionIceEvent & { url?: string | null }).url ?? null);
      if (row) {
        this.s.addLocalCandidate(row);
        this.s.markTiming('firstCandidate', row.at ?? 0);
      }
      this.sendCandidate(c.toJSON());
    });
    pc.addEventListener('icecandidateerror', (ev: Event) => {
      const e = ev as RTCPeerConnectionIceErrorEvent;
      const where = e.address ? ` (from ${e.address}:${e.port ?? '?'})` : '';
      this.s.addError({ at: this.at(), source: 'ice', code: e.errorCode, message: `${e.url}: ${e.errorText || 'no answer'}${where}` });
    });
    pc.addEventListener('iceconnectionstatechange', () => !this.closed && this.s.recordIceEvent({ at: this.at(), kind: 'ice', state: pc.iceConnectionState }));
    pc.addEventListener('icegatheringstatechange', () => !this.closed && this.s.recordIceEvent({ at: this.at(), kind: 'gathering', state: pc.iceGatheringState }));
    pc.addEventListener('connectionstatechange', () => {
      if (this.closed) return;
      this.s.recordIceEvent({ at: this.at(), kind: 'connection', state: pc.connectionState });
      switch (pc.connectionState) {
        case 'connected':
          this.s.markTiming('connected', this.at());
          this.s.setPeerState('connected');
          break;
        case 'disconnected':
          this.s.setPeerState('disconnected');
          break;
        case 'failed':
          this.s.setPeerState('failed');
          this.s.addError({ at: this.at(), source: 'ice', code: 'failed', message: 'ICE failed: no candidate pair could connect' });
          break;
        case 'new':
        case 'connecting':
          this.s.setPeerState('connecting');
          break;
        case 'closed':
          break;
      }
    });
    this.channel.addEventListener('open', () => {
      if (this.closed) return;
      this.s.recordIceEvent({ at: this.at(), kind: 'channel-open', label: this.channel.label });
      // Closed by the other side (its tab closed, or it restarted the test): the peer is gone.
      this.channel.addEventListener('close', () => !this.closed && this.s.setPeerState('peer-left'));
      // A page of another peer protocol version is named in the report (not left to misparse silently).
      this.stops.push(startProtocolHello(this.channel, (message) => this.s.addError({ at: this.at(), source: 'peer-protocol', code: null, message })));
      this.startRelayCheck();
      if (this.opts.call === 'decline') this.declineCalls();
      if (this.callEnabled && this.opts.role === 'answerer') this.callDone = this.runCall();
      if (this.opts.call === 'on-demand' && this.opts.role === 'answerer') this.followCalls();
      if (this.opts.quality === 'on-demand') this.listenForLinkTest();
      else this.startLinkTest();
      const ping = this.opts.ping;
      if (!this.pingChannel) {
        this.stops.push(startRttPinger(this.channel, { intervalMs: ping?.intervalMs, now: this.monotonic, onSample: (rtt) => this.s.addRttSample(this.at(), rtt) }));
      }
    });
    const pingChannel = this.pingChannel;
    pingChannel?.addEventListener('open', () => {
      if (this.closed) return;
      const ping = this.opts.ping;
      this.stops.push(startRttPinger(pingChannel, { intervalMs: ping?.intervalMs, now: this.monotonic, onPing: ping?.onSent, onSample: (rtt) => this.s.addRttSample(this.at(), rtt) }));
    });
  }

  private localRow(c: RTCIceCandidate, eventUrl: string | null): ReportCandidate | null {
    const parsed = parseCandidateLine(c.candidate);
    if (!parsed) return null;
    const extras = c as RTCIceCandidate & CandidateExtras;
    return {
      id: `local-${nextLocalId++}`,
      type: parsed.type,
      protocol: parsed.protocol,
      address: parsed.address,
      port: parsed.port,
      priority: parsed.priority,
      relayProtocol: parsed.type === 'relay' ? (extras.relayProtocol ?? null) : null,
      url: eventUrl ?? extras.url ?? null,
      at: this.at(),
    };
  }

  private sendCandidate(c: RTCIceCandidateInit | null): void {
    if (!this.descriptionSent) {
      this.pendingLocal.push(c);
      return;
    }
    this.opts.send({ type: 'candidate', candidate: c === null ? null : toWire(c) });
  }

  private sendDescription(d: RTCSessionDescription | null): void {
    if (!d || (d.type !== 'offer' && d.type !== 'answer')) return;
    this.opts.send({ type: 'description', description: { type: d.type, sdp: d.sdp } });
    this.descriptionSent = true;
    for (const c of this.pendingLocal.splice(0)) this.sendCandidate(c);
  }

  private async makeOffer(): Promise<void> {
    try {
      this.makingOffer = true;
      // Perfect negotiation: the description the state needs now (an offer raced by the other's may have become an answer).
      if (this.opts.polite === undefined) await this.pc.setLocalDescription(await this.pc.createOffer());
      else await this.pc.setLocalDescription();
      if (!this.closed) this.sendDescription(this.pc.localDescription);
    } catch (err) {
      this.fail('offer', err);
    } finally {
      this.makingOffer = false;
    }
  }

  /** ICE restart (RFC 8445 §9) with a new offer from this side; only with perfect negotiation (the other side may
   *  restart at the same moment). False when an offer/answer exchange is under way (it will carry on instead). */
  restartIce(): boolean {
    if (this.closed || this.opts.polite === undefined || this.pc.signalingState !== 'stable' || this.makingOffer) return false;
    this.pc.restartIce();
    void this.makeOffer();
    return true;
  }

  async handleDescription(d: { type: 'offer' | 'answer'; sdp: string }): Promise<void> {
    if (this.closed) return;
    try {
      if (this.opts.polite !== undefined) {
        // Perfect negotiation: on glare the impolite side ignores the other's offer, the polite one rolls back.
        const collision = d.type === 'offer' && (this.makingOffer || this.pc.signalingState !== 'stable');
        this.ignoreOffer = collision && !this.opts.polite;
        if (this.ignoreOffer) return;
        // Rolling back is only possible from have-local-offer (an offer still being created has nothing to undo).
        if (collision && this.pc.signalingState === 'have-local-offer') await this.pc.setLocalDescription({ type: 'rollback' });
      }
      await this.pc.setRemoteDescription(d);
      if (d.type === 'offer') {
        await this.pc.setLocalDescription(await this.pc.createAnswer());
        if (!this.closed) this.sendDescription(this.pc.localDescription);
      }
      for (const c of this.pendingRemote.splice(0)) await this.addRemote(c);
    } catch (err) {
      this.fail('description', err);
    }
  }

  async handleCandidate(c: RTCIceCandidateInit | null): Promise<void> {
    if (this.closed || c === null || !c.candidate) return; // end-of-candidates needs no action for a data channel
    const parsed = parseCandidateLine(c.candidate);
    if (parsed) {
      this.s.addRemoteCandidate({
        id: `remote-${nextLocalId++}`,
        type: parsed.type,
        protocol: parsed.protocol,
        address: parsed.address,
        port: parsed.port,
        priority: parsed.priority,
        relayProtocol: null,
        url: null,
        at: this.at(),
      });
    }
    if (!this.pc.remoteDescription) this.pendingRemote.push(c);
    else await this.addRemote(c);
  }

  private async addRemote(c: RTCIceCandidateInit): Promise<void> {
    try {
      await this.pc.addIceCandidate(c);
    } catch (err) {
      if (this.ignoreOffer) return; // candidates of an offer this side ignored on glare
      this.s.addError({ at: this.at(), source: 'remote-candidate', code: null, message: `could not add the peer's candidate: ${errorText(err)}` });
    }
  }

  private onSnapshot(snapshot: StatsSnapshot): void {
    if (this.closed) return;
    const before = this.s.stats.selection.selectedPairId;
    this.s.applyStats(snapshot, this.at());
    const model = selectStatsModel(this.s);
    this.s.recordPairStates(model.pairs, this.at(), model.local, model.remote);
    if (snapshot.dtlsState && snapshot.dtlsState !== this.lastDtlsState) {
      this.lastDtlsState = snapshot.dtlsState;
      this.s.recordIceEvent({ at: this.at(), kind: 'dtls', state: snapshot.dtlsState });
    }
    const after = this.s.stats.selection.selectedPairId;
    if (model.selected && after && after !== before) this.shareSelectedPair(model.selected);
  }

  /** Tells the other peer which local candidate carries our end of the pair, so it can judge the path from both ends. */
  private shareSelectedPair({ local }: SelectedPath): void {
    const info = selectedPairInfo(
      { type: local.type, address: local.address, port: local.port, relayProtocol: local.relayProtocol, protocol: local.protocol },
      this.s.peer.relayOnly,
    );
    this.opts.send({ type: 'peer-info', info });
  }

  /**
   * The follower listens from the start (it only reacts); the leader (offerer) starts once the selected path
   * has settled — measuring a relay pair the browser is about to leave would describe the wrong path — or
   * after LINK_START_MAX_WAIT_MS at the latest.
   */
  private startLinkTest(): void {
    const begin = () => void this.beginLinkTest();
    if (this.opts.role === 'answerer') return begin();
    const openedAt = this.monotonic();
    this.linkStartTimer = setInterval(() => {
      if (this.closed || this.s.stats.selection.settled || this.monotonic() - openedAt >= LINK_START_MAX_WAIT_MS) {
        if (this.linkStartTimer !== null) clearInterval(this.linkStartTimer);
        this.linkStartTimer = null;
        begin();
      }
    }, 200);
  }

  private beginLinkTest(): Promise<LinkQuality> | null {
    if (this.closed || this.linkTest) return null;
    const testNumber = this.s.peer.testNumber;
    const onDemand = this.opts.quality === 'on-demand';
    const test = startLinkTest({
      role: this.opts.role === 'offerer' ? 'leader' : 'follower',
      channels: this.links,
      now: this.monotonic,
      sinceStart: () => this.at(),
      onProgress: (p) => this.s.peer.testNumber === testNumber && this.s.setLinkProgress(p),
    });
    this.linkTest = test;
    void test.done.then((q) => {
      if (this.s.peer.testNumber !== testNumber) return;
      if (onDemand) {
        // Ready for the next run: the follower listens again, the leader waits for runLinkTest().
        this.linkTest = null;
        this.s.setLinkQuality(q);
        if (this.opts.role === 'answerer') this.beginLinkTest();
        return;
      }
      // Relay check (after the call test, which the leader starts now) before the quality: the report counts as
      // complete (and is saved) only once neither is still to come.
      if (this.callEnabled && this.s.call.phase === 'idle') this.s.setCallPhase('pending');
      // Both sides hold the relay check until their call has ended (its responder times out otherwise).
      if (this.callEnabled && this.opts.role === 'offerer') this.callDone = this.runCall();
      if (this.opts.call === 'decline' && this.opts.role === 'offerer') this.sendCallSkip();
      if (this.callDone) void this.callDone.then(() => this.s.peer.testNumber === testNumber && this.relayCheck?.start());
      else this.relayCheck?.start();
      this.s.setLinkQuality(q);
    });
    return test.done;
  }

  private get callEnabled(): boolean {
    return (this.opts.call ?? (this.opts.quality === 'on-demand' ? 'off' : 'auto')) === 'auto';
  }

  /** The call test (web/call/call-session.ts, loaded only now): the offerer leads it after the link test, the
   *  answerer listens from the channel's opening. Skipped when the user asked before it began. */
  private async runCall(asked = false): Promise<void> {
    const testNumber = this.s.peer.testNumber;
    const current = () => !this.closed && this.s.peer.testNumber === testNumber;
    let result: CallTest;
    try {
      const { startCallSession, browserName } = await import('../call/call-session');
      if (!current()) return;
      const session = startCallSession({
        role: this.opts.role === 'offerer' ? 'leader' : 'follower',
        pc: this.pc,
        channel: this.channel,
        sinceStart: () => this.at(),
        browser: browserName(navigator.userAgent),
        onProgress: (p) => current() && this.s.setCallProgress(p),
        asked,
      });
      this.callSession = session;
      if (this.s.call.skipRequested) session.stop('skipped by the user', true);
      result = await session.done;
    } catch (err) {
      result = { version: 1, status: 'failed', reason: `the call test could not load: ${errorText(err)}`, startedAt: this.at(), durationMs: null, browser: null, incoming: null, outgoing: null, disagreement: null };
    }
    this.callSession = null;
    if (current()) this.s.setCallResult(result);
  }

  /** call 'on-demand', the answerer: a call-start starts a follower, whenever it comes (a call-start during a call
   *  waits for it to end); a call-skip while no call runs is the leader declining (the headless peer has no media). */
  private followCalls(): void {
    let again = false;
    const follow = (): void => {
      const testNumber = this.s.peer.testNumber;
      this.s.setCallPhase('pending');
      this.callDone = this.runCall(true).then(() => {
        this.callDone = null;
        if (again && !this.closed && this.s.peer.testNumber === testNumber) follow();
        again = false;
      });
    };
    const onMessage = (ev: MessageEvent) => {
      const m = parseChannelMessage(ev.data);
      if (m?.t === 'call-start') {
        if (this.callDone) again = true;
        else follow();
      } else if (m?.t === 'call-skip' && !this.callDone) {
        this.s.setCallResult(declinedCall(m.reason, this.at()));
      }
    };
    this.channel.addEventListener('message', onMessage);
    this.stops.push(() => this.channel.removeEventListener('message', onMessage));
  }

  /** Runs a call test now (call 'on-demand' or 'decline', offerer side); settles when it ended, with this side's
   *  result in the store. Null when it cannot start (this side only follows, the channel is not open, or a call
   *  runs). Declining, it tells the other side and records the call as skipped. */
  runCallTest(): Promise<void> | null {
    const mode = this.opts.call;
    if ((mode !== 'on-demand' && mode !== 'decline') || this.opts.role !== 'offerer' || !this.channelOpen || this.callDone) return null;
    if (mode === 'decline') {
      this.sendCallSkip();
      this.s.setCallResult(declinedCall('this peer has no audio or video (headless)', this.at()));
      return Promise.resolve();
    }
    this.s.setCallPhase('pending');
    const done = this.runCall().then(() => {
      this.callDone = null;
    });
    this.callDone = done;
    return done;
  }

  /** call 'decline': answer the leader's call-start with call-skip (the follower side). */
  private declineCalls(): void {
    const onMessage = (ev: MessageEvent) => parseChannelMessage(ev.data)?.t === 'call-start' && this.sendCallSkip();
    this.channel.addEventListener('message', onMessage);
    this.stops.push(() => this.channel.removeEventListener('message', onMessage));
  }

  private sendCallSkip(): void {
    if (this.channel.readyState === 'open') this.channel.send(encodeChannelMessage({ t: 'call-skip', reason: 'the other peer has no audio or video (headless)' }));
  }

  /** On demand (quality 'on-demand'): the answerer listens for the link test from the start; the offerer leads it
   *  when asked. */
  private listenForLinkTest(): void {
    if (this.opts.role === 'answerer') this.beginLinkTest();
  }

  /** Runs the link test now (quality 'on-demand', offerer side only). Null when it cannot start (this side only
   *  follows, the channel is not open, or a test is running). */
  runLinkTest(): Promise<LinkQuality> | null {
    if (this.opts.quality !== 'on-demand' || this.opts.role !== 'offerer' || !this.channelOpen) return null;
    return this.beginLinkTest();
  }

  /** Starts the relay fallback check now (quality 'on-demand', offerer side; the answerer always responds). */
  runRelayCheck(): boolean {
    if (this.opts.quality !== 'on-demand' || this.opts.role !== 'offerer' || !this.relayCheck) return false;
    this.relayCheck.start();
    return true;
  }

  /** Which side leads the link test and starts the relay check. */
  get leads(): boolean {
    return this.opts.role === 'offerer';
  }

  private startRelayCheck(): void {
    if (this.opts.config.iceTransportPolicy === 'relay') return; // the test's own connection is relayed
    const testNumber = this.s.peer.testNumber;
    this.relayCheck = startRelayCheck({
      role: this.opts.role === 'offerer' ? 'starter' : 'responder',
      channel: this.channel,
      iceServers: this.opts.relayIceServers ?? this.opts.config.iceServers ?? [],
      createPeerConnection: this.opts.createPeerConnection,
      now: this.monotonic,
      sinceStart: () => this.at(),
      onUpdate: (c) => this.s.peer.testNumber === testNumber && this.s.setRelayCheck(c),
    });
  }

  private fail(step: string, err: unknown): void {
    this.s.addError({ at: this.at(), source: `webrtc-${step}`, code: null, message: errorText(err) });
  }

  /** False once p2pcheck's data channel closed (the other side closed its connection or we did). */
  get channelOpen(): boolean {
    return this.channel.readyState === 'open';
  }

  /** Ends this test's connection; the store keeps what was measured. Idempotent. */
  close(reason = 'the test was stopped before the link measurement finished'): void {
    if (this.closed) return;
    this.closed = true;
    if (this.linkStartTimer !== null) clearInterval(this.linkStartTimer);
    this.linkTest?.stop(reason);
    this.relayCheck?.stop();
    this.callSession?.stop(reason);
    closeLinkChannels(this.links);
    for (const stop of this.stops.splice(0)) stop();
    this.channel.close();
    this.pingChannel?.close();
    this.pc.close();
  }
}

/** A call test that never began: the other side (or this one) has no media to call with. */
function declinedCall(reason: string, at: number): CallTest {
  return { version: 1, status: 'skipped', reason, startedAt: at, durationMs: null, browser: null, incoming: null, outgoing: null, disagreement: null };
}

function toWire(c: RTCIceCandidateInit) {
  return { candidate: c.candidate ?? '', sdpMid: c.sdpMid ?? null, sdpMLineIndex: c.sdpMLineIndex ?? null, usernameFragment: c.usernameFragment ?? null };
}

const errorText = (err: unknown) => (err instanceof Error ? `${err.name}: ${err.message}` : String(err));
