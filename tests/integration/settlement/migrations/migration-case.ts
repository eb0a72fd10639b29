// The test of one settlement migration, run by its own file on both engines: what it adds is not
// there before it and is there after it, it is recorded once, and running it again changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../../src-settlement/db/port';
import { MIGRATIONS } from '../../../../src-settlement/migrations/index';
import { migrate, schemaVersion } from '../../../../src-settlement/migrations/migrate';
import { ENGINE_FACTORIES, type TestEngine } from '../engines';

export interface MigrationCase {
  version: number;
  /** What of the migration's work is in the database (e.g. table or column names). */
  present(db: Database): Promise<string[]>;
  /** All of it, as `present` names it after the migration. */
  adds: string[];
  /** A further check after the migration (e.g. a row it must now take). */
  after?(db: Database): Promise<void>;
}

export async function tableNames(db: Database): Promise<string[]> {
  const rows = await db.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`,
  );
  return rows.map((r) => r.name);
}

/**
 * Enrols terminal key `key` (terminal T-1 of merchant M-1) and stores one day of its ledger L-1,
 * with the columns every schema from migration 3 on has; returns the day's id.
 */
export async function insertTerminalDay(
  db: Database,
  key: string,
  day: { businessDate: string; rowCount: number; manifestSha256: string; manifest?: string },
): Promise<number> {
  await db.query(`INSERT INTO terminal_keys (key_id, terminal_id, merchant_id) VALUES ($1, 'T-1', 'M-1')`, [key]);
  const [row] = await db.query<{ id: number }>(
    `INSERT INTO days (key_id, terminal_id, merchant_id, ledger_id, business_date, row_count, manifest_sha256, manifest)
     VALUES ($1, 'T-1', 'M-1', 'L-1', $2, $3, $4, $5) RETURNING id`,
    [key, day.businessDate, day.rowCount, day.manifestSha256, day.manifest ?? '{}'],
  );
  if (!row) throw new Error('the day was not stored');
  return row.id;
}

export function describeMigration(test: MigrationCase): void {
  const migration = MIGRATIONS.find((m) => m.version === test.version);
  describe.each(['postgres', 'pglite'] as const)(`settlement migration ${test.version} (${migration?.name}) on %s`, (name) => {
    let engine: TestEngine;
    beforeAll(async () => {
      engine = await ENGINE_FACTORIES[name]();
    }, 120_000);
    afterAll(async () => engine?.closeAll());

    it('adds its part of the schema, once', async () => {
      expect(migration).toBeDefined();
      const db = await engine.fresh({ migrate: false });
      await migrate(db, MIGRATIONS, test.version - 1);
      const before = await test.present(db);
      for (const thing of test.adds) expect(before).not.toContain(thing);
      expect(await migrate(db, MIGRATIONS, test.version)).toEqual([test.version]);
      const after = await test.present(db);
      for (const thing of test.adds) expect(after).toContain(thing);
      expect(await migrate(db, MIGRATIONS, test.version)).toEqual([]);
      expect(await schemaVersion(db)).toBe(test.version);
      expect(await db.query('SELECT version, name FROM schema_migrations WHERE version = $1', [test.version])).toEqual([
        { version: test.version, name: migration?.name },
      ]);
      await test.after?.(db);
    }, 120_000);
  });
}
