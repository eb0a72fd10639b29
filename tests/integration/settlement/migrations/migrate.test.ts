// The migration runner on both engines: every migration listed once, in order, each with its own
// test file here; a database migrated by a newer service is refused.
import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SettlementError } from '../../../../src-settlement/errors';
import { MIGRATIONS } from '../../../../src-settlement/migrations/index';
import { migrate } from '../../../../src-settlement/migrations/migrate';
import { ENGINE_FACTORIES, type TestEngine } from '../engines';

describe.each(['postgres', 'pglite'] as const)('settlement migrations on %s', (name) => {
  let engine: TestEngine;
  beforeAll(async () => {
    engine = await ENGINE_FACTORIES[name]();
  }, 120_000);
  afterAll(async () => engine?.closeAll());

  it('every migration is listed once, in order, with its own test file', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    const files = readdirSync(import.meta.dirname).filter((f) => /^\d{3}-.*\.test\.ts$/.test(f));
    expect(files.sort()).toEqual(MIGRATIONS.map((m) => `${String(m.version).padStart(3, '0')}-${m.name}.test.ts`));
  });

  it('a database migrated by a newer service is refused, and nothing is applied', async () => {
    const db = await engine.fresh();
    const newer = { version: MIGRATIONS.length + 1, name: 'from-the-future', statements: ['CREATE TABLE future (x int)'] };
    await migrate(db, [...MIGRATIONS, newer]);
    const error = await migrate(db).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SettlementError);
    expect((error as SettlementError).code).toBe('SCHEMA_TOO_NEW');
  }, 120_000);
});
