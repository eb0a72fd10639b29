// Receipts as the contract shows them, written once for the two sources a receipt comes from:
// a ledger row (every recorded sale, decline, void and refund, and every reprint) and a
// decision that reached no row (timeout, cancel while waiting, cannot_record). Pure: the
// store's settings, the signed code and the refunded sale are passed in.
import type { Decision, PaymentOrder } from '../domain/payment';
import { isReasonCode } from '../domain/reasons';
import type { RefundableSale } from '../ledger/ledger';
import { maskAccount } from '../ledger/mask';
import { minorUnits } from '../ledger/money';
import type { LedgerRow } from '../ledger/row';
import { licenseFactsVerified } from '../verification/license-facts';
import type { Receipt } from './contract';

/** What a receipt takes from the store rather than from the payment. */
export interface ReceiptContext {
  merchantName: string;
  timeZone: string;
  locale: string;
  paperWidth: Receipt['paperWidth'];
}

/**
 * Whether a stored row's license facts are the authority's word: approvals and voids always;
 * a decline by its reason and whether the deduction request went out, as the row does not keep
 * `licenseVerified`.
 */
export function rowLicenseFactsVerified(row: { status: string; reason: string | null; deductionSent: boolean }): boolean {
  if (row.status !== 'declined') return true;
  return row.reason !== null && isReasonCode(row.reason) && licenseFactsVerified(row.reason, row.deductionSent);
}

/** rowLicenseFactsVerified of a full ledger row. */
export function ledgerRowLicenseFactsVerified(row: LedgerRow): boolean {
  return rowLicenseFactsVerified({ status: row.status, reason: row.reason, deductionSent: row.deductionRequest !== null });
}

/** Account and serial for the cashier's screen and receipts: only when they are facts. */
export function verifiedLicense(verified: boolean, accountId: string | null | undefined, licenseSerial: string | null | undefined) {
  if (!verified) return {};
  const masked = accountId ? maskAccount(accountId) : null;
  return { ...(masked ? { maskedAccount: masked } : {}), ...(licenseSerial ? { licenseSerial } : {}) };
}

/** The fields a receipt's source decides; the context adds the store's. */
type ReceiptSource = Omit<Receipt, keyof ReceiptContext | 'minorUnits' | 'maskedAccount' | 'licenseSerial'> & {
  license: { verified: boolean; accountId: string | null | undefined; licenseSerial: string | null | undefined };
};

function receiptOf(source: ReceiptSource, context: ReceiptContext): Receipt {
  const { license, ...fields } = source;
  return {
    ...fields,
    merchantName: context.merchantName,
    timeZone: context.timeZone,
    locale: context.locale,
    minorUnits: minorUnits(source.currency),
    ...verifiedLicense(license.verified, license.accountId, license.licenseSerial),
    paperWidth: context.paperWidth,
  };
}

/** The sale a refund row names, and what was left of it once this refund was recorded. */
export function refundPartOf(row: LedgerRow, found: RefundableSale): NonNullable<Receipt['refund']> {
  const refundedThrough = found.refunds.filter((r) => r.seq <= row.seq).reduce((sum, r) => sum + r.amount, 0);
  return {
    original: {
      transactionId: found.sale.transactionId ?? '',
      businessDate: found.sale.businessDate,
      time: found.sale.recordedAt,
      amount: found.sale.amount ?? 0,
    },
    remainder: (found.sale.amount ?? 0) - refundedThrough,
    ...(row.note ? { reason: row.note } : {}),
    authorisedBy: row.operator === 'cashier' ? 'cashier' : 'manager',
    accountVerifiedByTap: row.license !== null,
  };
}

export interface RowReceiptInput {
  row: LedgerRow;
  /** Whether the row's account and serial are facts (a live decision knows it exactly). */
  verified: boolean;
  /** The currency of the store, for a row without one. */
  currency: string;
  /** The row's signed code (receipt-code.ts); undefined for rows without one. */
  code: string | undefined;
  /** For a refund row: the sale it refunds, as the ledger has it now. */
  refunded?: RefundableSale;
}

export function receiptOfRow(input: RowReceiptInput, context: ReceiptContext): Receipt {
  const { row } = input;
  return receiptOf(
    {
      transactionId: row.transactionId ?? '',
      kind: row.kind === 'void' || row.kind === 'refund' ? row.kind : 'sale',
      status: row.status === 'closed' ? 'approved' : row.status,
      ...(row.reason && isReasonCode(row.reason) ? { reason: row.reason } : {}),
      merchantId: row.merchantId,
      terminalId: row.terminalId,
      time: row.recordedAt,
      amount: row.amount ?? 0,
      currency: row.currency ?? input.currency,
      ...(row.items.length > 0 ? { items: row.items.map((i) => ({ ...i })) } : {}),
      license: { verified: input.verified, accountId: row.accountId, licenseSerial: row.licenseSerial },
      ...(row.appCounter !== null ? { appCounter: row.appCounter } : {}),
      seq: row.seq,
      ...(row.originalTransactionId && row.kind === 'void' ? { voidOf: row.originalTransactionId } : {}),
      ...(row.kind === 'refund' && input.refunded ? { refund: refundPartOf(row, input.refunded) } : {}),
      demo: row.demo,
      ...(input.code === undefined ? {} : { code: input.code }),
    },
    context,
  );
}

/** A decision that reached no ledger row (timeout, cancel while waiting, cannot_record). */
export function receiptOfOrder(order: PaymentOrder, decision: Decision, at: number, context: ReceiptContext): Receipt {
  const f = decision.facts;
  return receiptOf(
    {
      transactionId: order.transactionId,
      kind: 'sale',
      status: decision.outcome,
      ...(decision.outcome === 'declined' ? { reason: decision.reason } : {}),
      merchantId: order.merchantId,
      terminalId: order.terminalId,
      time: at,
      amount: order.amount,
      currency: order.currency,
      ...(order.items ? { items: order.items.map((i) => ({ ...i })) } : {}),
      license: { verified: f.licenseVerified === true, accountId: f.accountId, licenseSerial: f.licenseSerial },
      ...(f.appCounter !== undefined ? { appCounter: f.appCounter } : {}),
      demo: order.demo ?? false,
    },
    context,
  );
}
