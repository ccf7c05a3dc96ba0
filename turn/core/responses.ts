// Building STUN responses and indications (RFC 8489 §6.3, §14).
import { Attr, ErrorReason, SOFTWARE, StunClass } from '../stun/constants';
import { errorCodeAttribute } from '../stun/error-code';
import { appendFingerprint } from '../stun/fingerprint';
import { appendMessageIntegrity } from '../stun/integrity';
import { encodeStunMessage, textAttribute, type StunAttribute, type StunMessage } from '../stun/message';

const softwareAttr = textAttribute(Attr.software, SOFTWARE);

export function successResponse(req: StunMessage, attrs: StunAttribute[], key: Buffer | null): Buffer {
  return finish(req, StunClass.success, attrs, key);
}

export function errorResponse(req: StunMessage, code: number, extra: StunAttribute[] = [], key: Buffer | null = null): Buffer {
  return finish(req, StunClass.error, [errorCodeAttribute(code, ErrorReason[code]), ...extra], key);
}

function finish(req: StunMessage, cls: StunClass, attrs: StunAttribute[], key: Buffer | null): Buffer {
  const body = encodeStunMessage({ method: req.method, cls, transactionId: req.transactionId, attributes: [...attrs, softwareAttr] });
  return appendFingerprint(key ? appendMessageIntegrity(body, key) : body);
}
