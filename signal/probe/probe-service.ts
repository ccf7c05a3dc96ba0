// Runs filtering tests for the page: owns the probe registry, feeds it the STUN traffic the TURN server hands
// over, and sends what it returns through the TURN server's sockets. The transport and the clock are
// injected, so tests drive it without sockets or real time.
import { sameTransportAddress, type TransportAddress } from '../../common/net/transport-address';
import { ProbeRegistry, type ProbeError } from './probe-registry';
import type { FilteringCheckResult, ObservedSource } from './probe-session';
import type { EndpointRole } from '../../common/net/endpoint-role';

export interface ProbeTransport {
  /** Server sockets available to send from; always includes 'primary'. */
  vias(): EndpointRole[];
  sendFrom(via: EndpointRole, to: TransportAddress, packet: Buffer): void;
}

export interface ProbeClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const realClock: ProbeClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface ProbeRunResult {
  /** The browser's mapped address at the primary endpoint, which the checks were sent to. */
  target: TransportAddress;
  /** The browser's srflx (if it sent one) was among the sources its checks came from. */
  hintMatched: boolean | null;
  observedSources: ObservedSource[];
  checks: FilteringCheckResult[];
  /** ms the run took, from the request to the last answer or the end of the budget. */
  elapsedMs: number;
}

export type ProbeRunError =
  | ProbeError
  | { code: 'no-check-received'; error: string }
  | { code: 'already-running'; error: string };

const TICK_MS = 20;

export class ProbeService {
  readonly registry: ProbeRegistry;
  private transport: ProbeTransport | null = null;
  private readonly clock: ProbeClock;
  private readonly running = new Set<string>();
  /** handled: answered checks and responses; ignored: not ours or not valid; limited: checks over a source's rate. */
  private readonly counters = { handled: 0, ignored: 0, limited: 0, sent: 0, runs: 0 };

  constructor(opts: { registry?: ProbeRegistry; clock?: ProbeClock } = {}) {
    this.registry = opts.registry ?? new ProbeRegistry();
    this.clock = opts.clock ?? realClock;
  }

  attach(transport: ProbeTransport): void {
    this.transport = transport;
  }

  get ready(): boolean {
    return this.transport !== null;
  }

  vias(): EndpointRole[] {
    return this.transport?.vias() ?? [];
  }

  stats(): Readonly<typeof this.counters> & { sessions: number } {
    return { ...this.counters, sessions: this.registry.size };
  }

  /** For the TURN server's interceptor: true when the datagram belonged to a probe (and was dealt with). */
  onDatagram(buf: Buffer, from: TransportAddress, via: EndpointRole): boolean {
    if (!this.registry.claims(buf)) return false;
    const out = this.registry.handleDatagram(buf, from, via, this.clock.now());
    if (out.kind === 'send') {
      this.send(out.send.via, out.send.to, out.send.packet);
      this.counters.handled += 1;
    } else if (out.kind === 'answered-check') {
      this.counters.handled += 1;
    } else if (out.reason === 'rate-limited') {
      this.counters.limited += 1;
    } else {
      this.counters.ignored += 1;
    }
    return true;
  }

  /**
   * The filtering test. Waits (up to `waitForCheckMs`) until the browser's own checks have reached the primary
   * endpoint — only an address they came from is ever sent to, so the probe cannot be aimed at a third party —
   * then sends one check from every available server socket and collects the answers.
   */
  async run(id: string, hint: TransportAddress | null, opts: { waitForCheckMs?: number } = {}): Promise<ProbeRunResult | ProbeRunError> {
    const session = this.registry.get(id);
    if (!session || !this.transport) return { code: 'no-such-probe', error: 'no such network check (it may have expired); start again' };
    if (this.running.has(id)) return { code: 'already-running', error: 'this network check is already running' };
    this.running.add(id);
    this.counters.runs += 1;
    const started = this.clock.now();
    try {
      const waitFor = opts.waitForCheckMs ?? 2500;
      let primarySources: ObservedSource[] = [];
      for (;;) {
        primarySources = session.observedSources().filter((s) => s.via === 'primary');
        const hintSeen = hint && primarySources.some((s) => sameTransportAddress(s.from, hint));
        if (hintSeen || (primarySources.length > 0 && !hint)) break;
        if (this.clock.now() - started >= waitFor) break;
        await this.clock.sleep(TICK_MS);
      }
      if (primarySources.length === 0) {
        return { code: 'no-check-received', error: `no connectivity check from the browser reached the server within ${waitFor} ms (is UDP blocked?)` };
      }
      const matching = hint ? primarySources.find((s) => sameTransportAddress(s.from, hint)) : undefined;
      const target = (matching ?? primarySources[0]!).from;
      const vias = this.transport.vias();
      for (const s of session.startFiltering(target, vias, this.clock.now())) this.send(s.via, s.to, s.packet);
      while (!session.filteringDone(this.clock.now())) {
        await this.clock.sleep(TICK_MS);
        for (const s of session.poll(this.clock.now())) this.send(s.via, s.to, s.packet);
      }
      return {
        target,
        hintMatched: hint ? matching !== undefined : null,
        observedSources: session.observedSources(),
        checks: session.filteringResults(),
        elapsedMs: this.clock.now() - started,
      };
    } finally {
      this.running.delete(id);
    }
  }

  private send(via: EndpointRole, to: TransportAddress, packet: Buffer): void {
    this.counters.sent += 1;
    this.transport?.sendFrom(via, to, packet);
  }
}

