// One place that counts and logs what went wrong or was refused, for /metrics and the logs:
// - handler errors: an exception escaped our own code while handling one request, upgrade, connection or message.
//   That request/connection is answered (400/500, an error message, a close) and the process goes on; each error
//   is counted (p2pcheck_handler_errors_total{where}) and logged once, here, with its stack.
// - refusals: a limit or check said no (p2pcheck_refusals_total{reason}); logged at debug only, since an attacker
//   controls how often they happen.
import type { Logger } from 'pino';
import { Counter, Registry } from 'prom-client';

export type HandlerSite = 'http' | 'upgrade' | 'ws-connection' | 'ws-message' | 'metrics';
export type RefusalReason =
  | 'bad-request'
  | 'ice-credentials-rate'
  | 'ws-origin'
  | 'ws-connections-per-client'
  | 'ws-send-buffer'
  | 'ws-bad-handshake'
  | 'metrics-token';

export class Incidents {
  private readonly errors: Counter<'where'>;
  private readonly refusals: Counter<'reason'>;

  constructor(private readonly logger: Logger, registry: Registry = new Registry()) {
    this.errors = new Counter({
      name: 'p2pcheck_handler_errors_total',
      help: 'Exceptions caught in a request, upgrade, connection or message handler (answered, never fatal), by site',
      labelNames: ['where'],
      registers: [registry],
    });
    this.refusals = new Counter({
      name: 'p2pcheck_refusals_total',
      help: 'Requests, upgrades and sockets refused or closed by a limit or check, by reason',
      labelNames: ['reason'],
      registers: [registry],
    });
  }

  handlerError(where: HandlerSite, err: unknown, context: Record<string, unknown> = {}): void {
    this.errors.inc({ where });
    const e = err instanceof Error ? { message: err.message, stack: err.stack } : { message: String(err) };
    this.logger.error({ where, err: e, ...context }, 'handler error (answered; the server goes on)');
  }

  refused(reason: RefusalReason, context: Record<string, unknown> = {}): void {
    this.refusals.inc({ reason });
    this.logger.debug({ reason, ...context }, 'refused');
  }

  async handlerErrorCount(where: HandlerSite): Promise<number> {
    return (await this.errors.get()).values.find((v) => v.labels.where === where)?.value ?? 0;
  }

  async refusalCount(reason: RefusalReason): Promise<number> {
    return (await this.refusals.get()).values.find((v) => v.labels.reason === reason)?.value ?? 0;
  }
}
