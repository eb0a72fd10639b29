// Appending rows: the chain head, business-date assignment and the four kinds of row
// (sale attempt, void, refund, day close). Every function here runs inside the caller's transaction.
import type Database from 'better-sqlite3';
import { isReasonCode } from '../domain/reasons';
import type { SessionResult } from '../domain/payment';
import { addDays, businessDateOf, localIsoTime, type BusinessDaySettings } from './business-day';
import { GENESIS_HASH, rowHash } from './canonical';
import { LedgerError } from './errors';
import { isCurrencyCode } from './money';
import type { LedgerItem, LedgerRow, UnhashedRow } from './row';
import { prepared } from './prepared';

export interface ChainHead {
  seq: number; // 0 when empty
  hash: Uint8Array;
  businessDate: string | null; // of the last row
  lastClosedDate: string | null;
  lastZNumber: number; // 0 when never closed
}

export function readHead(db: Database.Database): ChainHead {
  const last = prepared(db, 'SELECT seq, hash, business_date AS businessDate FROM entries ORDER BY seq DESC LIMIT 1').get() as
    { seq: number; hash: Uint8Array; businessDate: string } | undefined;
  const close = prepared(
    db,
    'SELECT business_date AS businessDate, z_number AS zNumber FROM entries WHERE z_number IS NOT NULL ORDER BY z_number DESC LIMIT 1',
  ).get() as { businessDate: string; zNumber: number } | undefined;
  return {
    seq: last?.seq ?? 0,
    hash: last?.hash ?? GENESIS_HASH,
    businessDate: last?.businessDate ?? null,
    lastClosedDate: close?.businessDate ?? null,
    lastZNumber: close?.zNumber ?? 0,
  };
}

/**
 * The business date of a row written now: the clock's business date, but never earlier than the
 * last row's, and always after the last closed day. So a clock jumping backwards never moves
 * rows into an earlier (possibly closed) day, and a close moves later payments to the next day.
 */
export function openBusinessDate(head: ChainHead, now: number, settings: BusinessDaySettings, clockDate?: string): string {
  // clockDate: businessDateOf(now, settings), when the caller already has it.
  let date = clockDate ?? businessDateOf(now, settings);
  if (head.businessDate !== null && head.businessDate > date) date = head.businessDate;
  if (head.lastClosedDate !== null && head.lastClosedDate >= date) date = addDays(head.lastClosedDate, 1);
  return date;
}

const ID_PATTERN = /^[A-Za-z0-9._:-]{1,64}$/;

function fail(message: string): never {
  throw new LedgerError('LEDGER_INVALID_RECORD', message);
}

function optionalText(value: unknown, name: string, max = 256): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || value.length > max) fail(`${name} must be a string of at most ${max} characters`);
  return value;
}

function optionalInteger(value: unknown, name: string): number | null {
  if (value === undefined || value === null) return null;
  if (!Number.isSafeInteger(value)) fail(`${name} must be a safe integer`);
  return value as number;
}

function optionalBytes(value: unknown, name: string): Uint8Array | null {
  if (value === undefined || value === null) return null;
  if (!(value instanceof Uint8Array)) fail(`${name} must be bytes`);
  return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
}

function checkItems(items: unknown): LedgerItem[] {
  if (items === undefined) return [];
  if (!Array.isArray(items) || items.length > 1000) fail('items must be an array of at most 1000 line items');
  return items.map((raw: unknown, index) => {
    const item = raw as Partial<LedgerItem> | null;
    if (typeof item?.description !== 'string' || item.description.length > 200) fail(`item ${index + 1}: description`);
    if (!Number.isSafeInteger(item.quantity) || (item.quantity ?? 0) < 1) fail(`item ${index + 1}: quantity`);
    if (!Number.isSafeInteger(item.unitPrice)) fail(`item ${index + 1}: unit price`);
    return { description: item.description, quantity: item.quantity as number, unitPrice: item.unitPrice as number };
  });
}

export interface RowContext {
  seq: number;
  prevHash: Uint8Array;
  businessDate: string;
  recordedAt: number;
  /** localIsoTime(recordedAt, settings.timeZone), when the caller already has it. */
  localTime?: string;
  settings: BusinessDaySettings;
}

const localTimeOf = (ctx: RowContext): string => ctx.localTime ?? localIsoTime(ctx.recordedAt, ctx.settings.timeZone);

function seal(row: UnhashedRow): LedgerRow {
  return { ...row, hash: rowHash(row) };
}

