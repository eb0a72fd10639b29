import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GENESIS_HASH, ROW_FORMAT, ROW_FORMAT_2, canonicalRow } from '../../../../src-main/ledger/canonical';
import { LEDGER_APPLICATION_ID, migrate } from '../../../../src-main/ledger/database';
import { LATEST_VERSION } from '../../../../src-main/ledger/migrations/index';
import type { LedgerRow } from '../../../../src-main/ledger/row';
import { saleRow } from '../../../../src-main/ledger/writer';
import { makeResult, openTestLedger, T0, tempDir, txId } from '../fixtures';

// The counter look-up of src-main/ledger/queries.ts, as it is written there.
const LAST_COUNTER = `SELECT MAX(app_counter) AS counter FROM entries
  WHERE license_serial = ? AND COALESCE(authority_id, authority_kid) = ? AND kind = 'sale' AND status = 'approved'`;

/** A sale row as the code before authority ids wrote it: no authority id, so format 1. */
function legacyRow(n: number, prevHash: Uint8Array): LedgerRow {
  const settings = { timeZone: 'Asia/Shanghai', cutoffHour: 4 };
  return saleRow(makeResult({ n, counter: 10 * n, amount: 100, authorityId: null }), {
    seq: n,
    businessDate: '2026-11-23',
    recordedAt: T0,
    prevHash,
    settings,
  });
}

describe('migration 005: license identity', () => {
  let dir: string;
  let cleanup: () => void;
  let path: string;

  beforeEach(() => {
    ({ dir, cleanup } = tempDir());
    path = join(dir, 'ledger.sqlite');
    // A ledger file as the app made it before migration 005, with two rows it recorded.
    const db = new Database(path);
    db.pragma(`application_id = ${LEDGER_APPLICATION_ID}`);
    db.pragma('journal_mode = WAL');
    expect(migrate(db, 4)).toBe(4);
    const meta = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
    meta.run('format', 'nfc-cashier-ledger');
    meta.run('ledger_id', randomUUID());
    meta.run('created_at', String(T0));
    const first = legacyRow(1, GENESIS_HASH);
    const second = legacyRow(2, first.hash);
    for (const row of [first, second]) {
      const bytes = (value: Uint8Array | null) => (value === null ? null : Buffer.from(value));
      const columns: Record<string, unknown> = {
        seq: row.seq,
        kind: row.kind,
        business_date: row.businessDate,
        recorded_at: row.recordedAt,
        local_time: row.localTime,
        terminal_id: row.terminalId,
        merchant_id: row.merchantId,
        transaction_id: row.transactionId,
        status: row.status,
        reason: row.reason,
        detail: row.detail,
        amount: row.amount,
        currency: row.currency,
        account_id: row.accountId,
        license_serial: row.licenseSerial,
        authority_kid: row.authorityKid,
        app_counter: row.appCounter,
        started_at: row.startedAt,
        finished_at: row.finishedAt,
        apdu_count: row.apduCount,
        demo: row.demo ? 1 : 0,
        payment_request: bytes(row.paymentRequest),
        payment_response: bytes(row.paymentResponse),
        license_cose: bytes(row.license),
        deduction_request: bytes(row.deductionRequest),
        authorization_cose: bytes(row.authorization),
        payment_authorization: bytes(row.paymentAuthorization),
        prev_hash: bytes(row.prevHash),
        hash: bytes(row.hash),
      };
      const names = Object.keys(columns);
      db.prepare(`INSERT INTO entries (${names.join(', ')}) VALUES (${names.map((n) => `@${n}`).join(', ')})`).run(columns);
    }
    expect(Buffer.from(canonicalRow(first)).includes(ROW_FORMAT)).toBe(true);
    db.close();
  });
  afterEach(() => cleanup());

  it('adds authority_id, keeps the old rows verifying and counts them under their kid', () => {
    const ledger = openTestLedger(dir);
    try {
      expect(ledger.verifyChain()).toMatchObject({ ok: true, rows: 2 });
      expect(ledger.getAttempt(txId(2))).toMatchObject({ authorityId: null, authorityKid: 'authority-1', appCounter: 20 });
      expect(ledger.lastCounter({ authorityId: 'authority-1', serial: 'LIC-1' })).toBe(20);
      expect(ledger.spentOffline({ authorityId: 'authority-1', serial: 'LIC-1' }, 'CNY')).toBe(200);

      // A new row carries its authority id, in format 2, and chains on the old ones.
      ledger.record(makeResult({ n: 3, counter: 5, amount: 50, authorityId: 'acme' }));
      const added = ledger.getAttempt(txId(3)) as LedgerRow;
      expect(added.authorityId).toBe('acme');
      expect(Buffer.from(canonicalRow(added)).includes(ROW_FORMAT_2)).toBe(true);
      expect(ledger.verifyChain()).toMatchObject({ ok: true, rows: 3 });
      expect(ledger.lastCounter({ authorityId: 'acme', serial: 'LIC-1' })).toBe(5);
      expect(ledger.lastCounter({ authorityId: 'authority-1', serial: 'LIC-1' })).toBe(20);
    } finally {
      ledger.close();
    }
  });

  it('indexes the (serial, authority) look-ups', () => {
    openTestLedger(dir).close();
    const db = new Database(path, { readonly: true });
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${LAST_COUNTER}`).all('LIC-1', 'acme') as { detail: string }[])
        .map((r) => r.detail)
        .join('; ');
      expect(plan).toMatch(/USING INDEX entries_by_license_identity \(license_serial=\? AND <expr>=\?\)/);
      const indexes = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'entries'").pluck().all() as string[];
      expect(indexes).not.toContain('entries_by_license');
    } finally {
      db.close();
    }
  });

  it('makes the authority id tamper-evident: set on an old row, or changed or removed on a new one, the chain breaks', () => {
    const ledger = openTestLedger(dir);
    ledger.record(makeResult({ n: 3, counter: 5, amount: 50, authorityId: 'acme' }));
    ledger.close();
    const tamper = (seq: number, value: string | null) => {
      const db = new Database(path);
      db.exec('DROP TRIGGER IF EXISTS entries_no_update');
      db.prepare('UPDATE entries SET authority_id = ? WHERE seq = ?').run(value, seq);
      db.close();
      const reopened = openTestLedger(dir);
      try {
        return reopened.verifyChain().firstBroken;
      } finally {
        reopened.close();
      }
    };
    expect(tamper(3, 'beta')).toMatchObject({ seq: 3, problem: 'hash_mismatch' });
    expect(tamper(3, null)).toMatchObject({ seq: 3, problem: 'hash_mismatch' });
    expect(tamper(1, 'authority-1')).toMatchObject({ seq: 1, problem: 'hash_mismatch' });
  });
});
