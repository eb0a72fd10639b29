// Each settlement migration on both engines: what it adds exists after it and not before, every
// step is recorded once, running again changes nothing, and a newer database is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SettlementError } from '../../../src-settlement/errors';
import { MIGRATIONS } from '../../../src-settlement/migrations/index';
import { migrate, schemaVersion } from '../../../src-settlement/migrations/migrate';
import type { Database } from '../../../src-settlement/db/port';
import { ENGINE_FACTORIES, type TestEngine } from './engines';

/** Tables each migration adds (what its test holds it to). */
const ADDS: Record<number, string[]> = {
  1: ['terminal_keys', 'terminal_key_retirements'],
  2: ['authority_keys', 'revocation_lists', 'revoked_licenses', 'revoked_authority_keys'],
  3: ['days', 'entries', 'licenses', 'license_day_spend'],
  4: ['findings', 'finding_rows'],
};

async function tables(db: Database): Promise<string[]> {
  const rows = await db.query<{ name: string }>(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`);
  return rows.map((r) => r.name);
}

describe.each(['postgres', 'pglite'] as const)('settlement migrations on %s', (name) => {
  let engine: TestEngine;
  beforeAll(async () => {
    engine = await ENGINE_FACTORIES[name]();
  }, 120_000);
  afterAll(async () => engine?.closeAll());

  it('every migration is listed once, in order, with its test', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(Object.keys(ADDS).map(Number)).toEqual(MIGRATIONS.map((m) => m.version));
  });

  it.each(MIGRATIONS.map((m) => m.version))('migration %i adds its tables, once', async (version) => {
    const db = await engine.fresh({ migrate: false });
    await migrate(db, MIGRATIONS, version - 1);
    const before = await tables(db);
    for (const table of ADDS[version] ?? []) expect(before).not.toContain(table);
    expect(await migrate(db, MIGRATIONS, version)).toEqual([version]);
    const after = await tables(db);
    for (const table of ADDS[version] ?? []) expect(after).toContain(table);
    expect(await migrate(db, MIGRATIONS, version)).toEqual([]);
    expect(await schemaVersion(db)).toBe(version);
  }, 120_000);

  it('a database migrated by a newer service is refused, and nothing is applied', async () => {
    const db = await engine.fresh();
    const newer = { version: MIGRATIONS.length + 1, name: 'from-the-future', statements: ['CREATE TABLE future (x int)'] };
    await migrate(db, [...MIGRATIONS, newer]);
    const error = await migrate(db).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SettlementError);
    expect((error as SettlementError).code).toBe('SCHEMA_TOO_NEW');
  }, 120_000);
});
