import type { Migration } from './types';

/**
 * Append-only: UPDATE and DELETE are refused on every table, and entries get gap-free sequence
 * numbers. (Someone with the file can still drop the triggers; the hash chain catches that.)
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
      `CREATE TRIGGER entries_seq_gap_free BEFORE INSERT ON entries
         WHEN NEW.seq IS NOT (SELECT COALESCE(MAX(seq), 0) + 1 FROM entries)
         BEGIN SELECT RAISE(ABORT, 'ledger sequence numbers must grow by one'); END;`,
    );
    db.exec(statements.join('\n'));
  },
};
