// Content of the payment authorization: the COSE_Sign1 payload the app key signs.
// Uses the same integer keys as the messages (protocol/messages.ts `Key`).
import { decodeCbor, encodeCbor } from './cbor';
import { Fields } from './fields';
import { HASH_BYTES, Key, NONCE_BYTES, TRANSACTION_ID_BYTES, type OrderFields } from './messages';
import { fromHex } from '../domain/bytes';

export interface AuthorizationContent extends OrderFields {
  nonce: Uint8Array;
  licenseHash: Uint8Array;
  /** App transaction counter: grows by one per authorization the phone signs. */
  counter: number;
  transcriptHash: Uint8Array;
}

const KEYS = [
  Key.transactionId,
  Key.amount,
  Key.currency,
  Key.merchantId,
  Key.terminalId,
  Key.nonce,
  Key.licenseHash,
  Key.counter,
  Key.transcriptHash,
];

export function encodeAuthorizationContent(content: AuthorizationContent): Uint8Array {
  return encodeCbor(
    new Map<number, unknown>([
      [Key.transactionId, fromHex(content.transactionId)],
      [Key.amount, content.amount],
      [Key.currency, content.currency],
      [Key.merchantId, content.merchantId],
      [Key.terminalId, content.terminalId],
      [Key.nonce, content.nonce],
      [Key.licenseHash, content.licenseHash],
      [Key.counter, content.counter],
      [Key.transcriptHash, content.transcriptHash],
    ]),
  );
}

export function parseAuthorizationContent(payload: Uint8Array): AuthorizationContent {
  const f = new Fields(decodeCbor(payload), 'authorization', KEYS);
  return {
    transactionId: f.hex(Key.transactionId, TRANSACTION_ID_BYTES),
    amount: f.uint(Key.amount),
    currency: f.currency(Key.currency),
    merchantId: f.text(Key.merchantId),
    terminalId: f.text(Key.terminalId),
    nonce: f.bytes(Key.nonce, NONCE_BYTES),
    licenseHash: f.bytes(Key.licenseHash, HASH_BYTES),
    counter: f.uint(Key.counter),
    transcriptHash: f.bytes(Key.transcriptHash, HASH_BYTES),
  };
}
