// The lobby queue's adapter (lobby-queue.ts is the pure core): one lobby channel per link (negotiated, id 10, on
// each pair's RTCPeerConnection; common/peer-protocol.ts), the version hello, asks from the other end of a link
// ("test our link" on the page that does not lead it goes to the page that does), the lobby-wide sweep, running a
// job and ending one that hangs after jobMaxMs. Timers and channels are injected, so tests use fakes.
import { LOBBY_QUEUE_VERSION, encodeLobbyQueueMessage, parseLobbyQueueMessage, type LobbyJobKind, type LobbyQueueMessage } from '../../common/peer-protocol';
import { LobbyQueue, type LobbyJob, type LobbyQueueAction, type LobbyQueueView } from './lobby-queue';

/** What the driver needs of an RTCDataChannel. */
export interface LobbyChannel {
  readonly readyState: RTCDataChannelState;
  send(data: string): void;
  addEventListener(type: 'open' | 'close' | 'message', listener: (ev: Event) => void): void;
  removeEventListener(type: 'open' | 'close' | 'message', listener: (ev: Event) => void): void;
}

export interface LobbyQueueDriverOptions {
  selfId: string;
  /** Runs one job of a link this page leads; settles when it ended, whatever the outcome. */
  run(job: LobbyJob): Promise<unknown>;
  /** Whether this page leads the link to `peerId` (its offerer runs the tests). */
  leads(peerId: string): boolean;
  /** The links this page leads that can be tested now (connected), by the other end's peer id. */
  ledLinks(): string[];
  /** A job still running after this long is treated as ended (its link hangs): the lobby must not wait forever. */
  jobMaxMs: number;
  /** Called after every change of the queue (for the store). `finished` counts the jobs this page ran. */
  onChange(view: LobbyQueueView, finished: number): void;
  setTimeout?: (fn: () => void, ms: number) => unknown;
  clearTimeout?: (handle: unknown) => void;
}

interface Attached {
  channel: LobbyChannel;
  detach: () => void;
}

export class LobbyQueueDriver {
  private readonly core: LobbyQueue;
  private readonly channels = new Map<string, Attached>();
  private finished = 0;
  private jobTimer: unknown = null;
  /** Bumped per started job, so a late end of a job already ended by its timer changes nothing. */
  private jobNumber = 0;
  private stopped = false;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;

  constructor(private readonly opts: LobbyQueueDriverOptions) {
    this.core = new LobbyQueue(opts.selfId);
    this.setTimer = opts.setTimeout ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer = opts.clearTimeout ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>));
  }

  view(): LobbyQueueView {
    return this.core.view();
  }

  /** The lobby channel of this page's link to `peerId` (a new connection to the same peer replaces the old one). */
  attach(peerId: string, channel: LobbyChannel): void {
    this.detach(peerId);
    const onOpen = () => this.sendTo(channel, { t: 'lq-hello', v: LOBBY_QUEUE_VERSION });
    const onClose = () => {
      if (this.channels.get(peerId)?.channel === channel) this.detach(peerId);
    };
    const onMessage = (ev: Event) => {
      const msg = parseLobbyQueueMessage((ev as MessageEvent).data);
      if (msg && this.channels.get(peerId)?.channel === channel) this.onMessage(peerId, msg);
    };
    channel.addEventListener('open', onOpen);
    channel.addEventListener('close', onClose);
    channel.addEventListener('message', onMessage);
    this.channels.set(peerId, {
      channel,
      detach: () => {
        channel.removeEventListener('open', onOpen);
        channel.removeEventListener('close', onClose);
        channel.removeEventListener('message', onMessage);
      },
    });
    if (channel.readyState === 'open') onOpen();
  }

  /** The link to `peerId` closed (the peer left): not waited for, its queued jobs dropped. */
  detach(peerId: string): void {
    const a = this.channels.get(peerId);
    if (!a) return;
    a.detach();
    this.channels.delete(peerId);
    this.apply(this.core.peerDown(peerId));
  }

  /** A job of the link to `peerId`: queued here when this page leads the link, else asked of the page that does.
   *  False when neither is possible (no open lobby channel to that peer). */
  request(kind: LobbyJobKind, peerId: string): boolean {
    if (this.stopped) return false;
    if (this.opts.leads(peerId)) {
      if (!this.channels.has(peerId)) return false;
      this.apply(this.core.enqueue({ kind, peerId }));
      return true;
    }
    const a = this.channels.get(peerId);
    if (!a || a.channel.readyState !== 'open') return false;
    this.sendTo(a.channel, { t: 'lq-ask', job: kind });
    return true;
  }

  /** The lobby-wide sweep: this page's led links, and every other page asked to queue its own. Returns how many
   *  links this page queued. */
  sweep(): number {
    if (this.stopped) return 0;
    for (const { channel } of this.channels.values()) if (channel.readyState === 'open') this.sendTo(channel, { t: 'lq-sweep' });
    return this.queueLedLinks();
  }

  stop(): void {
    this.stopped = true;
    if (this.jobTimer !== null) this.clearTimer(this.jobTimer);
    this.jobTimer = null;
    for (const id of [...this.channels.keys()]) this.detach(id);
  }

  private queueLedLinks(): number {
    const ids = this.opts.ledLinks().filter((id) => this.channels.has(id));
    for (const peerId of ids) this.apply(this.core.enqueue({ kind: 'link-test', peerId }));
    return ids.length;
  }

  private onMessage(from: string, msg: LobbyQueueMessage): void {
    if (this.stopped) return;
    switch (msg.t) {
      case 'lq-hello':
        if (msg.v === LOBBY_QUEUE_VERSION) this.apply(this.core.peerUp(from));
        return;
      case 'lq-ask':
        if (this.opts.leads(from)) this.apply(this.core.enqueue({ kind: msg.job, peerId: from }));
        return;
      case 'lq-sweep':
        this.queueLedLinks();
        return;
      default:
        this.apply(this.core.receive(from, msg));
    }
  }

  private apply(actions: LobbyQueueAction[]): void {
    for (const a of actions) {
      if (a.type === 'send') {
        const ch = this.channels.get(a.to)?.channel;
        if (ch && ch.readyState === 'open') this.sendTo(ch, a.msg);
      } else {
        this.start(a.job);
      }
    }
    this.opts.onChange(this.core.view(), this.finished);
  }

  private start(job: LobbyJob): void {
    const n = ++this.jobNumber;
    const end = () => {
      if (n !== this.jobNumber || this.stopped) return;
      this.jobNumber++;
      if (this.jobTimer !== null) this.clearTimer(this.jobTimer);
      this.jobTimer = null;
      this.finished++;
      this.apply(this.core.done());
    };
    this.jobTimer = this.setTimer(end, this.opts.jobMaxMs);
    // After this turn: the caller's actions (grants, the store) first.
    void Promise.resolve()
      .then(() => this.opts.run(job))
      .catch(() => undefined)
      .then(end);
  }

  private sendTo(channel: LobbyChannel, msg: LobbyQueueMessage): void {
    try {
      channel.send(encodeLobbyQueueMessage(msg));
    } catch {
      // closing: its 'close' event takes the peer out
    }
  }
}
