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

  /** Totals sorted by currency code. */
  result(): { real: CurrencyTotals[]; demo: CurrencyTotals[] } {
    const sorted = (m: Map<string, CurrencyTotals>) => [...m.values()].sort((a, b) => (a.currency < b.currency ? -1 : 1));
    return { real: sorted(this.real), demo: sorted(this.demo) };
  }
}
