import type Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate } from '../../../../src-main/ledger/database';
import { migratedTo, type MigratedLedger } from '../../../support/migrated-ledger';

describe('migration 006: the export register and the adoptions, append-only', () => {
  let ledger: MigratedLedger;
  let db: Database.Database;

  beforeEach(() => {
    ledger = migratedTo(4);
    db = ledger.db;
  });
  afterEach(() => ledger.close());

  it('adds both tables; rows can be added but never changed or removed', () => {
    expect(() => db.prepare('SELECT count(*) FROM exports').get()).toThrow(/no such table/);
    expect(migrate(db, 6)).toBe(6);
    db.prepare(
      "INSERT INTO exports (business_date, manifest_sha256, generated_at, last_seq, noted_at) VALUES ('2026-11-23', ?, 'x', 3, 1)",
    ).run('ab'.repeat(32));
    db.prepare(
      "INSERT INTO adoptions (adopted_at, operator, reason, head_seq, head_hash) VALUES (1, 'manager', 'backup restored', 3, ?)",
    ).run('cd'.repeat(32));
    for (const table of ['exports', 'adoptions']) {
      expect(() => db.exec(`UPDATE ${table} SET id = 9`)).toThrow(/append-only/);
      expect(() => db.exec(`DELETE FROM ${table}`)).toThrow(/append-only/);
    }
    expect(() =>
      db
        .prepare("INSERT INTO exports (business_date, manifest_sha256, generated_at, noted_at) VALUES ('2026-11-23', 'short', 'x', 1)")
        .run(),
    ).toThrow(/CHECK/);
  });
});
