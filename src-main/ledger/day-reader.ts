// Streams one business day's rows from a separate read-only connection, so an export never
// blocks (or is blocked by) the app's connection recording payments. WAL gives a snapshot.
//
// A big day is exported in two parts on two threads, each with its own reader: both read the
// day's voids up to the same `dayLastSeq`. Rows are append-only, so every snapshot that holds
// that row agrees on the rows up to it.
import { openDatabase } from './database';
import { toLedgerError } from './errors';
import { previousDay, type PreviousDay } from './export-register';
import { ledgerHead, type LedgerHead } from './head-file';
import type { LedgerRow } from './row';

/** A refund row of the day, as the sale it refunds lists it. */
export interface DayRefund {
  transactionId: string;
  amount: number;
}
import { fromDb, ROW_COLUMNS } from './store';

export interface DayRow extends LedgerRow {
  /** For an approved sale: the transaction id of the void that cancels it (same business day). */
  voidedBy: string | null;
  /** For a sale: the refund rows of the same business day that refund it, in ledger order. */
  refundedBy: DayRefund[];
}

export interface DayReader {
  ledgerId: string;
  /** The day's first and last sequence numbers now (null: no rows). */
  span(businessDate: string): { firstSeq: number; lastSeq: number } | null;
  /** The ledger's last row now (seq 0 and the genesis hash when empty). */
  head(): LedgerHead;
  /** The business day with rows before this one, and the hash of its newest export manifest. */
  previousDay(businessDate: string): PreviousDay | null;
  /**
   * Rows of the business date from `fromSeq` to `throughSeq`, in sequence order (sales, voids,
   * the close row); `voidedBy` and `refundedBy` look at the day's voids and refunds up to `dayLastSeq`.
   */
  rows(businessDate: string, range: { fromSeq: number; throughSeq: number; dayLastSeq: number }): IterableIterator<DayRow>;
  close(): void;
}

export function openDayReader(path: string): DayReader {
  const { db, ledgerId } = openDatabase({ path, readOnly: true });
  // Two subqueries: SQLite reads min() or max() alone from the index's end, but not both at once.
  const span = db.prepare(
    'SELECT (SELECT min(seq) FROM entries WHERE business_date = @day) AS firstSeq, (SELECT max(seq) FROM entries WHERE business_date = @day) AS lastSeq',
  );
  const voids = db.prepare(
    "SELECT original_transaction_id AS original, transaction_id AS id FROM entries WHERE business_date = ? AND seq <= ? AND kind = 'void'",
  );
  const refunds = db.prepare(
    "SELECT original_transaction_id AS original, transaction_id AS id, amount FROM entries WHERE business_date = ? AND seq <= ? AND kind = 'refund' ORDER BY seq",
  );
  // Arrays, not objects: mapped by column position.
  const rows = db
    .prepare(`SELECT ${ROW_COLUMNS} FROM entries e WHERE e.business_date = ? AND e.seq BETWEEN ? AND ? ORDER BY e.seq`)
    .raw(true);

  /** Runs a read in one transaction, so everything it reads comes from one snapshot. */
  function* inSnapshot<T>(businessDate: string, read: () => Iterable<T>): IterableIterator<T> {
    db.exec('BEGIN');
    try {
      yield* read();
    } catch (error) {
      throw toLedgerError(error, `read business day ${businessDate}`);
    } finally {
      if (db.inTransaction) db.exec('COMMIT');
    }
  }

  return {
    ledgerId,
    span: (businessDate) => {
      try {
        const found = span.get({ day: businessDate }) as { firstSeq: number | null; lastSeq: number | null };
        return found.firstSeq === null || found.lastSeq === null ? null : { firstSeq: found.firstSeq, lastSeq: found.lastSeq };
      } catch (error) {
        throw toLedgerError(error, `read business day ${businessDate}`);
      }
    },
    head: () => {
      try {
        return ledgerHead(db);
      } catch (error) {
        throw toLedgerError(error, 'read the chain head');
      }
    },
    previousDay: (businessDate) => {
      try {
        return previousDay(db, businessDate);
      } catch (error) {
        throw toLedgerError(error, `find the business day before ${businessDate}`);
      }
    },
    rows: (businessDate, { fromSeq, throughSeq, dayLastSeq }) =>
      inSnapshot(businessDate, function* () {
        // Voids name sales of their own day and are few: kept in memory, the rows are streamed.
        const voided = voids.all(businessDate, dayLastSeq) as { original: string; id: string }[];
        const voidedBy = new Map(voided.map((v) => [v.original, v.id]));
        // Refunds of the day are few too (a sale refunded on a later day is listed in that day's export).
        const refundedBy = new Map<string, DayRefund[]>();
        for (const r of refunds.all(businessDate, dayLastSeq) as { original: string; id: string; amount: number }[]) {
          refundedBy.set(r.original, [...(refundedBy.get(r.original) ?? []), { transactionId: r.id, amount: r.amount }]);
        }
        for (const raw of rows.iterate(businessDate, fromSeq, throughSeq) as IterableIterator<unknown[]>) {
          const row = fromDb(raw) as DayRow;
          row.voidedBy = row.transactionId === null ? null : (voidedBy.get(row.transactionId) ?? null);
          row.refundedBy = row.transactionId === null ? [] : (refundedBy.get(row.transactionId) ?? []);
          yield row;
        }
      }),
    close: () => db.close(),
  };
}
