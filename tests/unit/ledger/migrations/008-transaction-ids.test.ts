import type Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate } from '../../../../src-main/ledger/database';
import { migratedTo, type MigratedLedger } from '../../../support/migrated-ledger';

const BY_SECOND_INDEX =
  'SELECT seq FROM entries INDEXED BY entries_transaction_ids WHERE transaction_id = ? AND transaction_id IS NOT NULL';

describe('migration 008: a second index of transaction ids', () => {
  let ledger: MigratedLedger;
  let db: Database.Database;

  beforeEach(() => {
    ledger = migratedTo(7);
    db = ledger.db;
  });
  afterEach(() => ledger.close());

  it('indexes the ids of rows recorded before it, and not the closes that have none', () => {
    const row = db.prepare(
      `INSERT INTO entries (seq, kind, business_date, recorded_at, local_time, terminal_id, merchant_id, transaction_id,
         status, amount, currency, demo, z_number, report, prev_hash, hash)
       VALUES (?, ?, '2026-11-23', 1, 't', 'T', 'M', ?, ?, ?, ?, 0, ?, ?, zeroblob(32), zeroblob(32))`,
    );
    row.run(1, 'sale', 'a'.repeat(32), 'approved', 100, 'CNY', null, null);
    row.run(2, 'close', null, 'closed', null, null, 1, '{}');
    expect(() => db.prepare(BY_SECOND_INDEX).get('a'.repeat(32))).toThrow(/no such index/);
    expect(migrate(db, 8)).toBe(8);
    expect(db.prepare(BY_SECOND_INDEX).pluck().get('a'.repeat(32))).toBe(1);
    expect(
      db.prepare('SELECT COUNT(*) FROM entries INDEXED BY entries_transaction_ids WHERE transaction_id IS NOT NULL').pluck().get(),
    ).toBe(1);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  });
});