/** Turns a session result into the sale row it is stored as, refusing shapes the ledger cannot keep. */
export function saleRow(result: SessionResult, ctx: RowContext): LedgerRow {
  const { order, decision, exchange } = result;
  if (typeof order?.transactionId !== 'string' || !ID_PATTERN.test(order.transactionId)) fail('transaction id');
  if (!Number.isSafeInteger(order.amount) || order.amount < 0) fail('amount must be a non-negative integer');
  if (typeof order.currency !== 'string' || !isCurrencyCode(order.currency)) fail(`currency ${String(order.currency)}`);
  if (typeof order.merchantId !== 'string' || order.merchantId === '' || order.merchantId.length > 64) fail('merchant id');
  if (typeof order.terminalId !== 'string' || order.terminalId === '' || order.terminalId.length > 64) fail('terminal id');
  if (decision?.outcome !== 'approved' && decision?.outcome !== 'declined') fail('decision outcome');
  if (decision.outcome === 'declined' && !isReasonCode(decision.reason)) fail(`reason code ${String(decision.reason)}`);
  const facts = decision.facts ?? {};
  return seal({
    seq: ctx.seq,
    kind: 'sale',
    businessDate: ctx.businessDate,
    recordedAt: ctx.recordedAt,
    localTime: localTimeOf(ctx),
    terminalId: order.terminalId,
    merchantId: order.merchantId,
    transactionId: order.transactionId,
    status: decision.outcome,
    reason: decision.outcome === 'declined' ? decision.reason : null,
    detail: decision.outcome === 'declined' ? optionalText(decision.detail, 'detail', 1000) : null,
    amount: order.amount,
    currency: order.currency,
    accountId: optionalText(facts.accountId, 'account id'),
    licenseSerial: optionalText(facts.licenseSerial, 'license serial'),
    authorityKid: optionalText(facts.authorityKid, 'authority kid'),
    authorityId: optionalText(facts.authorityId, 'authority id'),
    appCounter: optionalInteger(facts.appCounter, 'app counter'),
    startedAt: optionalInteger(result.startedAt, 'startedAt'),
    finishedAt: optionalInteger(result.finishedAt, 'finishedAt'),
    apduCount: optionalInteger(result.apduCount, 'apduCount'),
    demo: order.demo === true,
    originalTransactionId: null,
    note: null,
    operator: null,
    zNumber: null,
    report: null,
    items: checkItems(order.items),
    paymentRequest: optionalBytes(exchange?.paymentRequest, 'payment request'),
    paymentResponse: optionalBytes(exchange?.paymentResponse, 'payment response'),
    license: optionalBytes(exchange?.license, 'license'),
    deductionRequest: optionalBytes(exchange?.deductionRequest, 'deduction request'),
    authorization: optionalBytes(exchange?.authorization, 'authorization'),
    paymentAuthorization: optionalBytes(exchange?.paymentAuthorization, 'payment authorization'),
    prevHash: ctx.prevHash,
  });
}

export function voidRow(original: LedgerRow, transactionId: string, who: { reason: string; by: string }, ctx: RowContext): LedgerRow {
  return seal({
    ...original,
    seq: ctx.seq,
    kind: 'void',
    businessDate: ctx.businessDate,
    recordedAt: ctx.recordedAt,
    localTime: localTimeOf(ctx),
    transactionId,
    status: 'voided',
    reason: null,
    detail: null,
    startedAt: null,
    finishedAt: null,
    apduCount: null,
    originalTransactionId: original.transactionId,
    note: optionalText(who.reason, 'void reason', 500),
    operator: optionalText(who.by, 'operator', 100),
    zNumber: null,
    report: null,
    items: [],
    paymentRequest: null,
    paymentResponse: null,
    license: null,
    deductionRequest: null,
    authorization: null,
    paymentAuthorization: null,
    prevHash: ctx.prevHash,
  });
}

/** What a refund row records beyond the sale it names (the ledger checks the rules first). */
export interface RefundFacts {
  amount: number;
  reason: string | null;
  by: string;
  /** The customer's tap at the refund: the exchange's bytes, its license verified to be the sale's account. */
  tap?: { paymentRequest: Uint8Array; paymentResponse: Uint8Array; license: Uint8Array };
}

/**
 * A refund row: the sale's terminal, merchant, account, license serial, authority, currency and
 * demo flag; its own transaction id, amount, reason (note) and who authorised it (operator).
 */
export function refundRow(original: LedgerRow, transactionId: string, facts: RefundFacts, ctx: RowContext): LedgerRow {
  if (!Number.isSafeInteger(facts.amount) || facts.amount <= 0) fail('refund amount must be a positive integer');
  return seal({
    ...original,
    seq: ctx.seq,
    kind: 'refund',
    businessDate: ctx.businessDate,
    recordedAt: ctx.recordedAt,
    localTime: localTimeOf(ctx),
    transactionId,
    status: 'refunded',
    reason: null,
    detail: null,
    amount: facts.amount,
    appCounter: null,
    startedAt: null,
    finishedAt: null,
    apduCount: null,
    originalTransactionId: original.transactionId,
    note: optionalText(facts.reason, 'refund reason', 500),
    operator: optionalText(facts.by, 'operator', 100),
    zNumber: null,
    report: null,
    items: [],
    paymentRequest: optionalBytes(facts.tap?.paymentRequest, 'payment request'),
    paymentResponse: optionalBytes(facts.tap?.paymentResponse, 'payment response'),
    license: optionalBytes(facts.tap?.license, 'license'),
    deductionRequest: null,
    authorization: null,
    paymentAuthorization: null,
    prevHash: ctx.prevHash,
  });
}

export function closeRow(
  identity: { terminalId: string; merchantId: string },
  zNumber: number,
  report: string,
  by: string,
  ctx: RowContext,
): LedgerRow {
  return seal({
    seq: ctx.seq,
    kind: 'close',
    businessDate: ctx.businessDate,
    recordedAt: ctx.recordedAt,
    localTime: localTimeOf(ctx),
    terminalId: identity.terminalId,
    merchantId: identity.merchantId,
    transactionId: null,
    status: 'closed',
    reason: null,
    detail: null,
    amount: null,
    currency: null,
    accountId: null,
    licenseSerial: null,
    authorityKid: null,
    authorityId: null,
    appCounter: null,
    startedAt: null,
    finishedAt: null,
    apduCount: null,
    demo: false,
    originalTransactionId: null,
    note: null,
    operator: optionalText(by, 'operator', 100),
    zNumber,
    report,
    items: [],
    paymentRequest: null,
    paymentResponse: null,
    license: null,
    deductionRequest: null,
    authorization: null,
    paymentAuthorization: null,
    prevHash: ctx.prevHash,
  });
}
