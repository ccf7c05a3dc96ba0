// Readiness of this node for NEW rooms (/readyz): false while draining, and false while any registered check
// fails (Redis, PostgreSQL — each store that a node needs adds its own check). /healthz only says the process
// answers. Pure of sockets: a check is an async function that throws (or times out) when its dependency is gone.

export type ReadinessCheck = () => Promise<void>;

export interface ReadinessReport {
  ready: boolean;
  draining: boolean;
  /** Per check: 'ok' or the reason it failed (one line). */
  checks: Record<string, string>;
}

export class Readiness {
  private readonly checks = new Map<string, ReadinessCheck>();
  private drainingNow = false;

  /** @param timeoutMs how long one check may take before it counts as failed. */
  constructor(private readonly timeoutMs = 2000) {}

  /** Registers a dependency check under a unique name (e.g. 'redis', 'postgres'). */
  add(name: string, check: ReadinessCheck): void {
    if (this.checks.has(name)) throw new Error(`readiness check "${name}" is already registered`);
    this.checks.set(name, check);
  }

  /** From now on the node is not ready (SIGTERM drain); there is no way back. */
  drain(): void {
    this.drainingNow = true;
  }

  get draining(): boolean {
    return this.drainingNow;
  }

  async report(): Promise<ReadinessReport> {
    const entries = await Promise.all(
      [...this.checks].map(async ([name, check]): Promise<[string, string]> => {
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${this.timeoutMs} ms`)), this.timeoutMs);
        });
        try {
          await Promise.race([check(), timeout]);
          return [name, 'ok'];
        } catch (err) {
          return [name, (err instanceof Error ? err.message : String(err)).split('\n')[0]!.slice(0, 200)];
        } finally {
          clearTimeout(timer);
        }
      }),
    );
    const checks = Object.fromEntries(entries);
    const ready = !this.drainingNow && entries.every(([, v]) => v === 'ok');
    return { ready, draining: this.drainingNow, checks };
  }
}
