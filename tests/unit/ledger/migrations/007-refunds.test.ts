import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyChain } from '../../../../src-main/ledger/chain';
import { migrate } from '../../../../src-main/ledger/database';
import { checkIntegrity } from '../../../../src-main/ledger/integrity';
import { insertRow, prepareStatements } from '../../../../src-main/ledger/store';
import { readHead, saleRow, voidRow, type RowContext } from '../../../../src-main/ledger/writer';
import { getRowByTransactionId } from '../../../../src-main/ledger/queries';
import { makeResult, T0, tempDir, txId } from '../fixtures';

const settings = { timeZone: 'Asia/Shanghai', cutoffHour: 4 };

describe('migration 007: refund rows', () => {
  let cleanup: () => void;
  let db: Database.Database;

  const context = (): RowContext => {
    const head = readHead(db);
    return { seq: head.seq + 1, prevHash: head.hash, businessDate: '2026-11-23', recordedAt: T0, settings };
  };
  const schema = () => db.prepare("SELECT type, name FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name").all();
  const allRows = () => db.prepare('SELECT * FROM entries ORDER BY seq').all();
  const insertRefund = (seq: number, fields: { operator?: string | null; amount?: number }) =>
    db
      .prepare(
        `INSERT INTO entries (seq, kind, business_date, recorded_at, local_time, terminal_id, merchant_id, transaction_id,
           status, amount, currency, demo, original_transaction_id, operator, prev_hash, hash)
         VALUES (?, 'refund', '2026-11-23', 1, 't', 'T', 'M', ?, 'refunded', ?, 'CNY', 0, ?, ?, zeroblob(32), zeroblob(32))`,
      )
      .run(seq, `refund-${seq}`, fields.amount ?? 100, txId(1), fields.operator === undefined ? 'manager' : fields.operator);

  beforeEach(() => {
    const t = tempDir();
    cleanup = t.cleanup;
    db = new Database(join(t.dir, 'm.sqlite'));
    db.pragma('foreign_keys = ON');
    expect(migrate(db, 6)).toBe(6);
    db.prepare("INSERT INTO meta VALUES ('format', 'nfc-cashier-ledger'), ('ledger_id', 'x')").run();
    const statements = prepareStatements(db);
    insertRow(
      statements,
      saleRow(makeResult({ n: 1, amount: 1000, items: [{ description: 'Tea', quantity: 2, unitPrice: 500 }] }), context()),
    );
    insertRow(statements, saleRow(makeResult({ n: 2, amount: 300 }), context()));
    const sale2 = getRowByTransactionId(db, txId(2));
    if (!sale2) throw new Error('sale 2 missing');
    insertRow(statements, voidRow(sale2, txId(3), { reason: 'x', by: 'manager' }, context()));
  });
  afterEach(() => {
    db.close();
    cleanup();
  });

  it('keeps every row, item, index and trigger; the chain still verifies', () => {
    const rowsBefore = allRows();
    const itemsBefore = db.prepare('SELECT * FROM line_items').all();
    const schemaBefore = schema();
    expect(migrate(db, 7)).toBe(7);
    expect(allRows()).toEqual(rowsBefore);
    expect(db.prepare('SELECT * FROM line_items').all()).toEqual(itemsBefore);
    expect(schema()).toHaveLength(schemaBefore.length + 1);
    expect(schema()).toEqual(expect.arrayContaining([...schemaBefore, { type: 'index', name: 'entries_refunds_of' }]));
    expect(verifyChain(db).ok).toBe(true);
    expect(checkIntegrity(db).problems).toEqual([]);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'line_items'").pluck().get()).toMatch(/REFERENCES entries \(seq\)/);
  });

  it('accepts a refund row naming its sale, amount and who authorised it, and nothing less', () => {
    expect(() => insertRefund(4, {})).toThrow(/CHECK constraint/);
    migrate(db);
    expect(() => insertRefund(4, { operator: null })).toThrow(/CHECK constraint/);
    expect(() => insertRefund(4, { amount: 0 })).toThrow(/CHECK constraint/);
    insertRefund(4, {});
    expect(db.prepare('SELECT kind, status, amount FROM entries WHERE seq = 4').get()).toEqual({
      kind: 'refund',
      status: 'refunded',
      amount: 100,
    });
    // Still append-only, still gap-free, still linked to its line items.
    expect(() => db.prepare('UPDATE entries SET amount = 1 WHERE seq = 4').run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM entries WHERE seq = 4').run()).toThrow(/append-only/);
    expect(() => insertRefund(9, {})).toThrow(/grow by one/);
    expect(() => db.prepare("INSERT INTO line_items VALUES (99, 1, 'x', 1, 1)").run()).toThrow(/FOREIGN KEY/);
  });

  it("finds a sale's refunds through its own index", () => {
    migrate(db);
    const plan = db
      .prepare("EXPLAIN QUERY PLAN SELECT COALESCE(SUM(amount), 0) FROM entries WHERE kind = 'refund' AND original_transaction_id = ?")
      .all(txId(1)) as { detail: string }[];
    expect(plan.map((p) => p.detail).join('; ')).toMatch(/entries_refunds_of/);
  });
});
