// A ledger database file in its own temporary folder, migrated to a given schema version: the
// starting point of every migration test (tests/unit/ledger/migrations/), which then runs the
// next migration against rows written in the older shape.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate } from '../../src-main/ledger/database';

export interface MigratedLedger {
  db: Database.Database;
  /** Closes the database and removes its folder. */
  close(): void;
}

/** A new ledger database at schema `version` (foreign keys enforced when asked, as the ledger does). */
export function migratedTo(version: number, options: { foreignKeys?: boolean } = {}): MigratedLedger {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-migration-'));
  const db = new Database(join(dir, 'm.sqlite'));
  try {
    if (options.foreignKeys) db.pragma('foreign_keys = ON');
    const reached = migrate(db, version);
    if (reached !== version) throw new Error(`migrated to ${reached}, not ${version}`);
  } catch (error) {
    db.close();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    db,
    close() {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
