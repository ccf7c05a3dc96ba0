import { describe, expect, it } from 'vitest';
import { Attr } from './constants';
import { decodeErrorCode, errorCodeAttribute, unknownAttributesAttribute } from './error-code';

describe('ERROR-CODE (RFC 8489 §14.8)', () => {
  it('writes class and number in bytes 2–3, then the reason phrase', () => {
    const a = errorCodeAttribute(438);
    expect(a.type).toBe(Attr.errorCode);
    expect(a.value.toString('hex')).toBe('00000426' + Buffer.from('Stale Nonce').toString('hex'));
    expect(errorCodeAttribute(300).value.subarray(0, 4).toString('hex')).toBe('00000300');
    expect(errorCodeAttribute(699, 'x').value.toString('hex')).toBe('0000066378');
  });

  it.each([
    [300, 'Try Alternate'], [400, 'Bad Request'], [401, 'Unauthorized'], [403, 'Forbidden'], [420, 'Unknown Attribute'],
    [437, 'Allocation Mismatch'], [438, 'Stale Nonce'], [440, 'Address Family not Supported'], [441, 'Wrong Credentials'],
    [442, 'Unsupported Transport Protocol'], [443, 'Peer Address Family Mismatch'], [486, 'Allocation Quota Reached'],
    [500, 'Server Error'], [508, 'Insufficient Capacity'],
  ])('a client reads %i with the RFC reason phrase', (code, reason) => {
    expect(decodeErrorCode(errorCodeAttribute(code))).toEqual({ code, reason });
  });

  it('an unknown code gets an empty phrase unless one is given', () => {
    expect(decodeErrorCode(errorCodeAttribute(599))).toEqual({ code: 599, reason: '' });
    expect(decodeErrorCode(errorCodeAttribute(401, 'Go away'))).toEqual({ code: 401, reason: 'Go away' });
  });

  it('reads only the 3 class bits and refuses classes outside 3–6 and numbers over 99', () => {
    const v = (b2: number, b3: number, text = ''): { type: number; value: Buffer } =>
      ({ type: Attr.errorCode, value: Buffer.concat([Buffer.from([0, 0, b2, b3]), Buffer.from(text)]) });
    expect(decodeErrorCode(v(0xfc, 1, 'hi'))).toEqual({ code: 401, reason: 'hi' });
    expect(decodeErrorCode(v(3, 0))).toEqual({ code: 300, reason: '' });
    expect(decodeErrorCode(v(6, 99))).toEqual({ code: 699, reason: '' });
    expect(decodeErrorCode(v(2, 0))).toBeNull();
    expect(decodeErrorCode(v(7, 0))).toBeNull();
    expect(decodeErrorCode(v(4, 100))).toBeNull();
    expect(decodeErrorCode({ type: Attr.errorCode, value: Buffer.from([0, 0, 4]) })).toBeNull();
  });
});

describe('UNKNOWN-ATTRIBUTES (RFC 8489 §14.9)', () => {
  it('lists 16-bit types', () => {
    const a = unknownAttributesAttribute([0x0018, 0x8001]);
    expect(a.type).toBe(Attr.unknownAttributes);
    expect(a.value.toString('hex')).toBe('00188001');
    expect(unknownAttributesAttribute([]).value.length).toBe(0);
  });
});
