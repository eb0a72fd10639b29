import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate } from '../../../../src-main/ledger/database';
import { tempDir } from '../fixtures';

describe('migration 003: append-only triggers', () => {
  let cleanup: () => void;
  let db: Database.Database;
  const insertEntry = (seq: number) =>
    db
      .prepare(
        `INSERT INTO entries (seq, kind, business_date, recorded_at, local_time, terminal_id, merchant_id, transaction_id,
           status, amount, currency, demo, prev_hash, hash)
         VALUES (?, 'sale', '2026-11-23', 1, 't', 'T', 'M', ?, 'approved', 100, 'CNY', 0, zeroblob(32), zeroblob(32))`,
      )
      .run(seq, `tx${seq}`);

  beforeEach(() => {
    const t = tempDir();
    cleanup = t.cleanup;
    db = new Database(join(t.dir, 'm.sqlite'));
    migrate(db, 2);
    insertEntry(1);
    db.prepare("INSERT INTO line_items VALUES (1, 1, 'Tea', 1, 100)").run();
    db.prepare("INSERT INTO meta VALUES ('ledger_id', 'x')").run();
    expect(migrate(db, 3)).toBe(3);
  });
  afterEach(() => {
    db.close();
    cleanup();
  });

  it('refuses UPDATE and DELETE on every table', () => {
    expect(() => db.prepare('UPDATE entries SET amount = 1').run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM entries').run()).toThrow(/append-only/);
    expect(() => db.prepare('UPDATE line_items SET unit_price = 1').run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM line_items').run()).toThrow(/append-only/);
    expect(() => db.prepare("UPDATE meta SET value = 'y'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM meta').run()).toThrow(/append-only/);
    expect(db.prepare('SELECT amount FROM entries').get()).toEqual({ amount: 100 });
  });

  it('refuses INSERT OR REPLACE, which would delete a row without firing delete triggers', () => {
    expect(() => db.prepare("INSERT OR REPLACE INTO meta VALUES ('ledger_id', 'z')").run()).toThrow(/duplicate key/);
    expect(() => db.prepare("INSERT OR REPLACE INTO line_items VALUES (1, 1, 'Cheap tea', 1, 1)").run()).toThrow(/duplicate key/);
    expect(() =>
      db
        .prepare(
          `INSERT OR REPLACE INTO entries (seq, kind, business_date, recorded_at, local_time, terminal_id, merchant_id,
             transaction_id, status, amount, currency, demo, prev_hash, hash)
           VALUES (2, 'sale', '2026-11-23', 1, 't', 'T', 'M', 'tx1', 'approved', 1, 'CNY', 0, zeroblob(32), zeroblob(32))`,
        )
        .run(),
    ).toThrow(/duplicate key/);
    expect(db.prepare('SELECT seq, amount FROM entries').all()).toEqual([{ seq: 1, amount: 100 }]);
    expect(db.prepare("SELECT value FROM meta WHERE key = 'ledger_id'").get()).toEqual({ value: 'x' });
  });

  it('allows only the next sequence number', () => {
    expect(() => insertEntry(3)).toThrow(/grow by one/);
    insertEntry(2);
    expect(() => insertEntry(2)).toThrow();
  });
});
