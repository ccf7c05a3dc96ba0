// Deterministic mutations of STUN/TURN/ChannelData messages for fuzzing: byte-level (bit flips, truncation,
// extension, length fields, splices) and structural (attribute values changed, then re-signed so the message passes
// MESSAGE-INTEGRITY and reaches the deep handlers).
import { appendFingerprint } from '../stun/fingerprint';
import { appendMessageIntegrity, attributesCoveredByIntegrity } from '../stun/integrity';
import { decodeStunMessage, encodeStunMessage, type StunAttribute } from '../stun/message';

/** xorshift32: fast, seedable, good enough for fuzzing. */
export class Rng {
  constructor(private state: number) {
    if (this.state === 0) this.state = 0x9e3779b9;
  }
  next(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state;
  }
  int(n: number): number {
    return this.next() % n;
  }
  bytes(n: number): Buffer {
    const b = Buffer.allocUnsafe(n);
    for (let i = 0; i < n; i++) b[i] = this.next() & 0xff;
    return b;
  }
}

const INTERESTING16 = [0, 1, 3, 4, 0x7f, 0x80, 0xff, 0x100, 0x3fff, 0x4000, 0x4fff, 0x7fff, 0x8000, 0xfffc, 0xffff];

export function mutateBytes(rng: Rng, input: Buffer, corpus: readonly Buffer[]): Buffer {
  let b = Buffer.from(input);
  const ops = 1 + rng.int(3);
  for (let i = 0; i < ops; i++) {
    switch (rng.int(8)) {
      case 0:
        if (b.length) b[rng.int(b.length)]! ^= 1 << rng.int(8);
        break;
      case 1:
        if (b.length) b[rng.int(b.length)] = rng.int(256);
        break;
      case 2:
        b = b.subarray(0, rng.int(b.length + 1));
        break;
      case 3:
        b = Buffer.concat([b, rng.bytes(1 + rng.int(40))]);
        break;
      case 4: {
        // A 16-bit field at a 4-byte boundary: message/attribute type or length.
        if (b.length >= 4) {
          const off = (rng.int(b.length >> 2) << 2) + (rng.int(2) << 1);
          if (off + 2 <= b.length) b.writeUInt16BE(INTERESTING16[rng.int(INTERESTING16.length)]!, off);
        }
        break;
      }
      case 5:
        if (b.length >= 4) b.writeUInt16BE((b.length - 20 + (rng.int(9) - 4)) & 0xffff, 2); // header length ± a bit
        break;
      case 6: {
        const other = corpus[rng.int(corpus.length)]!;
        const cut = rng.int(b.length + 1);
        b = Buffer.concat([b.subarray(0, cut), other.subarray(rng.int(other.length + 1))]);
        break;
      }
      default:
        b = Buffer.from(b.subarray(0, Math.min(b.length, 20 + 4 * rng.int(8))));
        break;
    }
  }
  return b;
}

/** Change attribute values of a well-formed request and re-sign it with `key` (valid integrity). */
export function mutateStructure(rng: Rng, input: Buffer, key: Buffer): Buffer {
  const r = decodeStunMessage(input);
  if (!r.ok) return input;
  const attrs: StunAttribute[] = attributesCoveredByIntegrity(r.message).map((a) => ({ type: a.type, value: Buffer.from(a.value) }));
  const which = rng.int(4);
  if (attrs.length && which === 0) {
    const a = attrs[rng.int(attrs.length)]!;
    if (a.value.length) a.value[rng.int(a.value.length)] = rng.int(256);
  } else if (attrs.length && which === 1) {
    const a = attrs[rng.int(attrs.length)]!;
    a.value = rng.bytes(rng.int(24));
  } else if (which === 2) {
    attrs.splice(rng.int(attrs.length + 1), 0, { type: [0x000c, 0x000d, 0x0012, 0x0013, 0x0017, 0x0018, 0x0019, 0x001a, 0x0003, 0x0022, 0x8028, rng.int(0x10000)][rng.int(12)]!, value: rng.bytes(rng.int(24)) });
  } else if (attrs.length) {
    attrs.splice(rng.int(attrs.length), 1);
  }
  const body = encodeStunMessage({ method: r.message.method, cls: r.message.cls, transactionId: rng.bytes(12), attributes: attrs });
  const signed = appendMessageIntegrity(body, key);
  return rng.int(2) ? appendFingerprint(signed) : signed;
}
