// Per-currency totals of exported rows, computed the same way by the writer and by verify-export.
import type { CurrencyTotals } from '../ledger/reports';
import type { LedgerRow } from '../ledger/row';

export class TotalsAccumulator {
  private readonly real = new Map<string, CurrencyTotals>();
  private readonly demo = new Map<string, CurrencyTotals>();

  add(row: Pick<LedgerRow, 'kind' | 'status' | 'currency' | 'amount' | 'demo'>): void {
    if (row.kind === 'close' || row.currency === null || row.amount === null) return;
    const byCurrency = row.demo ? this.demo : this.real;
    let t = byCurrency.get(row.currency);
    if (!t) {
      t = { currency: row.currency, approvedCount: 0, approvedTotal: 0, voidCount: 0, voidTotal: 0, netTotal: 0, declinedCount: 0, declinedTotal: 0 };
      byCurrency.set(row.currency, t);
    }
    if (row.status === 'approved') {
      t.approvedCount += 1;
      t.approvedTotal += row.amount;
    } else if (row.status === 'voided') {
      t.voidCount += 1;
      t.voidTotal += row.amount;
    } else if (row.status === 'declined') {
      t.declinedCount += 1;
      t.declinedTotal += row.amount;
    }
    t.netTotal = t.approvedTotal - t.voidTotal;
  }

  /** Two results added up, as if one accumulator had seen both parts' rows. */
  static sum(
    a: { real: CurrencyTotals[]; demo: CurrencyTotals[] },
    b: { real: CurrencyTotals[]; demo: CurrencyTotals[] },
  ): { real: CurrencyTotals[]; demo: CurrencyTotals[] } {
    const both = new TotalsAccumulator();
    for (const part of [a, b]) {
      for (const [list, into] of [[part.real, both.real], [part.demo, both.demo]] as const) {
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
          held.declinedCount += t.declinedCount;
          held.declinedTotal += t.declinedTotal;
          held.netTotal = held.approvedTotal - held.voidTotal;
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
