// How many of something (sockets, sessions, allocations) each key holds at once, capped per key. Keys at zero are
// forgotten, so the table never holds more entries than there are open things.

export class ConcurrencyCap {
  private readonly held = new Map<string, number>();

  /** `perKey` 0 disables the cap. */
  constructor(readonly perKey: number) {}

  /** Counts one more for `key`; false (and nothing counted) when the key already holds `perKey`. */
  tryAcquire(key: string): boolean {
    const n = this.held.get(key) ?? 0;
    if (this.perKey > 0 && n >= this.perKey) return false;
    this.held.set(key, n + 1);
    return true;
  }

  release(key: string): void {
    const n = this.held.get(key) ?? 0;
    if (n <= 1) this.held.delete(key);
    else this.held.set(key, n - 1);
  }

  count(key: string): number {
    return this.held.get(key) ?? 0;
  }

  get keys(): number {
    return this.held.size;
  }
}
