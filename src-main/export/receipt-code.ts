// The signed code on every receipt: what the row says (terminal key, sequence number,
// transaction, amount, currency, time, status, row hash prefix), signed by the terminal key, as
// one line of text for a QR code. The customer keeps a record that no rollback of the terminal
// can erase (the idea of fiscal receipt signatures such as Austria's RKSV). Format: docs/ledger.md.
import type { KeyObject } from 'node:crypto';
import QRCode from 'qrcode';
import { z } from 'zod';
import { toHex } from '../ledger/canonical';
import type { LedgerRow } from '../ledger/row';
import { signEs256Raw, verifyEs256Raw, type TerminalKey } from './terminal-key';

export const RECEIPT_CODE_PREFIX = 'NFCR1';
/** Hex digits of the key id and of the row hash kept in the code (64 bits each). */
const PREFIX_HEX = 16;

const hex = (length: number) => z.string().regex(new RegExp(`^[0-9a-f]{${length}}$`));
const FieldsSchema = z.tuple([
  z.literal(RECEIPT_CODE_PREFIX),
  hex(PREFIX_HEX), // terminal key id prefix
  z.string().regex(/^[1-9]\d{0,15}$/), // seq
  z.string().regex(/^[A-Za-z0-9._:-]{1,64}$/), // transaction id
  z.string().regex(/^(0|[1-9]\d{0,15})$/), // amount, minor units
  z.string().regex(/^[A-Z]{3}$/), // currency
  z.string().regex(/^[1-9]\d{0,15}$/), // recorded at, epoch ms
  z.string().regex(/^[a-z]{1,16}$/), // status
  hex(PREFIX_HEX), // row hash prefix
  z.string().regex(/^[A-Za-z0-9_-]{86}$/), // ES256 raw r||s, base64url
]);

export interface ReceiptCode {
  keyIdPrefix: string;
  seq: number;
  transactionId: string;
  amount: number;
  currency: string;
  recordedAt: number;
  status: string;
  hashPrefix: string;
  /** The bytes the signature covers: the text before the last `|`. */
  signed: Uint8Array;
  signature: Uint8Array;
}

export class ReceiptCodeError extends Error {
  override readonly name = 'ReceiptCodeError';
}

/** The code of a receipt's row (sale, decline, void, refund: any row with a transaction id); undefined for a day close. */
export function receiptCodeText(row: LedgerRow, key: TerminalKey): string | undefined {
  if (row.transactionId === null || row.amount === null || row.currency === null) return undefined;
  const signed = [
    RECEIPT_CODE_PREFIX,
    key.keyId.slice(0, PREFIX_HEX),
    String(row.seq),
    row.transactionId,
    String(row.amount),
    row.currency,
    String(row.recordedAt),
    row.status,
    toHex(row.hash).slice(0, PREFIX_HEX),
  ].join('|');
  const signature = Buffer.from(signEs256Raw(key.privateKey, Buffer.from(signed, 'utf8'))).toString('base64url');
  return `${signed}|${signature}`;
}

export function parseReceiptCode(text: string): ReceiptCode {
  const parsed = FieldsSchema.safeParse(text.trim().split('|'));
  if (!parsed.success) throw new ReceiptCodeError(`not a ${RECEIPT_CODE_PREFIX} receipt code`);
  const [, keyIdPrefix, seq, transactionId, amount, currency, recordedAt, status, hashPrefix, signature] = parsed.data;
  const trimmed = text.trim();
  return {
    keyIdPrefix,
    seq: Number(seq),
    transactionId,
    amount: Number(amount),
    currency,
    recordedAt: Number(recordedAt),
    status,
    hashPrefix,
    signed: Buffer.from(trimmed.slice(0, trimmed.lastIndexOf('|')), 'utf8'),
    signature: Buffer.from(signature, 'base64url'),
  };
}

/** Checks the code's signature with the terminal's public key, whose id must be `keyId` (pinned). */
export function verifyReceiptCode(code: ReceiptCode, keyId: string, publicKey: KeyObject): string[] {
  const problems: string[] = [];
  if (!keyId.toLowerCase().startsWith(code.keyIdPrefix))
    problems.push(`the receipt names terminal key ${code.keyIdPrefix}…, not the pinned ${keyId.slice(0, PREFIX_HEX)}…`);
  else if (!verifyEs256Raw(publicKey, code.signed, code.signature))
    problems.push('the signature does not verify with the pinned terminal key');
  return problems;
}

/** The row an export holds at the code's sequence number, compared with the code. */
export function compareWithRow(
  code: ReceiptCode,
  row: Pick<LedgerRow, 'transactionId' | 'amount' | 'currency' | 'recordedAt' | 'status' | 'hash'>,
): string[] {
  const problems: string[] = [];
  const expect = (what: string, receipt: unknown, ledger: unknown) => {
    if (receipt !== ledger) problems.push(`row ${code.seq}: the receipt says ${what} ${String(receipt)}, the export ${String(ledger)}`);
  };
  expect('transaction', code.transactionId, row.transactionId);
  expect('amount', code.amount, row.amount);
  expect('currency', code.currency, row.currency);
  expect('time', code.recordedAt, row.recordedAt);
  expect('status', code.status, row.status);
  expect('row hash', code.hashPrefix, toHex(row.hash).slice(0, PREFIX_HEX));
  return problems;
}

/** The code as a PNG QR image (error correction M: survives a smudged thermal print). */
export function receiptQrPng(text: string, scale = 4): Promise<Buffer> {
  return QRCode.toBuffer(text, { type: 'png', errorCorrectionLevel: 'M', margin: 4, scale });
}

export async function receiptQrDataUrl(text: string): Promise<string> {
  return `data:image/png;base64,${(await receiptQrPng(text)).toString('base64')}`;
}
