// One heavy test (a link's throughput test or relay check) in the whole lobby at a time, so eight phones on one
// Wi-Fi do not saturate it: Ricart–Agrawala mutual exclusion (CACM 24(1), 1981) among the pages, over their lobby
// channels (common/peer-protocol.ts LobbyQueueMessage). Pure: messages and events in, actions out; no clock (a job
// that hangs is ended by the adapter, lobby-queue-driver.ts).
//
// A page queues its own jobs (links it leads) and runs them one after another. For the job at the head of its
// queue it asks every participant with a Lamport timestamp and starts once all have granted. A page grants at
// once unless it is running a job, or is asking itself with an earlier (timestamp, peer id): then it holds the
// grant until its job is done. Participants are the peers whose lobby channel said hello with this version; a
// peer that goes away (or never took part) is not waited for.
import type { LobbyJobKind, LobbyQueueMessage } from '../../common/peer-protocol';

export interface LobbyJob {
  kind: LobbyJobKind;
  /** The other end of the link (this page leads it). */
  peerId: string;
}

export type LobbyQueueAction =
  | { type: 'send'; to: string; msg: LobbyQueueMessage }
  /** Run this job now; call done() when it ended. */
  | { type: 'start'; job: LobbyJob };

export type LobbyQueueState = 'idle' | 'asking' | 'running';

export interface LobbyQueueView {
  state: LobbyQueueState;
  running: LobbyJob | null;
  queued: LobbyJob[];
  /** While asking: the peers whose grant is still missing. */
  waitingFor: string[];
}

const sameJob = (a: LobbyJob, b: LobbyJob) => a.kind === b.kind && a.peerId === b.peerId;

export class LobbyQueue {
  private state: LobbyQueueState = 'idle';
  private clock = 0;
  /** Timestamp of the current request (asking or running). */
  private ts = 0;
  private readonly participants = new Set<string>();
  private readonly waiting = new Set<string>();
  /** Requests held back until this page's job is done: peer id → its request's timestamp. */
  private readonly deferred = new Map<string, number>();
  private readonly queue: LobbyJob[] = [];
  private running: LobbyJob | null = null;

  constructor(private readonly selfId: string) {}

  view(): LobbyQueueView {
    return { state: this.state, running: this.running, queued: [...this.queue], waitingFor: [...this.waiting] };
  }

  /** Queues a job (ignored when the same job is queued or running). */
  enqueue(job: LobbyJob): LobbyQueueAction[] {
    if ((this.running && sameJob(this.running, job)) || this.queue.some((j) => sameJob(j, job))) return [];
    this.queue.push(job);
    return this.state === 'idle' ? this.ask() : [];
  }

  /** Drops queued jobs of a link (its peer left); a running one ends through done(). */
  dropJobsOf(peerId: string): void {
    for (let i = this.queue.length - 1; i >= 0; i--) if (this.queue[i]!.peerId === peerId) this.queue.splice(i, 1);
  }

  /** A peer's lobby channel said hello with this version: it takes part from now on. */
  peerUp(peerId: string): LobbyQueueAction[] {
    if (peerId === this.selfId || this.participants.has(peerId)) return [];
    this.participants.add(peerId);
    // Asking already: the newcomer has not seen the request, and must grant it too.
    if (this.state !== 'asking') return [];
    this.waiting.add(peerId);
    return [{ type: 'send', to: peerId, msg: { t: 'lq-request', ts: this.ts } }];
  }

  /** A peer left or its channel closed: not waited for, not granted to. */
  peerDown(peerId: string): LobbyQueueAction[] {
    this.participants.delete(peerId);
    this.deferred.delete(peerId);
    this.dropJobsOf(peerId);
    if (this.state === 'asking' && this.waiting.delete(peerId)) return this.maybeStart();
    return [];
  }

  receive(from: string, msg: LobbyQueueMessage): LobbyQueueAction[] {
    if (!this.participants.has(from)) return [];
    switch (msg.t) {
      case 'lq-request': {
        this.clock = Math.max(this.clock, msg.ts) + 1;
        const mineFirst = this.state === 'running' || (this.state === 'asking' && (this.ts < msg.ts || (this.ts === msg.ts && this.selfId < from)));
        if (mineFirst) {
          this.deferred.set(from, msg.ts);
          return [];
        }
        return [{ type: 'send', to: from, msg: { t: 'lq-grant', ts: msg.ts } }];
      }
      case 'lq-grant':
        // A grant of an older request of ours (already done) says nothing about this one.
        if (this.state !== 'asking' || msg.ts !== this.ts || !this.waiting.delete(from)) return [];
        return this.maybeStart();
      case 'lq-hello':
      case 'lq-ask':
      case 'lq-sweep':
        return []; // the adapter's (lobby-queue-driver.ts)
      default: {
        const unreachable: never = msg;
        return unreachable;
      }
    }
  }

  /** The running job ended (done, failed, or its link closed): grant whoever waited, then ask for the next. */
  done(): LobbyQueueAction[] {
    if (this.state !== 'running') return [];
    this.state = 'idle';
    this.running = null;
    const grants = [...this.deferred].map(([to, ts]): LobbyQueueAction => ({ type: 'send', to, msg: { t: 'lq-grant', ts } }));
    this.deferred.clear();
    return [...grants, ...(this.queue.length ? this.ask() : [])];
  }

  private ask(): LobbyQueueAction[] {
    this.state = 'asking';
    this.ts = ++this.clock;
    this.waiting.clear();
    for (const p of this.participants) this.waiting.add(p);
    const sends: LobbyQueueAction[] = [...this.participants].map((to) => ({ type: 'send', to, msg: { t: 'lq-request', ts: this.ts } }));
    return [...sends, ...this.maybeStart()];
  }

  private maybeStart(): LobbyQueueAction[] {
    if (this.state !== 'asking' || this.waiting.size > 0) return [];
    const job = this.queue.shift();
    if (!job) {
      // Everything queued was dropped while asking: release whoever waited for us.
      this.state = 'running';
      return this.done();
    }
    this.state = 'running';
    this.running = job;
    return [{ type: 'start', job }];
  }
}
