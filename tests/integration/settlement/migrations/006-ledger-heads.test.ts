// Migration 6: each day's ledger head, export time and previous business day, generated from its
// signed manifest (for days stored before the migration too).
import { expect } from 'vitest';
import type { Database } from '../../../../src-settlement/db/port';
import { describeMigration } from './migration-case';

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
    await db.query(`INSERT INTO terminal_keys (key_id, terminal_id, merchant_id) VALUES ($1, 'T-1', 'M-1')`, [KEY]);
    await db.query(
      `INSERT INTO days (key_id, terminal_id, merchant_id, ledger_id, business_date, row_count, manifest_sha256, manifest)
       VALUES ($1, 'T-1', 'M-1', 'L-1', '2026-11-25', 0, $2, $3)`,
      [KEY, 'e'.repeat(64), MANIFEST],
    );
    expect(await db.query('SELECT head_seq, head_hash, generated_at, previous_business_date FROM days')).toEqual([
      { head_seq: 42, head_hash: 'd'.repeat(64), generated_at: '2026-11-25T04:00:00.000Z', previous_business_date: '2026-11-24' },
    ]);
  },
});
