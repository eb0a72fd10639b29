import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate } from '../../../../src-main/ledger/database';
import { tempDir } from '../fixtures';

const base = {
  kind: 'sale',
  business_date: '2026-11-23',
  recorded_at: 1,
  local_time: 't',
  terminal_id: 'T',
  merchant_id: 'M',
  transaction_id: 'a',
  status: 'approved',
  reason: null as string | null,
  amount: 100,
  currency: 'CNY',
  demo: 0,
  original_transaction_id: null as string | null,
  z_number: null as number | null,
  prev_hash: Buffer.alloc(32),
  hash: Buffer.alloc(32, 1),
};

describe('migration 001: entries', () => {
  let cleanup: () => void;
  let db: Database.Database;
  let seq = 0;
  const insert = (values: Partial<typeof base>) => {
    const row = { ...base, seq: ++seq, ...values };
    const columns = Object.keys(row);
    db.prepare(`INSERT INTO entries (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`).run(row);
  };

  beforeEach(() => {
    const t = tempDir();
    cleanup = t.cleanup;
    db = new Database(join(t.dir, 'm.sqlite'));
    seq = 0;
    expect(migrate(db, 1)).toBe(1);
  });
  afterEach(() => {
    db.close();
    cleanup();
  });

  it('creates meta and entries with the documented columns', () => {
    const columns = (db.pragma('table_info(entries)') as { name: string }[]).map((c) => c.name);
    expect(columns).toEqual([
      'seq',
      'kind',
      'business_date',
      'recorded_at',
      'local_time',
      'terminal_id',
      'merchant_id',
      'transaction_id',
      'status',
      'reason',
      'detail',
      'amount',
      'currency',
      'account_id',
      'license_serial',
      'authority_kid',
      'app_counter',
      'started_at',
      'finished_at',
      'apdu_count',
      'demo',
      'original_transaction_id',
      'note',
      'operator',
      'z_number',
      'report',
      'payment_request',
      'payment_response',
      'license_cose',
      'deduction_request',
      'authorization_cose',
      'payment_authorization',
      'prev_hash',
      'hash',
    ]);
    expect((db.pragma('table_info(meta)') as { name: string }[]).map((c) => c.name)).toEqual(['key', 'value']);
    expect(db.pragma('user_version', { simple: true })).toBe(1);
  });

  it('enforces row shapes: unique transaction ids, one void per sale, reasons only on declines', () => {
    insert({ transaction_id: 'a' });
    expect(() => insert({ transaction_id: 'a' })).toThrow(/UNIQUE/);
    expect(() => insert({ transaction_id: 'b', status: 'declined' })).toThrow(/CHECK/);
    expect(() => insert({ transaction_id: 'c', reason: 'license_expired' })).toThrow(/CHECK/);
    insert({ transaction_id: 'v1', kind: 'void', status: 'voided', original_transaction_id: 'a' });
    expect(() => insert({ transaction_id: 'v2', kind: 'void', status: 'voided', original_transaction_id: 'a' })).toThrow(/UNIQUE/);
    expect(() => insert({ transaction_id: 'd', amount: '12.5' as unknown as number })).toThrow(/cannot store REAL|datatype|TEXT/i);
    expect(() => insert({ transaction_id: null as unknown as string, kind: 'close', status: 'closed', z_number: null })).toThrow(/CHECK/);
    expect(() => insert({ transaction_id: 'e', prev_hash: Buffer.alloc(31) })).toThrow(/CHECK/);
  });
});
