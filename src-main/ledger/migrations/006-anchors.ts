import type { Migration } from './types';

/**
 * What anchors the ledger outside its own rows: every export's manifest hash (the next day's
 * manifest names the previous day's, so settlement can link days) and every deliberate adoption
 * of this file as the terminal's ledger (after restoring a backup). Append-only like the rest.
 */
export const migration006: Migration = {
  version: 6,
  name: 'anchors',
  up(db) {
    const statements = [
      `CREATE TABLE exports (
         id INTEGER PRIMARY KEY,
         business_date TEXT NOT NULL CHECK (business_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
         manifest_sha256 TEXT NOT NULL CHECK (length(manifest_sha256) = 64),
         generated_at TEXT NOT NULL,
         last_seq INTEGER,
         noted_at INTEGER NOT NULL
       ) STRICT;`,
      'CREATE INDEX exports_by_day ON exports (business_date, id);',
      `CREATE TABLE adoptions (
         id INTEGER PRIMARY KEY,
         adopted_at INTEGER NOT NULL,
         operator TEXT NOT NULL,
         reason TEXT NOT NULL,
         head_seq INTEGER NOT NULL,
         head_hash TEXT NOT NULL CHECK (length(head_hash) = 64),
         replaced_ledger_id TEXT,
         replaced_head_seq INTEGER,
         replaced_head_hash TEXT
       ) STRICT;`,
    ];
    for (const table of ['exports', 'adoptions']) {
      statements.push(
        `CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table}
           BEGIN SELECT RAISE(ABORT, 'ledger is append-only: UPDATE on ${table} refused'); END;`,
        `CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table}
           BEGIN SELECT RAISE(ABORT, 'ledger is append-only: DELETE on ${table} refused'); END;`,
      );
    }
    db.exec(statements.join('\n'));
  },
};
