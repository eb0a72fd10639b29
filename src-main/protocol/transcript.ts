// Hashes that bind the authorization to this exchange: the license it belongs to and the
// transcript of every message payload before it, exactly as sent and received.
import { sha256 } from '@noble/hashes/sha2.js';
import { encodeCbor } from './cbor';

export const TRANSCRIPT_LABEL = 'NFCPAY-transcript-v1';

export function licenseHash(licenseBytes: Uint8Array): Uint8Array {
  return sha256(licenseBytes);
}

/**
 * SHA-256 of the CBOR array [label, paymentRequest, paymentResponse, deductionRequest]
 * where each message is its CBOR payload (the NDEF record payload) as a bstr.
 */
export function transcriptHash(paymentRequest: Uint8Array, paymentResponse: Uint8Array, deductionRequest: Uint8Array): Uint8Array {
  return sha256(encodeCbor([TRANSCRIPT_LABEL, paymentRequest, paymentResponse, deductionRequest]));
}
