import type { Migration } from './types';

/**
 * Append-only: UPDATE and DELETE are refused on every table, INSERT OR REPLACE cannot delete a row
 * through a unique key (SQLite fires no delete trigger for REPLACE), and entries get gap-free
 * sequence numbers. (Someone with the file can still drop the triggers; the hash chain catches that.)
 */
export const migration003: Migration = {
  version: 3,
  name: 'append-only',
  up(db) {
    const statements: string[] = [];
    for (const table of ['entries', 'line_items', 'meta']) {
      statements.push(
        `CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table}
           BEGIN SELECT RAISE(ABORT, 'ledger is append-only: UPDATE on ${table} refused'); END;`,
        `CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table}
           BEGIN SELECT RAISE(ABORT, 'ledger is append-only: DELETE on ${table} refused'); END;`,
      );
    }
    statements.push(
      `CREATE TRIGGER entries_no_replace BEFORE INSERT ON entries
         WHEN EXISTS (SELECT 1 FROM entries WHERE transaction_id = NEW.transaction_id)
           OR EXISTS (SELECT 1 FROM entries WHERE z_number = NEW.z_number)
           OR (NEW.kind = 'void' AND EXISTS (
                SELECT 1 FROM entries WHERE kind = 'void' AND original_transaction_id = NEW.original_transaction_id))
         BEGIN SELECT RAISE(ABORT, 'ledger is append-only: duplicate key refused'); END;`,
      `CREATE TRIGGER line_items_no_replace BEFORE INSERT ON line_items
         WHEN EXISTS (SELECT 1 FROM line_items WHERE entry_seq = NEW.entry_seq AND position = NEW.position)
         BEGIN SELECT RAISE(ABORT, 'ledger is append-only: duplicate key refused'); END;`,
      `CREATE TRIGGER meta_no_replace BEFORE INSERT ON meta
         WHEN EXISTS (SELECT 1 FROM meta WHERE key = NEW.key)
         BEGIN SELECT RAISE(ABORT, 'ledger is append-only: duplicate key refused'); END;`,
      `CREATE TRIGGER entries_seq_gap_free BEFORE INSERT ON entries
         WHEN NEW.seq IS NOT (SELECT COALESCE(MAX(seq), 0) + 1 FROM entries)
         BEGIN SELECT RAISE(ABORT, 'ledger sequence numbers must grow by one'); END;`,
    );
    db.exec(statements.join('\n'));
  },
};
