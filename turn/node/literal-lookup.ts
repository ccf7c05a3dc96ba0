// Every address the TURN server sends to or binds is an IP literal: skip dns.lookup (and its extra tick per
// datagram) with a lookup that answers at once. Used as dgram's `lookup` option.
export function literalLookup(address: string, _options: unknown, callback: (err: Error | null, address: string, family: number) => void): void {
  callback(null, address, address.includes(':') ? 6 : 4);
}
