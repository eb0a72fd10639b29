// The cashier's side of a payment as the contract shows it: the payment in progress, its
// decision, the sale nobody saw decided, and a sale found for a refund. Pure: the receipt and
// the clock's reading are passed in.
import type { PaymentSnapshot as ControllerSnapshot } from '../checkout/types';
import type { Decision, PaymentOrder } from '../domain/payment';
import { isReasonCode } from '../domain/reasons';
import type { RefundableSale } from '../ledger/ledger';
import { maskAccount } from '../ledger/mask';
import { minorUnits } from '../ledger/money';
import type { LedgerRow } from '../ledger/row';
import type { DecisionView, PaymentSnapshot, Receipt, RefundableSale as RefundableSaleView, UnshownPayment } from './contract';
import { verifiedLicense } from './receipt-view';

export function decisionViewOf(order: PaymentOrder, decision: Decision, decidedAt: number, receipt: Receipt): DecisionView {
  const f = decision.facts;
  return {
    transactionId: order.transactionId,
    outcome: decision.outcome,
    ...(decision.outcome === 'declined' ? { reason: decision.reason, detail: decision.detail } : {}),
    amount: order.amount,
    currency: order.currency,
    ...verifiedLicense(f.licenseVerified === true, f.accountId, f.licenseSerial),
    ...(f.appCounter !== undefined ? { appCounter: f.appCounter } : {}),
    decidedAt,
    demo: order.demo ?? false,
    receipt,
  };
}

/**
 * The controller's snapshot as the contract shows it; null when idle. `now` stands in for the
 * times of a payment not yet decided; `decisionView` turns a decision into its view.
 */
export function paymentSnapshotOf(
  s: ControllerSnapshot,
  now: number,
  decisionView: (order: PaymentOrder, decision: Decision, decidedAt: number) => DecisionView,
): PaymentSnapshot | null {
  const order = s.order;
  if (s.stage === 'idle' || !order) return null;
  const decidedAt = s.decidedAt ?? now;
  return {
    transactionId: order.transactionId,
    amount: order.amount,
    currency: order.currency,
    ...(order.items ? { items: order.items.map((i) => ({ ...i })) } : {}),
    stage: s.stage,
    startedAt: s.startedAt ?? decidedAt,
    ...(s.waitingDeadline !== undefined ? { waitingDeadline: s.waitingDeadline } : {}),
    finished: s.finished,
    ...(s.decision ? { decision: decisionView(order, s.decision, decidedAt) } : {}),
    ...(s.notice ? { notice: s.notice } : {}),
    demo: order.demo ?? false,
  };
}

/** The newest sale the cashier never saw decided, when it is an approved or declined sale with an amount. */
export function unshownPaymentOf(row: LedgerRow | undefined): UnshownPayment | null {
  if (!row?.transactionId || !row.currency || !row.amount || (row.status !== 'approved' && row.status !== 'declined')) return null;
  return {
    transactionId: row.transactionId,
    outcome: row.status,
    ...(row.reason && isReasonCode(row.reason) ? { reason: row.reason } : {}),
    amount: row.amount,
    currency: row.currency,
    minorUnits: minorUnits(row.currency),
    time: row.recordedAt,
    demo: row.demo,
  };
}

/** A sale found for a refund; `currency` is the store's, for a sale without one. */
export function refundableSaleOf(found: RefundableSale, currency: string): RefundableSaleView {
  const sale = found.sale;
  const saleCurrency = sale.currency ?? currency;
  const refunded = found.refunds.reduce((sum, r) => sum + r.amount, 0);
  const masked = sale.status === 'approved' ? maskAccount(sale.accountId) : null;
  return {
    transactionId: sale.transactionId ?? '',
    businessDate: sale.businessDate,
    time: sale.recordedAt,
    status: sale.status === 'approved' ? 'approved' : 'declined',
    amount: sale.amount ?? 0,
    currency: saleCurrency,
    minorUnits: minorUnits(saleCurrency),
    ...(masked ? { maskedAccount: masked } : {}),
    demo: sale.demo,
    voided: found.voided,
    refunded,
    remainder: found.voided ? 0 : found.remainder,
    refunds: found.refunds.map((r) => ({
      transactionId: r.transactionId,
      amount: r.amount,
      businessDate: r.businessDate,
      authorisedBy: r.operator === 'cashier' ? 'cashier' : 'manager',
    })),
  };
}
