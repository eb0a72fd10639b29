// Migration 5: entries takes refund rows (kind 'refund', status 'refunded'), with an index of each
// license's refunds; a refund row is refused before it and stored after it.
import { expect } from 'vitest';
import type { Database } from '../../../../src-settlement/db/port';
import { describeMigration, insertTerminalDay } from './migration-case';

async function present(db: Database): Promise<string[]> {
  const checks = await db.query<{ def: string }>(
    `SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = 'entries'::regclass AND conname IN ('entries_kind_check', 'entries_status_check')`,
  );
  const indexes = await db.query<{ name: string }>(`SELECT indexname AS name FROM pg_indexes WHERE tablename = 'entries'`);
  return [
    ...(checks.some((c) => c.def.includes("'refund'::text")) ? ['kind refund'] : []),
    ...(checks.some((c) => c.def.includes("'refunded'::text")) ? ['status refunded'] : []),
    ...indexes.map((i) => i.name),
  ];
}

const KEY = 'a'.repeat(64);

describeMigration({
  version: 5,
  present,
  adds: ['kind refund', 'status refunded', 'entries_license_refunds'],
  async after(db) {
    const dayId = await insertTerminalDay(db, KEY, { businessDate: '2026-11-24', rowCount: 1, manifestSha256: 'b'.repeat(64) });
    await db.query(
      `INSERT INTO entries (day_id, seq, key_id, kind, status, business_date, recorded_at, terminal_id, merchant_id, transaction_id,
         original_transaction_id, amount, currency, demo, prev_hash, hash, record)
       VALUES ($1, 1, $2, 'refund', 'refunded', '2026-11-24', 0, 'T-1', 'M-1', 'r1', 's1', 500, 'CNY', false, '', '', '{}')`,
      [dayId, KEY],
    );
    expect(await db.query(`SELECT kind, status, amount FROM entries`)).toEqual([{ kind: 'refund', status: 'refunded', amount: 500 }]);
  },
});
