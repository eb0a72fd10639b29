// Brings a database up to the newest schema: each missing migration in its own transaction with
// its row in schema_migrations, under an advisory lock so that two processes starting together
// do not both run it. A database newer than this code is refused.
import type { Database } from '../db/port';
import { SettlementError } from '../errors';
import { MIGRATIONS } from './index';
import type { Migration } from './migration';

/** pg_advisory_xact_lock key of the settlement schema ("NFCS"). */
const MIGRATION_LOCK = 0x4e464353;

export async function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS, upTo?: number): Promise<number[]> {
  await db.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version integer PRIMARY KEY,
    name text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`);
  const known = Math.max(0, ...migrations.map((m) => m.version));
  const applied: number[] = [];
  for (const migration of migrations) {
    if (upTo !== undefined && migration.version > upTo) break;
    const done = await db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      const [newest] = await tx.query<{ version: number | null }>('SELECT max(version) AS version FROM schema_migrations');
      if ((newest?.version ?? 0) > known) {
        throw new SettlementError(
          'SCHEMA_TOO_NEW',
          `database schema version ${newest?.version} is newer than this service knows (${known})`,
        );
      }
      const present = await tx.query('SELECT 1 FROM schema_migrations WHERE version = $1', [migration.version]);
      if (present.length > 0) return false;
      for (const statement of migration.statements) await tx.query(statement);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
      return true;
    });
    if (done) applied.push(migration.version);
  }
  return applied;
}

export async function schemaVersion(db: Database): Promise<number> {
  const [row] = await db.query<{ version: number | null }>('SELECT max(version) AS version FROM schema_migrations');
  return row?.version ?? 0;
}
