import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Ledger } from '../../../src-main/ledger/ledger';
import { makeResult, openTestLedger, T0, tempDir, txId } from './fixtures';

const DAY = 24 * 3_600_000;

describe('refunds', () => {
  let cleanup: () => void;
  let dir: string;
  let ledger: Ledger;
  let now = T0;

  beforeEach(() => {
    const t = tempDir();
    cleanup = t.cleanup;
    dir = t.dir;
    now = T0;
    ledger = openTestLedger(dir, { clock: () => now });
  });
  afterEach(() => {
    ledger.close();
    cleanup();
  });

  const refusal = (fn: () => unknown): string | undefined => {
    try {
      fn();
    } catch (error) {
      return (error as { code?: string }).code;
    }
    return undefined;
  };

  it('partial refunds add up to the sale; the remainder is derived from the rows', () => {
    ledger.record(makeResult({ n: 1, amount: 1000, licenseSerial: 'LIC-9' }));
    const first = ledger.refund(txId(1), { amount: 300, reason: 'one item back', by: 'manager' });
    expect(first).toMatchObject({
      originalTransactionId: txId(1),
      amount: 300,
      currency: 'CNY',
      remainder: 700,
      businessDate: '2026-11-23',
    });
    expect(first.transactionId).toMatch(/^[0-9a-f]{32}$/);
    const second = ledger.refund(txId(1), { amount: 700, by: 'cashier' });
    expect(second.remainder).toBe(0);
    expect(refusal(() => ledger.refund(txId(1), { amount: 1, by: 'manager' }))).toBe('REFUND_OVER_REMAINDER');
    const view = ledger.refundable(txId(1));
    expect(view.remainder).toBe(0);
    expect(view.refunds.map((r) => [r.amount, r.operator, r.note])).toEqual([
      [300, 'manager', 'one item back'],
      [700, 'cashier', null],
    ]);
    const row = ledger.getAttempt(first.transactionId);
    expect(row).toMatchObject({
      kind: 'refund',
      status: 'refunded',
      originalTransactionId: txId(1),
      amount: 300,
      currency: 'CNY',
      accountId: 'acct-1001',
      licenseSerial: 'LIC-9',
      authorityKid: 'authority-1',
      appCounter: null,
      note: 'one item back',
      operator: 'manager',
      license: null,
      authorization: null,
    });
    expect(ledger.verifyChain().ok).toBe(true);
  });

  it('refunds a sale of a closed business day into the open day', () => {
    ledger.record(makeResult({ n: 1, amount: 500 }));
    ledger.closeDay({ by: 'manager' });
    now += DAY * 3;
    const refund = ledger.refund(txId(1), { amount: 200, by: 'manager' });
    expect(refund.businessDate).toBe('2026-11-26');
    expect(ledger.refundable(txId(1)).remainder).toBe(300);
    const x = ledger.xReport();
    expect(x.counts).toEqual({ approved: 0, declined: 0, voided: 0, refunded: 1 });
    expect(x.totals).toEqual([
      expect.objectContaining({ currency: 'CNY', approvedTotal: 0, refundCount: 1, refundTotal: 200, netTotal: -200 }),
    ]);
    expect(x.refunds).toEqual([
      expect.objectContaining({
        transactionId: refund.transactionId,
        originalTransactionId: txId(1),
        originalBusinessDate: '2026-11-23',
        amount: 200,
      }),
    ]);
    // The closed day's Z report is what it was.
    expect(ledger.zReport('2026-11-23')?.totals[0]).toMatchObject({ approvedTotal: 500, refundTotal: 0, netTotal: 500 });
    const z = ledger.closeDay({ by: 'manager' });
    expect(z.totals[0]).toMatchObject({ refundTotal: 200, netTotal: -200 });
  });

  it('refuses every case with a stable code, and records nothing then', () => {
    ledger.record(makeResult({ n: 1, amount: 1000 }));
    ledger.record(makeResult({ n: 2, amount: 1000, declined: 'license_expired' }));
    ledger.record(makeResult({ n: 3, amount: 1000 }));
    const voided = ledger.void(txId(3), { reason: 'wrong amount', by: 'manager' });
    const refund = ledger.refund(txId(1), { amount: 100, by: 'manager' });
    const rows = ledger.verifyChain().rows;
    expect(refusal(() => ledger.refund(txId(99), { amount: 1, by: 'manager' }))).toBe('REFUND_NOT_FOUND');
    expect(refusal(() => ledger.refund(voided.transactionId, { amount: 1, by: 'manager' }))).toBe('REFUND_NOT_A_SALE');
    expect(refusal(() => ledger.refund(refund.transactionId, { amount: 1, by: 'manager' }))).toBe('REFUND_NOT_A_SALE');
    expect(refusal(() => ledger.refund(txId(2), { amount: 1, by: 'manager' }))).toBe('REFUND_NOT_APPROVED');
    expect(refusal(() => ledger.refund(txId(3), { amount: 1, by: 'manager' }))).toBe('REFUND_VOIDED');
    expect(refusal(() => ledger.refund(txId(1), { amount: 1, currency: 'USD', by: 'manager' }))).toBe('REFUND_CURRENCY');
    for (const amount of [0, -5, 1.5, Number.NaN]) {
      expect(refusal(() => ledger.refund(txId(1), { amount, by: 'manager' }))).toBe('REFUND_INVALID_AMOUNT');
    }
    expect(refusal(() => ledger.refund(txId(1), { amount: 901, by: 'manager' }))).toBe('REFUND_OVER_REMAINDER');
    expect(refusal(() => ledger.refund(txId(1), { amount: 1, by: ' ' }))).toBe('LEDGER_INVALID_RECORD');
    // A sale with refunds is not voided (the money would go back twice).
    expect(refusal(() => ledger.void(txId(1), { reason: 'x', by: 'manager' }))).toBe('VOID_REFUNDED');
    expect(ledger.verifyChain().rows).toBe(rows);
  });

  it('a refund id given by the till is idempotent', () => {
    ledger.record(makeResult({ n: 1, amount: 1000 }));
    const id = 'ab'.repeat(16);
    const once = ledger.refund(txId(1), { amount: 400, by: 'manager', transactionId: id });
    const again = ledger.refund(txId(1), { amount: 400, by: 'manager', transactionId: id });
    expect(again).toEqual(once);
    expect(ledger.refundable(txId(1)).refunds).toHaveLength(1);
    expect(refusal(() => ledger.refund(txId(1), { amount: 300, by: 'manager', transactionId: id }))).toBe('LEDGER_INVALID_RECORD');
    expect(refusal(() => ledger.refund(txId(1), { amount: 300, by: 'manager', transactionId: txId(1) }))).toBe('LEDGER_INVALID_RECORD');
  });

  it("lowers the offline spend of the sale's license (voids and refunds both count)", () => {
    ledger.record(makeResult({ n: 1, amount: 1000, licenseSerial: 'LIC-7' }));
    ledger.record(makeResult({ n: 2, amount: 500, licenseSerial: 'LIC-7' }));
    ledger.record(makeResult({ n: 3, amount: 800, licenseSerial: 'LIC-8' }));
    const lic7 = { authorityId: 'acme', serial: 'LIC-7' };
    expect(ledger.spentOffline(lic7, 'CNY')).toBe(1500);
    ledger.refund(txId(1), { amount: 250, by: 'manager' });
    expect(ledger.spentOffline(lic7, 'CNY')).toBe(1250);
    ledger.void(txId(2), { reason: 'x', by: 'manager' });
    expect(ledger.spentOffline(lic7, 'CNY')).toBe(750);
    expect(ledger.spentOffline({ authorityId: 'acme', serial: 'LIC-8' }, 'CNY')).toBe(800);
    expect(ledger.spentOffline({ authorityId: 'other', serial: 'LIC-7' }, 'CNY')).toBe(0);
    expect(ledger.spentOffline(lic7, 'USD')).toBe(0);
  });

  it('lists refunds in the day log, with what each sale had refunded', () => {
    ledger.record(makeResult({ n: 1, amount: 1000 }));
    const refund = ledger.refund(txId(1), { amount: 100, by: 'manager' });
    const page = ledger.listAttempts({ businessDate: '2026-11-23', order: 'asc' });
    expect(page.rows.map((r) => [r.kind, r.status, r.refundedTotal])).toEqual([
      ['sale', 'approved', 100],
      ['refund', 'refunded', 0],
    ]);
    expect(ledger.listAttempts({ businessDate: '2026-11-23', search: txId(1) }).rows.map((r) => r.transactionId)).toEqual([
      refund.transactionId,
      txId(1),
    ]);
  });

  it('a refund row edited in the file is caught by the hash chain', () => {
    ledger.record(makeResult({ n: 1, amount: 1000 }));
    const refund = ledger.refund(txId(1), { amount: 100, by: 'manager' });
    ledger.close();
    const db = new Database(`${dir}/ledger.sqlite`);
    db.exec('DROP TRIGGER entries_no_update');
    db.prepare('UPDATE entries SET amount = 1 WHERE transaction_id = ?').run(refund.transactionId);
    db.close();
    ledger = openTestLedger(dir, { clock: () => now });
    const chain = ledger.verifyChain();
    expect(chain.ok).toBe(false);
    expect(chain.firstBroken?.seq).toBe(refund.seq);
  });
});
