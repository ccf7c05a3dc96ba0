// ChannelData messages (RFC 8656 §12.4): 2-byte channel number, 2-byte length, data, padded to 4 bytes over
// stream transports (§12.5). RFC 8656 narrowed channels to 0x4000–0x4FFF; RFC 5766 clients (coturn's
// turnutils_uclient among them) still pick up to 0x7FFF, so the server accepts the RFC 5766 range.

export const CHANNEL_MIN = 0x4000;
export const CHANNEL_MAX = 0x7fff;

export function isChannelNumber(n: number): boolean {
  return n >= CHANNEL_MIN && n <= CHANNEL_MAX;
}

/** First two bits 01 mark ChannelData (RFC 7983 demultiplexing by first byte 64–79). */
export function looksLikeChannelData(buf: Buffer): boolean {
  return buf.length >= 4 && (buf[0]! & 0xc0) === 0x40;
}

export type ChannelDataResult = { ok: true; channel: number; data: Buffer } | { ok: false; reason: 'too-short' | 'bad-channel' | 'bad-length' };

/** Decodes one datagram; over UDP any padding after the data is allowed and ignored. */
export function decodeChannelData(buf: Buffer): ChannelDataResult {
  if (buf.length < 4) return { ok: false, reason: 'too-short' };
  const channel = buf.readUInt16BE(0);
  if (!isChannelNumber(channel)) return { ok: false, reason: 'bad-channel' };
  const len = buf.readUInt16BE(2);
  if (4 + len > buf.length) return { ok: false, reason: 'bad-length' };
  return { ok: true, channel, data: buf.subarray(4, 4 + len) };
}

export function encodeChannelData(channel: number, data: Buffer, pad = false): Buffer {
  const size = 4 + (pad ? (data.length + 3) & ~3 : data.length);
  const out = Buffer.allocUnsafe(size);
  out.writeUInt16BE(channel, 0);
  out.writeUInt16BE(data.length, 2);
  data.copy(out, 4);
  if (size > 4 + data.length) out.fill(0, 4 + data.length);
  return out;
}
