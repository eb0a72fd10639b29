// Per-currency totals of exported rows, computed the same way by the writer and by verify-export.
import { addToTotals, emptyTotals, type CurrencyTotals } from '../ledger/reports';
import type { LedgerRow } from '../ledger/row';

export class TotalsAccumulator {
  private readonly real = new Map<string, CurrencyTotals>();
  private readonly demo = new Map<string, CurrencyTotals>();

  add(row: Pick<LedgerRow, 'kind' | 'status' | 'currency' | 'amount' | 'demo'>): void {
    if (row.kind === 'close' || row.currency === null || row.amount === null) return;
    const byCurrency = row.demo ? this.demo : this.real;
    let t = byCurrency.get(row.currency);
    if (!t) {
      t = emptyTotals(row.currency);
      byCurrency.set(row.currency, t);
    }
    addToTotals(t, row.status, 1, row.amount);
  }

  /** Two results added up, as if one accumulator had seen both parts' rows. */
  static sum(
    a: { real: CurrencyTotals[]; demo: CurrencyTotals[] },
    b: { real: CurrencyTotals[]; demo: CurrencyTotals[] },
  ): { real: CurrencyTotals[]; demo: CurrencyTotals[] } {
    const both = new TotalsAccumulator();
    for (const part of [a, b]) {
      for (const [list, into] of [
        [part.real, both.real],
        [part.demo, both.demo],
      ] as const) {
        for (const t of list) {
          const held = into.get(t.currency);
          if (!held) {
            into.set(t.currency, { ...t });
            continue;
          }
          held.approvedCount += t.approvedCount;
          held.approvedTotal += t.approvedTotal;
          held.voidCount += t.voidCount;
          held.voidTotal += t.voidTotal;
          held.refundCount += t.refundCount;
          held.refundTotal += t.refundTotal;
          held.declinedCount += t.declinedCount;
          held.declinedTotal += t.declinedTotal;
          held.netTotal = held.approvedTotal - held.voidTotal - held.refundTotal;
        }
      }
    }
    return both.result();
  }

  /** Totals sorted by currency code. */
  result(): { real: CurrencyTotals[]; demo: CurrencyTotals[] } {
    const sorted = (m: Map<string, CurrencyTotals>) => [...m.values()].sort((a, b) => (a.currency < b.currency ? -1 : 1));
    return { real: sorted(this.real), demo: sorted(this.demo) };
  }
}
