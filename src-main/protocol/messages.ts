// The four protocol messages and the CBOR maps they travel as (CDDL in docs/protocol.md).
// Keys are small integers, one meaning per key across all messages.
import { encodeCbor, decodeCbor } from './cbor';
import { Fields } from './fields';
import { fromHex } from '../domain/bytes';

export const PROTOCOL_MESSAGE_VERSION = 1;

export const Key = {
  type: 0,
  version: 1,
  transactionId: 2,
  amount: 3,
  currency: 4,
  merchantId: 5,
  terminalId: 6,
  nonce: 7,
  licenseHash: 8,
  counter: 9,
  transcriptHash: 10,
  license: 11,
  authorization: 12,
} as const;

export const MessageType = {
  paymentRequest: 1,
  paymentResponse: 2,
  deductionRequest: 3,
  paymentAuthorization: 4,
} as const;

export const NONCE_BYTES = 16;
export const TRANSACTION_ID_BYTES = 16;
export const HASH_BYTES = 32;
/** Largest COSE_Sign1 accepted inside a message (a message is capped at 8 KiB anyway). */
const MAX_COSE_BYTES = 4096;

export interface OrderFields {
  transactionId: string; // 32 lowercase hex
  amount: number; // minor units
  currency: string;
  merchantId: string;
  terminalId: string;
}

export type PaymentRequest = OrderFields;

export interface PaymentResponse {
  /** COSE_Sign1 license bytes exactly as received. */
  license: Uint8Array;
}

export interface DeductionRequest {
  transactionId: string;
  amount: number;
  currency: string;
  nonce: Uint8Array;
  licenseHash: Uint8Array;
}

export interface PaymentAuthorizationMessage {
  /** COSE_Sign1 authorization bytes exactly as received. */
  authorization: Uint8Array;
}

function header(type: number): [number, number][] {
  return [
    [Key.type, type],
    [Key.version, PROTOCOL_MESSAGE_VERSION],
  ];
}

function envelope(value: unknown, what: string, type: number, keys: number[]): Fields {
  const fields = new Fields(value, what, [Key.type, Key.version, ...keys]);
  fields.constant(Key.type, type);
  fields.constant(Key.version, PROTOCOL_MESSAGE_VERSION);
  return fields;
}

export function encodePaymentRequest(request: PaymentRequest): Uint8Array {
  return encodeCbor(
    new Map<number, unknown>([
      ...header(MessageType.paymentRequest),
      [Key.transactionId, fromHex(request.transactionId)],
      [Key.amount, request.amount],
      [Key.currency, request.currency],
      [Key.merchantId, request.merchantId],
      [Key.terminalId, request.terminalId],
    ]),
  );
}

export function parsePaymentRequest(payload: Uint8Array): PaymentRequest {
  const f = envelope(decodeCbor(payload), 'payment request', MessageType.paymentRequest, [
    Key.transactionId,
    Key.amount,
    Key.currency,
    Key.merchantId,
    Key.terminalId,
  ]);
  return {
    transactionId: f.hex(Key.transactionId, TRANSACTION_ID_BYTES),
    amount: f.uint(Key.amount, 1),
    currency: f.currency(Key.currency),
    merchantId: f.text(Key.merchantId),
    terminalId: f.text(Key.terminalId),
  };
}

export function encodePaymentResponse(response: PaymentResponse): Uint8Array {
  return encodeCbor(new Map<number, unknown>([...header(MessageType.paymentResponse), [Key.license, response.license]]));
}

export function parsePaymentResponse(payload: Uint8Array): PaymentResponse {
  const f = envelope(decodeCbor(payload), 'payment response', MessageType.paymentResponse, [Key.license]);
  return { license: f.bytes(Key.license, 1, MAX_COSE_BYTES) };
}

export function encodeDeductionRequest(request: DeductionRequest): Uint8Array {
  return encodeCbor(
    new Map<number, unknown>([
      ...header(MessageType.deductionRequest),
      [Key.transactionId, fromHex(request.transactionId)],
      [Key.amount, request.amount],
      [Key.currency, request.currency],
      [Key.nonce, request.nonce],
      [Key.licenseHash, request.licenseHash],
    ]),
  );
}

export function parseDeductionRequest(payload: Uint8Array): DeductionRequest {
  const f = envelope(decodeCbor(payload), 'deduction request', MessageType.deductionRequest, [
    Key.transactionId,
    Key.amount,
    Key.currency,
    Key.nonce,
    Key.licenseHash,
  ]);
  return {
    transactionId: f.hex(Key.transactionId, TRANSACTION_ID_BYTES),
    amount: f.uint(Key.amount, 1),
    currency: f.currency(Key.currency),
    nonce: f.bytes(Key.nonce, NONCE_BYTES),
    licenseHash: f.bytes(Key.licenseHash, HASH_BYTES),
  };
}

export function encodeAuthorizationMessage(message: PaymentAuthorizationMessage): Uint8Array {
  return encodeCbor(new Map<number, unknown>([...header(MessageType.paymentAuthorization), [Key.authorization, message.authorization]]));
}

export function parseAuthorizationMessage(payload: Uint8Array): PaymentAuthorizationMessage {
  const f = envelope(decodeCbor(payload), 'payment authorization', MessageType.paymentAuthorization, [Key.authorization]);
  return { authorization: f.bytes(Key.authorization, 1, MAX_COSE_BYTES) };
}
