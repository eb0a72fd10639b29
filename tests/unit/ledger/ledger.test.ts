import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LedgerError } from '../../../src-main/ledger/errors';
import type { Ledger } from '../../../src-main/ledger/ledger';
import { makeResult, openTestLedger, T0, tempDir, txId } from './fixtures';

const HOUR = 3_600_000;

describe('Ledger recording', () => {
  let dir: string;
  let cleanup: () => void;
  let ledger: Ledger;
  let now = T0;

  beforeEach(() => {
    ({ dir, cleanup } = tempDir());
    now = T0;
    ledger = openTestLedger(dir, { clock: () => now });
  });
  afterEach(() => {
    ledger.close();
    cleanup();
  });

  it('records approvals and declines with growing sequence numbers and the store business date', () => {
    const a = ledger.record(makeResult({ n: 1 }));
    const b = ledger.record(makeResult({ n: 2, declined: 'license_expired' }));
    expect(a).toEqual({ seq: 1, businessDate: '2026-11-23', recordedAt: T0 });
    expect(b.seq).toBe(2);
    const row = ledger.getAttempt(txId(2));
    expect(row?.status).toBe('declined');
    expect(row?.reason).toBe('license_expired');
    expect(row?.localTime).toBe('2026-11-23T12:00:00.000+08:00');
    expect(Buffer.from(row?.authorization ?? []).toString('hex')).toBe('d2840a02');
  });

  it('keeps one chain when two connections write in turn (the cached chain head is re-read)', () => {
    const other = openTestLedger(dir, { clock: () => now });
    try {
      ledger.record(makeResult({ n: 1 }));
      other.record(makeResult({ n: 2 }));
      ledger.record(makeResult({ n: 3 }));
      other.void(txId(1), { reason: 'wrong item', by: 'alice' });
      now += 25 * HOUR;
      ledger.closeDay({ by: 'alice', businessDate: '2026-11-23' });
      expect(() => other.closeDay({ by: 'bob', businessDate: '2026-11-23' })).toThrow(LedgerError);
      const next = other.record(makeResult({ n: 4 }));
      expect(next).toEqual({ seq: 6, businessDate: '2026-11-24', recordedAt: now });
      expect(ledger.record(makeResult({ n: 5 })).seq).toBe(7);
      expect(ledger.verifyChain()).toMatchObject({ ok: true, rows: 7 });
      expect(other.closeDay({ by: 'bob' }).zNumber).toBe(2);
    } finally {
      other.close();
    }
  });

  it('is idempotent by transaction id', () => {
    const first = ledger.record(makeResult({ n: 7 }));
    now += 5000;
    const again = ledger.record(makeResult({ n: 7, amount: 999 }));
    expect(again).toEqual(first);
    expect(ledger.listAttempts({ businessDate: '2026-11-23' }).total).toBe(1);
  });

  it('stores line items in order and the demo flag', () => {
    const items = [
      { description: 'Tea', quantity: 2, unitPrice: 500 },
      { description: 'Cake, "large"', quantity: 1, unitPrice: 234 },
    ];
    ledger.record(makeResult({ n: 3, amount: 1234, items, demo: true }));
    const row = ledger.getAttempt(txId(3));
    expect(row?.items).toEqual(items);
    expect(row?.demo).toBe(true);
    expect(ledger.listAttempts({ businessDate: '2026-11-23' }).rows[0]?.itemCount).toBe(2);
  });

  it('answers counter and offline-spend look-ups from approved, not voided rows', () => {
    ledger.record(makeResult({ n: 1, counter: 5, amount: 100 }));
    ledger.record(makeResult({ n: 2, counter: 9, amount: 200 }));
    ledger.record(makeResult({ n: 3, counter: 30, amount: 400, declined: 'offline_limit_exceeded' }));
    ledger.record(makeResult({ n: 4, counter: 11, amount: 800, currency: 'USD' }));
    ledger.record(makeResult({ n: 5, counter: 1, licenseSerial: 'LIC-2', amount: 50 }));
    const lic1 = { authorityId: 'acme', serial: 'LIC-1' };
    expect(ledger.lastCounter(lic1)).toBe(11);
    expect(ledger.lastCounter({ authorityId: 'acme', serial: 'LIC-9' })).toBeUndefined();
    expect(ledger.spentOffline(lic1, 'CNY')).toBe(300);
    ledger.void(txId(2), { reason: 'customer changed mind', by: 'manager' });
    expect(ledger.spentOffline(lic1, 'CNY')).toBe(100);
    expect(ledger.lastCounter(lic1)).toBe(11);
  });

  it('keeps counters and offline spend per (authority, serial): the same serial of another authority is another license', () => {
    ledger.record(makeResult({ n: 1, counter: 5, amount: 100 }));
    ledger.record(makeResult({ n: 2, counter: Number.MAX_SAFE_INTEGER, amount: 700, authorityId: 'beta' }));
    expect(ledger.lastCounter({ authorityId: 'acme', serial: 'LIC-1' })).toBe(5);
    expect(ledger.spentOffline({ authorityId: 'acme', serial: 'LIC-1' }, 'CNY')).toBe(100);
    expect(ledger.lastCounter({ authorityId: 'beta', serial: 'LIC-1' })).toBe(Number.MAX_SAFE_INTEGER);
    expect(ledger.spentOffline({ authorityId: 'beta', serial: 'LIC-1' }, 'CNY')).toBe(700);
    expect(ledger.getAttempt(txId(2))).toMatchObject({ authorityId: 'beta', authorityKid: 'authority-1' });
  });

  it('counts a row recorded before authority ids (no authority_id) under its kid, as a trust entry without one means', () => {
    ledger.record(makeResult({ n: 1, counter: 7, amount: 300, authorityId: null }));
    expect(ledger.getAttempt(txId(1))).toMatchObject({ authorityId: null });
    expect(ledger.lastCounter({ authorityId: 'authority-1', serial: 'LIC-1' })).toBe(7);
    expect(ledger.spentOffline({ authorityId: 'authority-1', serial: 'LIC-1' }, 'CNY')).toBe(300);
    expect(ledger.lastCounter({ authorityId: 'acme', serial: 'LIC-1' })).toBeUndefined();
  });

  it('refuses malformed attempts with LEDGER_INVALID_RECORD and records nothing', () => {
    const bad = makeResult({ n: 1 });
    bad.order.currency = 'XYZ1';
    expect(() => ledger.record(bad)).toThrow(expect.objectContaining({ code: 'LEDGER_INVALID_RECORD' }));
    const fractional = makeResult({ n: 2, amount: 12.5 });
    expect(() => ledger.record(fractional)).toThrow(LedgerError);
    expect(ledger.verifyChain()).toMatchObject({ ok: true, rows: 0 });
  });

  it('voids a same-day approval once, as a new row naming the original', () => {
    ledger.record(makeResult({ n: 1, amount: 700 }));
    ledger.record(makeResult({ n: 2, declined: 'card_removed' }));
    now += HOUR;
    const v = ledger.void(txId(1), { reason: 'wrong amount', by: 'alice' });
    expect(v.seq).toBe(3);
    expect(v.originalTransactionId).toBe(txId(1));
    expect(v.transactionId).toMatch(/^[0-9a-f]{32}$/);
    const row = ledger.getAttempt(v.transactionId);
    expect(row).toMatchObject({ kind: 'void', status: 'voided', amount: 700, note: 'wrong amount', operator: 'alice' });
    expect(() => ledger.void(txId(1), { reason: 'again', by: 'alice' })).toThrow(expect.objectContaining({ code: 'VOID_ALREADY_VOIDED' }));
    expect(() => ledger.void(txId(2), { reason: 'x', by: 'alice' })).toThrow(expect.objectContaining({ code: 'VOID_NOT_APPROVED' }));
    expect(() => ledger.void(txId(99), { reason: 'x', by: 'alice' })).toThrow(expect.objectContaining({ code: 'VOID_NOT_FOUND' }));
    const page = ledger.listAttempts({ businessDate: '2026-11-23', order: 'asc' });
    expect(page.rows[0]?.voidedBy).toBe(v.transactionId);
  });

  it('refuses to void a sale of another business day', () => {
    ledger.record(makeResult({ n: 1 }));
    now += 24 * HOUR;
    expect(() => ledger.void(txId(1), { reason: 'late', by: 'bob' })).toThrow(expect.objectContaining({ code: 'VOID_OTHER_DAY' }));
  });

  it('assigns business dates by the cut-off hour in the store time zone', () => {
    // 03:30 local on the 24th is before the 04:00 cut-off: still the 23rd.
    now = Date.UTC(2026, 10, 23, 19, 30);
    expect(ledger.record(makeResult({ n: 1 })).businessDate).toBe('2026-11-23');
    now = Date.UTC(2026, 10, 23, 20, 0); // 04:00 local
    expect(ledger.record(makeResult({ n: 2 })).businessDate).toBe('2026-11-24');
  });

  it('keeps order and business dates when the clock jumps backwards', () => {
    now = T0 + 24 * HOUR;
    expect(ledger.record(makeResult({ n: 1 })).businessDate).toBe('2026-11-24');
    now = T0 - 5 * 24 * HOUR; // clock set back five days
    const late = ledger.record(makeResult({ n: 2 }));
    expect(late.seq).toBe(2);
    expect(late.businessDate).toBe('2026-11-24');
    expect(late.recordedAt).toBe(now);
    expect(ledger.verifyChain().ok).toBe(true);
    expect(ledger.currentBusinessDate()).toBe('2026-11-24');
  });

  it('filters, searches and pages a business day', () => {
    for (let n = 1; n <= 30; n++) ledger.record(makeResult({ n, amount: n * 10, declined: n % 3 === 0 ? 'amount_mismatch' : undefined }));
    const approved = ledger.listAttempts({ businessDate: '2026-11-23', status: 'approved', limit: 5, offset: 5 });
    expect(approved.total).toBe(20);
    expect(approved.rows).toHaveLength(5);
    expect(approved.rows.every((r) => r.status === 'approved')).toBe(true);
    const declines = ledger.listAttempts({ businessDate: '2026-11-23', reason: 'amount_mismatch' });
    expect(declines.total).toBe(10);
    const search = ledger.listAttempts({ businessDate: '2026-11-23', search: txId(17).slice(-4) });
    expect(search.rows.map((r) => r.transactionId)).toEqual([txId(17)]);
    expect(ledger.listAttempts({ businessDate: '2026-11-23', search: '100%' }).total).toBe(0);
    const amounts = ledger.listAttempts({ businessDate: '2026-11-23', minAmount: 100, maxAmount: 120 });
    expect(amounts.total).toBe(3);
    expect(search.rows[0]?.accountMasked).toMatch(/^\*+\d{4}$/);
  });
});
