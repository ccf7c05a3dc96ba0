// MAPPED-ADDRESS family (RFC 8489 §14.1): OTHER-ADDRESS, RESPONSE-ORIGIN (RFC 5780 §7.3/7.4);
// XOR-MAPPED-ADDRESS family (RFC 8489 §14.2): XOR-PEER-ADDRESS, XOR-RELAYED-ADDRESS (RFC 8656 §18.3/18.4).
import { MAGIC_COOKIE } from './constants';
import { bytesToIp, ipToBytes } from '../../common/net/ip-address';
import type { FamilyAddress } from '../../common/net/transport-address';
import type { StunAttribute } from './message';

export function addressAttribute(type: number, addr: FamilyAddress): StunAttribute {
  const ip = ipToBytes(addr.address);
  if (!ip) throw new Error(`addressAttribute: not an IP literal: ${addr.address}`);
  const value = Buffer.alloc(4 + ip.length);
  value[1] = ip.length === 4 ? 0x01 : 0x02;
  value.writeUInt16BE(addr.port, 2);
  value.set(ip, 4);
  return { type, value };
}

export function decodeAddress(attr: StunAttribute): FamilyAddress | null {
  const v = attr.value;
  if (v.length < 4) return null;
  const family = v[1];
  if (!((family === 0x01 && v.length === 8) || (family === 0x02 && v.length === 20))) return null;
  return { family: family === 0x01 ? 4 : 6, port: v.readUInt16BE(2), address: bytesToIp(v.subarray(4)) };
}

export function xorAddressAttribute(type: number, addr: FamilyAddress, transactionId: Buffer): StunAttribute {
  const attr = addressAttribute(type, addr);
  xorInPlace(attr.value, transactionId);
  return attr;
}

export function decodeXorAddress(attr: StunAttribute, transactionId: Buffer): FamilyAddress | null {
  const v = attr.value;
  if (v.length < 4) return null;
  const family = v[1];
  if (!((family === 0x01 && v.length === 8) || (family === 0x02 && v.length === 20))) return null;
  const port = v.readUInt16BE(2) ^ (MAGIC_COOKIE >>> 16);
  if (family === 0x01) {
    // IPv4 (the data path's common case): XOR with the cookie bytes 21 12 A4 42, no copy.
    return { family: 4, port, address: `${v[4]! ^ 0x21}.${v[5]! ^ 0x12}.${v[6]! ^ 0xa4}.${v[7]! ^ 0x42}` };
  }
  const copy = Buffer.from(v);
  xorInPlace(copy, transactionId);
  return { family: 6, port, address: bytesToIp(copy.subarray(4)) };
}

/** Port XOR the cookie's top 16 bits; address XOR cookie (‖ transaction id for IPv6). */
function xorInPlace(v: Buffer, transactionId: Buffer): void {
  v.writeUInt16BE(v.readUInt16BE(2) ^ (MAGIC_COOKIE >>> 16), 2);
  for (let i = 4; i < v.length; i++) {
    const k = i - 4;
    v[i]! ^= k < 4 ? (MAGIC_COOKIE >>> (24 - 8 * k)) & 0xff : transactionId[k - 4]!;
  }
}
