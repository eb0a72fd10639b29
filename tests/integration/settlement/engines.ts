// The two engines the settlement suite runs against: a throwaway PostgreSQL cluster (one per test
// file, a fresh database per test) and PGlite in memory. Tests call `engine.fresh()` for an empty,
// migrated database.
import { openPglite } from '../../../src-settlement/db/pglite';
import { openPostgres } from '../../../src-settlement/db/pg';
import type { Database } from '../../../src-settlement/db/port';
import { migrate } from '../../../src-settlement/migrations/migrate';
import { startPostgres, type PostgresCluster } from '../../support/postgres';
import { expect } from 'vitest';

export interface TestEngine {
  name: 'postgres' | 'pglite';
  /** An empty database with every migration applied (closed by `closeAll`). */
  fresh(options?: { migrate?: boolean }): Promise<Database>;
  /** PostgreSQL only: the cluster (restart tests). */
  cluster?: PostgresCluster;
  closeAll(): Promise<void>;
}

let counter = 0;

export async function postgresEngine(): Promise<TestEngine> {
  const cluster = await startPostgres();
  const open: Database[] = [];
  return {
    name: 'postgres',
    cluster,
    async fresh(options = {}) {
      counter += 1;
      const url = await cluster.createDatabase(`settle_${process.pid}_${counter}`);
      const db = await openPostgres(url);
      open.push(db);
      if (options.migrate !== false) await migrate(db);
      return db;
    },
    async closeAll() {
      for (const db of open) await db.close().catch(() => undefined);
      await cluster.stop();
    },
  };
}

export async function pgliteEngine(): Promise<TestEngine> {
  const open: Database[] = [];
  return {
    name: 'pglite',
    async fresh(options = {}) {
      const db = await openPglite('memory://');
      open.push(db);
      if (options.migrate !== false) await migrate(db);
      return db;
    },
    async closeAll() {
      for (const db of open) await db.close().catch(() => undefined);
    },
  };
}

export const ENGINE_FACTORIES = { postgres: postgresEngine, pglite: pgliteEngine } as const;

/** Rows in every table the service writes (a refused upload must leave these unchanged). */
export async function tableCounts(db: Database): Promise<Record<string, number>> {
  const tables = [
    'days',
    'entries',
    'licenses',
    'license_day_spend',
    'findings',
    'finding_rows',
    'revocation_lists',
    'revoked_licenses',
  ] as const;
  const counts: Record<string, number> = {};
  // Table names come from the constant list above; a name cannot be a query parameter.
  for (const table of tables) counts[table] = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0]?.n ?? -1;
  return counts;
}

/** After a fault mid-ingest: either nothing of the day is held, or all its `rows` exactly once. */
export async function wholeDayOrNothing(db: Database, rows: number): Promise<'none' | 'whole'> {
  const counts = await tableCounts(db);
  if (counts.days === 0) {
    expect(counts).toMatchObject({ entries: 0, licenses: 0, license_day_spend: 0, findings: 0 });
    return 'none';
  }
  expect(counts.days).toBe(1);
  expect(counts.entries).toBe(rows);
  return 'whole';
}
