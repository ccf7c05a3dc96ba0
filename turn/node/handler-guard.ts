// The adapter boundary: every callback a socket, timer or promise runs (a datagram, a framed TCP/TLS message, a relay
// datagram, the sweep, a relay bind) goes through `guard`, so a bug on one input costs that input — the datagram is
// dropped, the TCP/TLS connection closed — and never the process. Each kind of failure is counted
// (p2pcheck_turn_handler_errors_total{where}) and logged the first time only, so a hostile input repeated a
// million times cannot flood the log either. The process-level crash handlers stay the last resort, not the mechanism.
import type { Logger } from 'pino';

export type HandlerSite = 'udp-datagram' | 'stream-frame' | 'stream-close' | 'relay-datagram' | 'relay-bind' | 'sweep' | 'close';

export class HandlerGuard {
  readonly counts = new Map<HandlerSite, number>();

  constructor(private readonly logger: Logger) {}

  /** Runs `fn`; an exception is counted and logged once per site, and `fn`'s input is given up. True when it threw. */
  run(where: HandlerSite, fn: () => void): boolean {
    try {
      fn();
      return false;
    } catch (err) {
      this.note(where, err);
      return true;
    }
  }

  note(where: HandlerSite, err: unknown): void {
    const n = (this.counts.get(where) ?? 0) + 1;
    this.counts.set(where, n);
    if (n === 1) this.logger.error({ err, where, event: 'turn-handler-error' }, 'TURN handler error (input dropped; further errors here are only counted)');
  }
}
