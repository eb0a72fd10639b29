// Which engine a location names: a postgres:// or postgresql:// URL is a PostgreSQL server,
// anything else the embedded PGlite (a folder, or memory:// for a throwaway database).
import type { Database } from './port';
import { openPglite } from './pglite';
import { openPostgres } from './pg';
import { migrate } from '../migrations/migrate';

export const DEFAULT_LOCATION = 'settlement-data';

export async function openDatabase(location: string): Promise<Database> {
  return /^postgres(ql)?:\/\//.test(location) ? openPostgres(location) : openPglite(location);
}

/** Opens and brings the schema up to date (every command goes through here). */
export async function openSettlementDatabase(location: string): Promise<Database> {
  const db = await openDatabase(location);
  try {
    await migrate(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}
