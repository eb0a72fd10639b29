// Streams one business day's rows from a separate read-only connection, so an export never
// blocks (or is blocked by) the app's connection recording payments. WAL gives a snapshot.
import { openDatabase } from './database';
import { toLedgerError } from './errors';
import type { LedgerRow } from './row';
import { fromDbRaw, ROW_COLUMNS } from './store';

export interface DayRow extends LedgerRow {
  /** For an approved sale: the transaction id of the void that cancels it (same business day). */
  voidedBy: string | null;
}

export interface DayReader {
  ledgerId: string;
  /** Rows of the business date in sequence order (sales, voids and the day's close row). */
  rows(businessDate: string): IterableIterator<DayRow>;
  close(): void;
}

export function openDayReader(path: string): DayReader {
  const { db, ledgerId } = openDatabase({ path, readOnly: true });
  const voids = db.prepare(
    "SELECT original_transaction_id AS original, transaction_id AS id FROM entries WHERE business_date = ? AND kind = 'void'",
  );
  // Arrays, not objects: mapped by column position in fromDbRaw.
  const rows = db.prepare(`SELECT ${ROW_COLUMNS} FROM entries e WHERE e.business_date = ? ORDER BY e.seq`).raw(true);
  return {
    ledgerId,
    *rows(businessDate) {
      // One read transaction: the voids and the rows come from the same snapshot.
      db.exec('BEGIN');
      try {
        // Voids name sales of their own day and are few: kept in memory, the rows are streamed.
        const voidedBy = new Map((voids.all(businessDate) as { original: string; id: string }[]).map((v) => [v.original, v.id]));
        for (const raw of rows.iterate(businessDate) as IterableIterator<unknown[]>) {
          const row = fromDbRaw(raw) as DayRow;
          row.voidedBy = row.transactionId === null ? null : (voidedBy.get(row.transactionId) ?? null);
          yield row;
        }
      } catch (error) {
        throw toLedgerError(error, `read business day ${businessDate}`);
      } finally {
        if (db.inTransaction) db.exec('COMMIT');
      }
    },
    close: () => db.close(),
  };
}

