// Hash chain link of a ledger row. hash = SHA-256(prevHash || canonical(row)), where canonical(row)
// is a CBOR array (RFC 8949 core deterministic encoding: shortest integers, definite lengths) of
// the fields below, in this order. docs/ledger.md documents the same list for other implementers.
import { createHash } from 'node:crypto';
import { encode } from 'cborg';
import type { UnhashedRow } from './row';

export const ROW_FORMAT = 'nfc-cashier/ledger-row/1';
export const GENESIS_HASH: Uint8Array = new Uint8Array(32);

export function canonicalRow(row: UnhashedRow): Uint8Array {
  return encode([
    ROW_FORMAT,
    row.seq,
    row.kind,
    row.businessDate,
    row.recordedAt,
    row.localTime,
    row.terminalId,
    row.merchantId,
    row.transactionId,
    row.status,
    row.reason,
    row.detail,
    row.amount,
    row.currency,
    row.accountId,
    row.licenseSerial,
    row.authorityKid,
    row.appCounter,
    row.startedAt,
    row.finishedAt,
    row.apduCount,
    row.demo,
    row.originalTransactionId,
    row.note,
    row.operator,
    row.zNumber,
    row.report,
    row.items.map((item) => [item.description, item.quantity, item.unitPrice]),
    row.paymentRequest,
    row.paymentResponse,
    row.license,
    row.deductionRequest,
    row.authorization,
    row.paymentAuthorization,
  ]);
}

export function rowHash(row: UnhashedRow): Uint8Array {
  return createHash('sha256').update(row.prevHash).update(canonicalRow(row)).digest();
}

export function hashesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.from(b.buffer, b.byteOffset, b.byteLength)) === 0;
}

export const toHex = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');

