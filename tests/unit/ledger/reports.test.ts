import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Ledger } from '../../../src-main/ledger/ledger';
import { makeResult, openTestLedger, T0, tempDir, txId } from './fixtures';

const HOUR = 3_600_000;

describe('X and Z reports', () => {
  let cleanup: () => void;
  let ledger: Ledger;
  let now = T0;

  beforeEach(() => {
    const t = tempDir();
    cleanup = t.cleanup;
    now = T0;
    ledger = openTestLedger(t.dir, { clock: () => now });
  });
  afterEach(() => {
    ledger.close();
    cleanup();
  });

  function sellDay(): void {
    ledger.record(makeResult({ n: 1, amount: 1000 }));
    now += 60_000;
    ledger.record(makeResult({ n: 2, amount: 250 }));
    ledger.record(makeResult({ n: 3, amount: 999, declined: 'license_expired' }));
    ledger.record(makeResult({ n: 4, amount: 5, declined: 'license_expired' }));
    ledger.record(makeResult({ n: 5, amount: 77, declined: 'counter_replayed' }));
    ledger.record(makeResult({ n: 6, amount: 300, currency: 'USD' }));
    ledger.record(makeResult({ n: 7, amount: 4000, demo: true }));
    now += 60_000;
    ledger.void(txId(2), { reason: 'refund', by: 'alice' });
  }

  it('X report: counts and totals per status and currency, declines per reason, voids, first/last, chain head', () => {
    sellDay();
    const x = ledger.xReport();
    expect(x).toMatchObject({ type: 'X', businessDate: '2026-11-23', zNumber: null, terminalId: 'T-0001', merchantId: 'M-42' });
    expect(x.counts).toEqual({ approved: 4, declined: 3, voided: 1, refunded: 0 });
    expect(x.totals).toEqual([
      {
        currency: 'CNY',
        approvedCount: 2,
        approvedTotal: 1250,
        voidCount: 1,
        voidTotal: 250,
        refundCount: 0,
        refundTotal: 0,
        netTotal: 1000,
        declinedCount: 3,
        declinedTotal: 1081,
      },
      {
        currency: 'USD',
        approvedCount: 1,
        approvedTotal: 300,
        voidCount: 0,
        voidTotal: 0,
        refundCount: 0,
        refundTotal: 0,
        netTotal: 300,
        declinedCount: 0,
        declinedTotal: 0,
      },
    ]);
    expect(x.demoRows).toBe(1);
    expect(x.demoTotals).toEqual([expect.objectContaining({ currency: 'CNY', approvedCount: 1, approvedTotal: 4000 })]);
    expect(x.declinesByReason).toEqual([
      { reason: 'counter_replayed', count: 1 },
      { reason: 'license_expired', count: 2 },
    ]);
    expect(x.voids).toEqual([expect.objectContaining({ originalTransactionId: txId(2), amount: 250, operator: 'alice', note: 'refund' })]);
    expect(x.first).toMatchObject({ seq: 1, transactionId: txId(1), recordedAt: T0 });
    expect(x.last?.seq).toBe(8);
    expect(x.chainHead).toEqual({ seq: 8, hash: ledger.verifyChain().head?.hash });
  });

  it('Z report: closing is a recorded row, Z numbers grow, later payments go to the next business day', () => {
    sellDay();
    now += HOUR;
    const z1 = ledger.closeDay({ by: 'alice' });
    expect(z1).toMatchObject({ type: 'Z', zNumber: 1, businessDate: '2026-11-23', operator: 'alice' });
    expect(z1.counts).toEqual({ approved: 4, declined: 3, voided: 1, refunded: 0 });
    expect(ledger.zReport('2026-11-23')).toEqual(z1);
    expect(ledger.listAttempts({ businessDate: '2026-11-23', kind: 'close' }).rows).toEqual([
      expect.objectContaining({ kind: 'close', status: 'closed', zNumber: 1, operator: 'alice' }),
    ]);
    // Still the 23rd by the clock, but the day is closed.
    expect(ledger.currentBusinessDate()).toBe('2026-11-24');
    expect(ledger.record(makeResult({ n: 20 })).businessDate).toBe('2026-11-24');
    expect(() => ledger.void(txId(1), { reason: 'late', by: 'alice' })).toThrow(expect.objectContaining({ code: 'VOID_OTHER_DAY' }));
    expect(() => ledger.closeDay({ by: 'alice', businessDate: '2026-11-23' })).toThrow(
      expect.objectContaining({ code: 'DAY_NOT_CLOSABLE' }),
    );
    expect(ledger.xReport('2026-11-23').zNumber).toBe(1);
    const z2 = ledger.closeDay({ by: 'bob' });
    expect(z2).toMatchObject({ zNumber: 2, businessDate: '2026-11-24' });
    expect(z2.counts.approved).toBe(1);
    expect(ledger.verifyChain().ok).toBe(true);
  });

  it('closes an empty day, a forgotten earlier day while nothing later exists, never a future day', () => {
    expect(() => ledger.closeDay({ by: 'a', businessDate: '2026-11-25' })).toThrow(expect.objectContaining({ code: 'DAY_NOT_CLOSABLE' }));
    ledger.record(makeResult({ n: 1 }));
    now += 2 * 24 * HOUR; // two days later, nothing sold since
    const z = ledger.closeDay({ by: 'a', businessDate: '2026-11-23' });
    expect(z).toMatchObject({ zNumber: 1, businessDate: '2026-11-23' });
    const empty = ledger.closeDay({ by: 'a' });
    expect(empty).toMatchObject({ zNumber: 2, businessDate: '2026-11-25', counts: { approved: 0, declined: 0, voided: 0 }, first: null });
  });
});
