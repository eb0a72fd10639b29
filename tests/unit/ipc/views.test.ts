// The pure presenters of the IPC layer: receipts written once for a ledger row and for a
// decision nothing recorded, the payment and manager views. No terminal: plain values in.
import { describe, expect, it } from 'vitest';
import type { PaymentSnapshot as ControllerSnapshot } from '../../../src-main/checkout/types';
import type { Decision, PaymentOrder } from '../../../src-main/domain/payment';
import type { RefundableSale } from '../../../src-main/ledger/ledger';
import type { AttemptSummary } from '../../../src-main/ledger/queries';
import type { LedgerRow } from '../../../src-main/ledger/row';
import { demoStatusOf, logEntryOf, pinStateOf } from '../../../src-main/ipc/manager-view';
import { decisionViewOf, paymentSnapshotOf, refundableSaleOf, unshownPaymentOf } from '../../../src-main/ipc/payment-view';
import { receiptOfOrder, receiptOfRow, rowLicenseFactsVerified, type ReceiptContext } from '../../../src-main/ipc/receipt-view';

const CONTEXT: ReceiptContext = { merchantName: 'Tea House', timeZone: 'Asia/Shanghai', locale: 'zh-CN', paperWidth: 58 };
const T = Date.UTC(2026, 10, 23, 2, 0, 0);
const id = (n: number) => n.toString(16).padStart(32, '0');

function row(overrides: Partial<LedgerRow>): LedgerRow {
  return {
    seq: 7,
    kind: 'sale',
    businessDate: '2026-11-23',
    recordedAt: T,
    localTime: '2026-11-23T10:00:00+08:00',
    terminalId: 'T-1',
    merchantId: 'M-1',
    transactionId: id(1),
    status: 'approved',
    reason: null,
    detail: null,
    amount: 1234,
    currency: 'CNY',
    accountId: 'ACC-0012345678',
    licenseSerial: 'L-9',
    authorityKid: 'kid-1',
    authorityId: 'auth-1',
    appCounter: 5,
    startedAt: T - 900,
    finishedAt: T - 100,
    apduCount: 6,
    demo: false,
    originalTransactionId: null,
    note: null,
    operator: null,
    zNumber: null,
    report: null,
    items: [{ description: 'Tea', quantity: 2, unitPrice: 617 }],
    paymentRequest: null,
    paymentResponse: null,
    license: new Uint8Array([1]),
    deductionRequest: new Uint8Array([2]),
    authorization: null,
    paymentAuthorization: null,
    prevHash: new Uint8Array(32),
    hash: new Uint8Array(32).fill(1),
    ...overrides,
  };
}

const ORDER: PaymentOrder = {
  transactionId: id(1),
  amount: 1234,
  currency: 'CNY',
  merchantId: 'M-1',
  terminalId: 'T-1',
  items: [{ description: 'Tea', quantity: 2, unitPrice: 617 }],
};
const APPROVED: Decision = {
  outcome: 'approved',
  facts: { accountId: 'ACC-0012345678', licenseSerial: 'L-9', appCounter: 5, licenseVerified: true },
};

describe('receipts, written once', () => {
  it('a recorded sale and the same sale decided from its order agree on every shared field', () => {
    const fromRow = receiptOfRow({ row: row({}), verified: true, currency: 'EUR', code: 'NFCR1|x' }, CONTEXT);
    const fromOrder = receiptOfOrder(ORDER, APPROVED, T, CONTEXT);
    expect(fromRow).toEqual({ ...fromOrder, seq: 7, code: 'NFCR1|x' });
    expect(fromOrder).toEqual({
      transactionId: id(1),
      kind: 'sale',
      status: 'approved',
      merchantId: 'M-1',
      merchantName: 'Tea House',
      terminalId: 'T-1',
      time: T,
      timeZone: 'Asia/Shanghai',
      locale: 'zh-CN',
      amount: 1234,
      currency: 'CNY',
      minorUnits: 2,
      items: [{ description: 'Tea', quantity: 2, unitPrice: 617 }],
      maskedAccount: '**********5678',
      licenseSerial: 'L-9',
      appCounter: 5,
      demo: false,
      paperWidth: 58,
    });
  });

  it('never prints a phone’s claim as a fact, and a row without a currency takes the store’s', () => {
    const claim = row({ status: 'declined', reason: 'license_signature_invalid', currency: null, deductionRequest: null });
    expect(rowLicenseFactsVerified({ status: 'declined', reason: 'license_signature_invalid', deductionSent: false })).toBe(false);
    const receipt = receiptOfRow({ row: claim, verified: false, currency: 'JPY', code: undefined }, CONTEXT);
    expect(receipt).toMatchObject({ status: 'declined', reason: 'license_signature_invalid', currency: 'JPY', minorUnits: 0 });
    expect(receipt).not.toHaveProperty('maskedAccount');
    expect(receipt).not.toHaveProperty('licenseSerial');
    expect(receipt).not.toHaveProperty('code');
    const timedOut = receiptOfOrder(ORDER, { outcome: 'declined', reason: 'wait_timeout', detail: 'nobody', facts: {} }, T, CONTEXT);
    expect(timedOut).toMatchObject({ status: 'declined', reason: 'wait_timeout' });
    expect(timedOut).not.toHaveProperty('maskedAccount');
  });

  it('a refund receipt names its sale and what was left of it once this refund was recorded', () => {
    const sale = row({ amount: 1000 });
    const refunded: RefundableSale = {
      sale,
      refunds: [
        { seq: 8, transactionId: id(2), amount: 300, businessDate: '2026-11-23', localTime: '', operator: 'manager', note: null },
        { seq: 9, transactionId: id(3), amount: 200, businessDate: '2026-11-23', localTime: '', operator: 'cashier', note: null },
      ],
      remainder: 500,
      voided: false,
    };
    const first = row({
      seq: 8,
      kind: 'refund',
      status: 'refunded',
      transactionId: id(2),
      amount: 300,
      originalTransactionId: id(1),
      note: 'cup broken',
      operator: 'cashier',
      license: null,
    });
    expect(receiptOfRow({ row: first, verified: true, currency: 'CNY', code: 'c', refunded }, CONTEXT)).toMatchObject({
      kind: 'refund',
      status: 'refunded',
      refund: {
        original: { transactionId: id(1), businessDate: '2026-11-23', time: T, amount: 1000 },
        remainder: 700,
        reason: 'cup broken',
        authorisedBy: 'cashier',
        accountVerifiedByTap: false,
      },
    });
    expect(refundableSaleOf(refunded, 'EUR')).toMatchObject({
      refunded: 500,
      remainder: 500,
      currency: 'CNY',
      maskedAccount: '**********5678',
    });
    expect(refundableSaleOf({ ...refunded, voided: true }, 'EUR').remainder).toBe(0);
  });
});

