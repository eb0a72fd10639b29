// One `charge --ref` at a time per data folder, across processes. A till that lost its answer
// retries with the same reference while the first process may still be charging: without this,
// both would find nothing recorded under the reference and both would ask the phone to pay.
//
// The lock is SQLite's own file lock (an EXCLUSIVE transaction on `<dataDir>/charge.lock`, a
// database that stays empty), taken through better-sqlite3 like the ledger: the operating system
// releases it when its process ends, however it ends (SIGKILL, power cut), so no stale lock ever
// needs clearing, and it works wherever the ledger does. SQLite's busy handler does the waiting.
import Database from 'better-sqlite3';
import { join } from 'node:path';

export const CHARGE_LOCK_FILE = 'charge.lock';

export interface ChargeLock {
  release(): void;
}

/**
 * Takes the data folder's charge lock, waiting up to `waitMs` for another process to let go.
 * Returns undefined when it is still held then; throws when the file cannot be opened (a folder
 * that is not writable).
 */
export function takeChargeLock(dataDir: string, waitMs: number): ChargeLock | undefined {
  const db = new Database(join(dataDir, CHARGE_LOCK_FILE), { timeout: waitMs });
  try {
    // No journal file beside it: nothing is ever written, the transaction only holds the lock.
    db.pragma('journal_mode = MEMORY');
    db.exec('BEGIN EXCLUSIVE');
  } catch (error) {
    db.close();
    if (error instanceof Database.SqliteError && error.code === 'SQLITE_BUSY') return undefined;
    throw error;
  }
  return {
    release: () => db.close(),
  };
}
