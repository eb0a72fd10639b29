// Hash chain link of a ledger row. hash = SHA-256(prevHash || canonical(row)), where canonical(row)
// is a CBOR array (RFC 8949 core deterministic encoding: shortest integers, definite lengths) of
// the fields below, in this order. docs/ledger.md documents the same list for other implementers.
// A row with an authority id is format 2: the format-1 fields under ROW_FORMAT_2, then the
// authority id. Rows without one (all rows recorded before it existed) keep format 1, so they
// verify as they always did; and since the format follows from the row, it cannot be switched
// without changing the hash.
import { createHash, hash as oneShotHash } from 'node:crypto';
import { encode } from 'cborg';
import type { UnhashedRow } from './row';

export const ROW_FORMAT = 'nfc-cashier/ledger-row/1';
export const ROW_FORMAT_2 = 'nfc-cashier/ledger-row/2';
export const GENESIS_HASH: Uint8Array = new Uint8Array(32);

/** The canonical form through cborg: the reference encoding, and the path for anything unusual. */
export function canonicalRowCborg(row: UnhashedRow): Uint8Array {
  return encode(canonicalFields(row));
}

function canonicalFields(row: UnhashedRow): unknown[] {
  return row.authorityId === null ? formatOneFields(row, ROW_FORMAT) : [...formatOneFields(row, ROW_FORMAT_2), row.authorityId];
}

function formatOneFields(row: UnhashedRow, format: string): unknown[] {
  return [
    format,
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
  ];
}

// The same bytes written directly into a reused buffer: every row is hashed when recorded, and
// again for every row an export or verify-export checks, so this is on the hot paths. It covers
// what rows hold (text without lone surrogates, safe integers, booleans, null, bytes, the items);
// anything else goes through cborg. A property test compares the two.
let scratch = Buffer.allocUnsafe(64 * 1024);
let at = 0;

class Unusual extends Error {}

function ensure(extra: number): void {
  if (at + extra <= scratch.length) return;
  const bigger = Buffer.allocUnsafe(Math.max(scratch.length * 2, at + extra));
  scratch.copy(bigger, 0, 0, at);
  scratch = bigger;
}

function head(major: number, value: number): void {
  ensure(9);
  if (value < 24) scratch[at++] = (major << 5) | value;
  else if (value < 0x100) {
    scratch[at++] = (major << 5) | 24;
    scratch[at++] = value;
  } else if (value < 0x10000) {
    scratch[at++] = (major << 5) | 25;
    scratch.writeUInt16BE(value, at);
    at += 2;
  } else if (value < 0x100000000) {
    scratch[at++] = (major << 5) | 26;
    scratch.writeUInt32BE(value, at);
    at += 4;
  } else {
    scratch[at++] = (major << 5) | 27;
    scratch.writeUInt32BE(Math.floor(value / 0x100000000), at);
    scratch.writeUInt32BE(value % 0x100000000, at + 4);
    at += 8;
  }
}

function int(value: number): void {
  if (!Number.isSafeInteger(value)) throw new Unusual();
  if (value >= 0) head(0, value);
  else head(1, -1 - value);
}

function text(value: string): void {
  if (!value.isWellFormed()) throw new Unusual(); // lone surrogates: cborg's path
  if (value.length * 3 < 0x10000) {
    // One pass over the text: written after room for the longest head it can need (3 bytes),
    // then moved back when its head is shorter.
    ensure(3 + value.length * 3);
    const length = scratch.write(value, at + 3, 'utf8');
    const headLength = length < 24 ? 1 : length < 0x100 ? 2 : 3;
    if (headLength !== 3) scratch.copyWithin(at + headLength, at + 3, at + 3 + length);
    head(3, length);
    at += length;
    return;
  }
  const length = Buffer.byteLength(value, 'utf8');
  head(3, length);
  ensure(length);
  at += scratch.write(value, at, length, 'utf8');
}

function bytesRaw(value: Uint8Array): void {
  ensure(value.byteLength);
  scratch.set(value, at);
  at += value.byteLength;
}

function bytes(value: Uint8Array): void {
  head(2, value.byteLength);
  bytesRaw(value);
}

function value(v: unknown): void {
  if (v === null) {
    ensure(1);
    scratch[at++] = 0xf6;
  } else if (typeof v === 'string') text(v);
  else if (typeof v === 'number') int(v);
  else if (typeof v === 'boolean') {
    ensure(1);
    scratch[at++] = v ? 0xf5 : 0xf4;
  } else if (v instanceof Uint8Array) bytes(v);
  else throw new Unusual();
}

/**
 * Writes `prefix` then canonical(row) into the scratch buffer; returns the length written, or -1
 * for cborg's path. The prefix lets the hash be taken in one call over one buffer.
 */
function encodeFast(row: UnhashedRow, prefix: Uint8Array | null): number {
  at = 0;
  try {
    if (prefix) bytesRaw(prefix);
    const authorityId = row.authorityId;
    head(4, authorityId === null ? 34 : 35);
    text(authorityId === null ? ROW_FORMAT : ROW_FORMAT_2);
    int(row.seq);
    value(row.kind);
    value(row.businessDate);
    value(row.recordedAt);
    value(row.localTime);
    value(row.terminalId);
    value(row.merchantId);
    value(row.transactionId);
    value(row.status);
    value(row.reason);
    value(row.detail);
    value(row.amount);
    value(row.currency);
    value(row.accountId);
    value(row.licenseSerial);
    value(row.authorityKid);
    value(row.appCounter);
    value(row.startedAt);
    value(row.finishedAt);
    value(row.apduCount);
    value(row.demo);
    value(row.originalTransactionId);
    value(row.note);
    value(row.operator);
    value(row.zNumber);
    value(row.report);
    if (!Array.isArray(row.items)) throw new Unusual();
    head(4, row.items.length);
    for (const item of row.items) {
      head(4, 3);
      value(item.description);
      value(item.quantity);
      value(item.unitPrice);
    }
    value(row.paymentRequest);
    value(row.paymentResponse);
    value(row.license);
    value(row.deductionRequest);
    value(row.authorization);
    value(row.paymentAuthorization);
    if (authorityId !== null) value(authorityId);
    return at;
  } catch (error) {
    if (error instanceof Unusual) return -1;
    throw error;
  }
}

export function canonicalRow(row: UnhashedRow): Uint8Array {
  const length = encodeFast(row, null);
  return length < 0 ? canonicalRowCborg(row) : new Uint8Array(scratch.subarray(0, length));
}

export function rowHash(row: UnhashedRow): Uint8Array {
  const length = encodeFast(row, row.prevHash);
  if (length < 0) return createHash('sha256').update(row.prevHash).update(canonicalRowCborg(row)).digest();
  return oneShotHash('sha256', scratch.subarray(0, length), 'buffer');
}

export function hashesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.from(b.buffer, b.byteOffset, b.byteLength)) === 0;
}

export const toHex = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
