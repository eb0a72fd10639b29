// The reference wallet's deliberate faults: a forged license, a falsified authorization
// field, and replies spoiled at one layer of the stack (misbehaviour.ts).
import { SW } from '../transport/apdu';
import type { ResponderReply } from '../transport/card-responder';
import { encodeCbor } from '../protocol/cbor';
import { encodeCoseSign1, parseCoseSign1 } from '../protocol/cose';
import { encodeNdef } from '../protocol/ndef';
import { SnepResponseCode, encodeSnepResponse } from '../protocol/snep';
import { snepErrorResponse, wrapResponse } from '../protocol/envelope';
import { Key, MessageType } from '../protocol/messages';
import { encodeLicenseContent, parseLicenseContent } from '../protocol/license-payload';
import type { AuthorizationContent } from '../protocol/authorization-payload';
import { bytesEqual, utf8 } from '../domain/bytes';
import type { ReplyFault, SignedField } from './misbehaviour';

const OVERSIZED_BYTES = 10 * 1024;

/** Raises the offline limit inside a signed license, keeping the old signature. */
export function tamper(license: Uint8Array): Uint8Array {
  const cose = parseCoseSign1(license, 'license');
  const content = parseLicenseContent(cose.payload);
  const forged = encodeLicenseContent({ ...content, offlineLimit: content.offlineLimit * 10 + 100_000 });
  return encodeCoseSign1(cose.protectedBytes, forged, cose.signature);
}

export function falsify(content: AuthorizationContent, field: SignedField, staleNonce: Uint8Array): AuthorizationContent {
  const flip = (bytes: Uint8Array) => bytes.map((b, i) => (i === 0 ? b ^ 0xff : b));
  switch (field) {
    case 'transaction':
      return { ...content, transactionId: content.transactionId.replace(/^./, (c) => (c === '0' ? '1' : '0')) };
    case 'amount':
      return { ...content, amount: content.amount + 1 };
    case 'currency':
      return { ...content, currency: content.currency === 'XTS' ? 'XXX' : 'XTS' };
    case 'merchant':
      return { ...content, merchantId: `${content.merchantId}-other` };
    case 'terminal':
      return { ...content, terminalId: `${content.terminalId}-other` };
    case 'nonce':
      return { ...content, nonce: bytesEqual(staleNonce, content.nonce) ? flip(staleNonce) : staleNonce };
    case 'license-hash':
      return { ...content, licenseHash: flip(content.licenseHash) };
    case 'transcript':
      return { ...content, transcriptHash: flip(content.transcriptHash) };
  }
}

export function spoiled(fault: ReplyFault, type: number): Uint8Array | ResponderReply {
  const success = (ndefPayload: Uint8Array) => wrapResponse(ndefPayload);
  const keyOfCose = type === MessageType.paymentResponse ? Key.license : Key.authorization;
  switch (fault) {
    case 'status':
      return { sw: SW.UNKNOWN };
    case 'snep':
      return utf8('GARBLED REPLY: not a SNEP message at all');
    case 'snep-error':
      return snepErrorResponse(SnepResponseCode.REJECT);
    case 'ndef':
      // A well-known (TNF 1) text record instead of our external type.
      return encodeSnepResponse(SnepResponseCode.SUCCESS, Uint8Array.of(0xd1, 0x01, 0x03, 0x54, 0x02, 0x65, 0x6e));
    case 'cbor':
      // Map with a duplicate key.
      return success(Uint8Array.of(0xa2, 0x00, type, 0x00, type));
    case 'message':
      return success(
        encodeCbor(
          new Map([
            [Key.type, type],
            [Key.version, 1],
          ]),
        ),
      );
    case 'cose':
      return success(
        encodeCbor(
          new Map<number, unknown>([
            [Key.type, type],
            [Key.version, 1],
            [keyOfCose, encodeCbor([1, 2, 3])],
          ]),
        ),
      );
    case 'oversized':
      return encodeSnepResponse(SnepResponseCode.SUCCESS, encodeNdef(new Uint8Array(OVERSIZED_BYTES)));
  }
}
