import type Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate } from '../../../../src-main/ledger/database';
import { migratedTo, type MigratedLedger } from '../../../support/migrated-ledger';

// The day reader's voids query (src-main/ledger/day-reader.ts), as it is written there.
const DAY_VOIDS =
  "SELECT original_transaction_id AS original, transaction_id AS id FROM entries WHERE business_date = ? AND seq <= ? AND kind = 'void'";

describe("migration 004: an index of each day's voids", () => {
  let ledger: MigratedLedger;
  let db: Database.Database;

  beforeEach(() => {
    ledger = migratedTo(3);
    db = ledger.db;
  });
  afterEach(() => ledger.close());

  const plan = () =>
    (db.prepare(`EXPLAIN QUERY PLAN ${DAY_VOIDS}`).all('2026-11-23', 10) as { detail: string }[]).map((r) => r.detail).join('; ');

  it("lets the day reader find a day's voids without visiting its sales", () => {
    expect(plan()).toMatch(/entries_by_day/);
    expect(migrate(db, 4)).toBe(4);
    expect(plan()).toMatch(/USING INDEX entries_day_voids \(business_date=\? AND seq<\?\)/);
  });

  it('holds void rows only, and gives the same answer as before', () => {
    const row = db.prepare(
      `INSERT INTO entries (seq, kind, business_date, recorded_at, local_time, terminal_id, merchant_id, transaction_id,
         status, amount, currency, demo, original_transaction_id, prev_hash, hash)
       VALUES (?, ?, '2026-11-23', 1, 't', 'T', 'M', ?, ?, 100, 'CNY', 0, ?, zeroblob(32), zeroblob(32))`,
    );
    row.run(1, 'sale', 'a', 'approved', null);
    row.run(2, 'sale', 'b', 'approved', null);
    row.run(3, 'void', 'c', 'voided', 'a');
    const before = db.prepare(DAY_VOIDS).all('2026-11-23', 3);
    expect(migrate(db, 4)).toBe(4);
    expect(db.prepare(DAY_VOIDS).all('2026-11-23', 3)).toEqual(before);
    expect(before).toEqual([{ original: 'a', id: 'c' }]);
    expect(db.prepare("SELECT count(*) FROM entries INDEXED BY entries_day_voids WHERE kind = 'void'").pluck().get()).toBe(1);
  });
});
