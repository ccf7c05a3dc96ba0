// ERROR-CODE (RFC 8489 §14.8) and UNKNOWN-ATTRIBUTES (§14.9).
import { Attr, ErrorReason } from './constants';
import type { StunAttribute } from './message';

export function errorCodeAttribute(code: number, reason = ErrorReason[code] ?? ''): StunAttribute {
  const text = Buffer.from(reason, 'utf8');
  const value = Buffer.alloc(4 + text.length);
  value[2] = Math.floor(code / 100) & 0x07;
  value[3] = code % 100;
  text.copy(value, 4);
  return { type: Attr.errorCode, value };
}

export function decodeErrorCode(attr: StunAttribute): { code: number; reason: string } | null {
  if (attr.value.length < 4) return null;
  const cls = attr.value[2]! & 0x07;
  const num = attr.value[3]!;
  if (cls < 3 || cls > 6 || num > 99) return null;
  return { code: cls * 100 + num, reason: attr.value.subarray(4).toString('utf8') };
}

export function unknownAttributesAttribute(types: number[]): StunAttribute {
  const value = Buffer.alloc(types.length * 2);
  types.forEach((t, i) => value.writeUInt16BE(t, i * 2));
  return { type: Attr.unknownAttributes, value };
}