describe('payment views', () => {
  it('an idle controller shows no payment; a decided one carries its decision view', () => {
    expect(paymentSnapshotOf({ stage: 'idle', inProgress: false, finished: false }, T, () => expect.unreachable())).toBeNull();
    const decided: ControllerSnapshot = {
      stage: 'approved',
      inProgress: false,
      order: ORDER,
      decision: APPROVED,
      startedAt: T - 5000,
      decidedAt: T,
      finished: false,
    };
    const receipt = receiptOfOrder(ORDER, APPROVED, T, CONTEXT);
    const snapshot = paymentSnapshotOf(decided, T + 60_000, (order, decision, at) => decisionViewOf(order, decision, at, receipt));
    expect(snapshot).toMatchObject({ stage: 'approved', startedAt: T - 5000, finished: false, demo: false });
    expect(snapshot?.decision).toMatchObject({ outcome: 'approved', decidedAt: T, maskedAccount: '**********5678', receipt });
  });

  it('the unshown payment is an approved or declined sale with an amount, nothing else', () => {
    expect(unshownPaymentOf(row({}))).toEqual({
      transactionId: id(1),
      outcome: 'approved',
      amount: 1234,
      currency: 'CNY',
      minorUnits: 2,
      time: T,
      demo: false,
    });
    expect(unshownPaymentOf(undefined)).toBeNull();
    expect(unshownPaymentOf(row({ kind: 'void', status: 'voided' }))).toBeNull();
    expect(unshownPaymentOf(row({ amount: 0 }))).toBeNull();
  });
});

describe('manager views', () => {
  it('a PIN lockout that has run out is no lockout', () => {
    const status = { set: true, failures: 5, triesLeft: 3, lockedUntil: T };
    expect(pinStateOf(status, T - 1)).toEqual({ locked: true, lockedUntil: T, failedAttempts: 5, remainingAttempts: 0 });
    expect(pinStateOf(status, T)).toEqual({ locked: false, failedAttempts: 5, remainingAttempts: 3 });
  });

  it('demo status counts the real keys that are active', () => {
    const keys = [
      { demo: true, status: 'active' as const },
      { demo: false, status: 'active' as const },
      { demo: false, status: 'retired' as const },
    ];
    expect(demoStatusOf(true, { issuedAt: T, expiresAt: T + 1 }, keys)).toEqual({
      active: true,
      licensesIssuedAt: T,
      licensesExpireAt: T + 1,
      realKeys: 1,
    });
    expect(demoStatusOf(false, undefined, [])).toEqual({ active: false, realKeys: 0 });
  });

  it('a log entry marks a claim as one and names what a void cancels', () => {
    const base: AttemptSummary = {
      seq: 3,
      kind: 'sale',
      status: 'declined',
      reason: 'license_signature_invalid',
      detail: null,
      transactionId: id(1),
      originalTransactionId: null,
      voidedBy: null,
      refundedTotal: 0,
      amount: 500,
      currency: null,
      accountId: 'ACC-1',
      accountMasked: '****C-1',
      licenseSerial: 'L-1',
      authorityId: null,
      appCounter: null,
      recordedAt: T,
      localTime: '',
      businessDate: '2026-11-23',
      demo: false,
      itemCount: 0,
      deductionSent: false,
      operator: null,
      note: null,
      zNumber: null,
    };
    expect(logEntryOf(base, 'CNY')).toMatchObject({ type: 'sale', currency: 'CNY', licenseFactsVerified: false, voided: false });
    const voidEntry = logEntryOf(
      { ...base, kind: 'void', status: 'voided', reason: null, originalTransactionId: id(9), note: 'returned' },
      'CNY',
    );
    expect(voidEntry).toMatchObject({ type: 'void', voidOf: id(9), voidReason: 'returned', licenseFactsVerified: true });
  });
});
