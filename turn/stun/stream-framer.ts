// Splits a TCP/TLS byte stream into STUN messages and ChannelData messages (RFC 8656 §12.5: over streams,
// ChannelData is padded to a multiple of 4 bytes; STUN carries its own length, RFC 8489 §6.2.2).

export type FramerResult = { ok: true; frames: Buffer[] } | { ok: false; reason: 'not-stun-or-channel-data' | 'too-much-buffered' };

const MAX_BUFFERED = 70_000;

export class StreamFramer {
  private buffered: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): FramerResult {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    const frames: Buffer[] = [];
    let off = 0;
    while (this.buffered.length - off >= 4) {
      const b0 = this.buffered[off]! & 0xc0;
      const len = this.buffered.readUInt16BE(off + 2);
      let size: number;
      if (b0 === 0x00) {
        if (this.buffered.length - off >= 8 && this.buffered.readUInt32BE(off + 4) !== 0x2112a442) {
          return { ok: false, reason: 'not-stun-or-channel-data' };
        }
        size = 20 + len;
      } else if (b0 === 0x40) size = 4 + ((len + 3) & ~3);
      else return { ok: false, reason: 'not-stun-or-channel-data' };
      if (this.buffered.length - off < size) break;
      frames.push(this.buffered.subarray(off, off + size));
      off += size;
    }
    this.buffered = off === this.buffered.length ? Buffer.alloc(0) : this.buffered.subarray(off);
    if (this.buffered.length > MAX_BUFFERED) return { ok: false, reason: 'too-much-buffered' };
    return { ok: true, frames };
  }
}
