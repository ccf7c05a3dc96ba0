// Long-term keys (RFC 8489 §9.2.2: MD5 over username, realm and the REST password, itself an HMAC) of recently
// verified users, so the Refresh/CreatePermission/ChannelBind requests that follow an Allocate skip two hashes.
// Bounded (oldest out first): its memory does not grow with the number of users or allocations.
export class KeyCache {
  private readonly keys = new Map<string, Buffer>();

  constructor(private readonly capacity: number) {}

  get(username: string): Buffer | undefined {
    return this.keys.get(username);
  }

  set(username: string, key: Buffer): void {
    if (this.capacity <= 0) return;
    this.keys.delete(username);
    if (this.keys.size >= this.capacity) this.keys.delete(this.keys.keys().next().value!);
    this.keys.set(username, key);
  }

  get size(): number {
    return this.keys.size;
  }
}
