// Migration 7: the indexes that find an earlier day's sale, its refunds and an account's refunds;
// after it, the lookup ingest makes for a day's refunds (store/held-sales.ts) is answered from
// those indexes, never by reading the whole table.
import { expect } from 'vitest';
import type { Database } from '../../../../src-settlement/db/port';
import { HELD_ROWS } from '../../../../src-settlement/store/held-sales';
import { describeMigration, insertTerminalDay } from './migration-case';

async function present(db: Database): Promise<string[]> {
  const rows = await db.query<{ name: string }>(`SELECT indexname AS name FROM pg_indexes WHERE tablename = 'entries' ORDER BY indexname`);
  return rows.map((r) => r.name);
}

const KEY = 'f'.repeat(64);

describeMigration({
  version: 7,
  present,
  adds: ['entries_sale_transaction', 'entries_refunded_sale', 'entries_account_refunds'],
  async after(db) {
    // 3,000 rows of one day (1,000 sales, a void and a refund of each): analysed, each part of the
    // lookup is an index condition; the planner is barred from reading the table whole.
    const dayId = await insertTerminalDay(db, KEY, { businessDate: '2026-11-24', rowCount: 3000, manifestSha256: 'e'.repeat(64) });
    await db.query(
      `INSERT INTO entries (day_id, seq, key_id, kind, status, business_date, recorded_at, terminal_id, merchant_id, transaction_id,
         original_transaction_id, amount, currency, account_id, demo, prev_hash, hash, record)
       SELECT $1, n * 3 + k, $2, (ARRAY['sale', 'void', 'refund'])[k + 1], (ARRAY['approved', 'voided', 'refunded'])[k + 1],
              '2026-11-24', n, 'T-1', 'M-1', 't' || n || '-' || k, CASE WHEN k > 0 THEN 't' || n || '-0' END, 100, 'CNY',
              'A-' || (n % 10), false, '', '', '{}'
         FROM generate_series(1, 1000) n, generate_series(0, 2) k`,
      [dayId, KEY],
    );
    await db.query('ANALYZE entries');
    const plan = await db.transaction(async (tx) => {
      await tx.query('SET LOCAL enable_seqscan = off');
      return tx.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${HELD_ROWS}`, ['L-1', ['t7-0']]);
    });
    const text = plan.map((row) => row['QUERY PLAN']).join('\n');
    for (const index of ['entries_sale_transaction', 'entries_voided_sale', 'entries_refunded_sale']) expect(text).toContain(index);
    expect(text).not.toMatch(/Seq Scan on entries|Filter: \(original_transaction_id|Filter: \(transaction_id/);
    expect(await db.query(HELD_ROWS, ['L-1', ['t7-0']])).toHaveLength(3);
  },
});
