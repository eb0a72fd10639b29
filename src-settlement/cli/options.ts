// What every settlement command shares: the database location, --json, and usage errors.
import type { ParseArgsConfig } from 'node:util';
import { DEFAULT_LOCATION, openSettlementDatabase } from '../db/open';
import type { Database } from '../db/port';

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const COMMON_OPTIONS = {
  db: { type: 'string' },
  json: { type: 'boolean', default: false },
} as const satisfies ParseArgsConfig['options'];

export function location(value: string | undefined): string {
  return value ?? process.env.SETTLEMENT_DB ?? DEFAULT_LOCATION;
}

/** Runs `work` with the database open (migrated), closes it after; usage errors exit 2. */
export async function withDatabase(dbLocation: string | undefined, work: (db: Database) => Promise<number>): Promise<number> {
  const db = await openSettlementDatabase(location(dbLocation));
  try {
    return await work(db);
  } finally {
    await db.close();
  }
}

/** Wraps a command's body so a UsageError prints and exits 2. */
export async function command(help: string, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(error.message);
      return 2;
    }
    // node:util parseArgs: an unknown option or a missing value.
    if (typeof (error as { code?: unknown }).code === 'string' && (error as { code: string }).code.startsWith('ERR_PARSE_ARGS')) {
      console.error(`${(error as Error).message}\n\n${help}`);
      return 2;
    }
    throw error;
  }
}

export function printJson(value: unknown): void {
  console.log(JSON.stringify(value));
}
