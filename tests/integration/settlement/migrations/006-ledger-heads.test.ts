// Migration 6: each day's ledger head, export time and previous business day, generated from its
// signed manifest (for days stored before the migration too).
import { expect } from 'vitest';
import type { Database } from '../../../../src-settlement/db/port';
import { describeMigration, insertTerminalDay } from './migration-case';

async function present(db: Database): Promise<string[]> {
  const rows = await db.query<{ name: string }>(
    `SELECT column_name AS name FROM information_schema.columns WHERE table_name = 'days' ORDER BY column_name`,
  );
  return rows.map((r) => r.name);
}

const KEY = 'c'.repeat(64);
const MANIFEST = JSON.stringify({
  generatedAt: '2026-11-25T04:00:00.000Z',
  ledgerHead: { seq: 42, hash: 'd'.repeat(64) },
  previousDay: { businessDate: '2026-11-24', manifestSha256: null },
});

describeMigration({
  version: 6,
  present,
  adds: ['head_seq', 'head_hash', 'generated_at', 'previous_business_date'],
  async after(db) {
    await insertTerminalDay(db, KEY, { businessDate: '2026-11-25', rowCount: 0, manifestSha256: 'e'.repeat(64), manifest: MANIFEST });
    expect(await db.query('SELECT head_seq, head_hash, generated_at, previous_business_date FROM days')).toEqual([
      { head_seq: 42, head_hash: 'd'.repeat(64), generated_at: '2026-11-25T04:00:00.000Z', previous_business_date: '2026-11-24' },
    ]);
  },
});
