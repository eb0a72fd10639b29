// Streams one business day's rows from a separate read-only connection, so an export never
// blocks (or is blocked by) the app's connection recording payments. WAL gives a snapshot.
import { openDatabase } from './database';
import { toLedgerError } from './errors';
import type { LedgerRow } from './row';
import { fromDb, ROW_COLUMNS, type DbRow } from './store';

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
  const statement = db.prepare(
    `SELECT ${ROW_COLUMNS},
       (SELECT v.transaction_id FROM entries v WHERE v.kind = 'void' AND v.original_transaction_id = e.transaction_id) AS voidedBy
     FROM entries e WHERE e.business_date = ? ORDER BY e.seq`,
  );
  return {
    ledgerId,
    *rows(businessDate) {
      try {
        for (const raw of statement.iterate(businessDate) as IterableIterator<DbRow & { voidedBy: string | null }>) {
          const { voidedBy, ...rest } = raw;
          yield { ...fromDb(rest), voidedBy };
        }
      } catch (error) {
        throw toLedgerError(error, `read business day ${businessDate}`);
      }
    },
    close: () => db.close(),
  };
}

