import type Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migratedTo, type MigratedLedger } from '../../../support/migrated-ledger';

describe('migration 002: line items', () => {
  let ledger: MigratedLedger;
  let db: Database.Database;

  beforeEach(() => {
    ledger = migratedTo(2, { foreignKeys: true });
    db = ledger.db;
  });
  afterEach(() => ledger.close());

  it('adds line_items keyed by entry and position, tied to an existing entry', () => {
    expect((db.pragma('table_info(line_items)') as { name: string }[]).map((c) => c.name)).toEqual([
      'entry_seq',
      'position',
      'description',
      'quantity',
      'unit_price',
    ]);
    const add = db.prepare('INSERT INTO line_items VALUES (?, ?, ?, ?, ?)');
    expect(() => add.run(1, 1, 'Tea', 1, 100)).toThrow(/FOREIGN KEY/);
    db.prepare(
      `INSERT INTO entries (seq, kind, business_date, recorded_at, local_time, terminal_id, merchant_id, transaction_id,
         status, amount, currency, demo, prev_hash, hash)
       VALUES (1, 'sale', '2026-11-23', 1, 't', 'T', 'M', 'a', 'approved', 100, 'CNY', 0, zeroblob(32), zeroblob(32))`,
    ).run();
    add.run(1, 1, 'Tea', 1, 100);
    expect(() => add.run(1, 1, 'Tea again', 1, 100)).toThrow(/UNIQUE|PRIMARY/);
    expect(() => add.run(1, 2, 'Nothing', 0, 100)).toThrow(/CHECK/);
  });
});
