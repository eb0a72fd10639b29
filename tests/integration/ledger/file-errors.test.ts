// A missing, foreign, corrupt, locked, read-only or full ledger file gives a clear error with a
// stable code, never a silently created new ledger, and never a half-recorded payment.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LedgerError } from '../../../src-main/ledger/errors';
import { migrate, LEDGER_APPLICATION_ID } from '../../../src-main/ledger/database';
import { LATEST_VERSION } from '../../../src-main/ledger/migrations/index';
import { makeResult, openTestLedger, tempDir, txId } from '../../unit/ledger/fixtures';

const OPEN_CHILD = fileURLToPath(new URL('./open-child.ts', import.meta.url));
const digest = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const codeOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    if (error instanceof LedgerError) return error.code;
    throw error;
  }
  throw new Error('expected a LedgerError');
};

describe('ledger file problems', () => {
  let dir: string;
  let cleanup: () => void;
  let path: string;
  beforeEach(() => {
    ({ dir, cleanup } = tempDir('ledger-files-'));
    path = join(dir, 'ledger.sqlite');
  });
  afterEach(() => cleanup());

  it('a missing file is LEDGER_NOT_FOUND unless create is given, and nothing is created', () => {
    expect(codeOf(() => openTestLedger(dir, { create: false }))).toBe('LEDGER_NOT_FOUND');
    expect(existsSync(path)).toBe(false);
    expect(codeOf(() => openTestLedger(join(dir, 'no-such-folder')))).toBe('LEDGER_NOT_FOUND');
    const created = openTestLedger(dir);
    expect(created.created).toBe(true);
    created.record(makeResult({ n: 1 }));
    created.close();
    const again = openTestLedger(dir); // create: true on an existing ledger opens it, never replaces it
    expect(again.created).toBe(false);
    expect(again.getAttempt(txId(1))).toBeDefined();
    again.close();
  });

  it('a write-ahead log left without its ledger file is refused, not replayed into a new ledger', () => {
    writeFileSync(`${path}-wal`, Buffer.alloc(32, 1));
    expect(codeOf(() => openTestLedger(dir))).toBe('LEDGER_CORRUPT');
    expect(existsSync(path)).toBe(false);
  });

  it('another SQLite database, an empty file and random bytes are refused, even with create, and left untouched', () => {
    const other = new Database(path);
    other.exec("CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES ('hello')");
    other.close();
    const before = digest(path);
    expect(codeOf(() => openTestLedger(dir))).toBe('LEDGER_NOT_A_LEDGER');
    expect(digest(path)).toBe(before);

    writeFileSync(path, Buffer.alloc(4096, 0x5a));
    expect(codeOf(() => openTestLedger(dir))).toBe('LEDGER_CORRUPT');
    expect(readFileSync(path).equals(Buffer.alloc(4096, 0x5a))).toBe(true);

    writeFileSync(path, '');
    expect(codeOf(() => openTestLedger(dir, { create: false }))).toBe('LEDGER_NOT_A_LEDGER');
  });

  it('a ledger whose pages are damaged is LEDGER_CORRUPT', () => {
    const ledger = openTestLedger(dir);
    for (let n = 1; n <= 50; n++) ledger.record(makeResult({ n }));
    ledger.close();
    const bytes = readFileSync(path);
    bytes.fill(0xaa, 100, 4096); // page 1 after the header: the schema table
    writeFileSync(path, bytes);
    expect(codeOf(() => openTestLedger(dir, { create: false }))).toBe('LEDGER_CORRUPT');
  });

  it('a ledger from a newer app is LEDGER_SCHEMA_TOO_NEW; the wrong ledger id is LEDGER_MISMATCH', () => {
    const ledger = openTestLedger(dir);
    const id = ledger.ledgerId;
    ledger.close();
    expect(codeOf(() => openTestLedger(dir, { expectLedgerId: 'another-ledger' }))).toBe('LEDGER_MISMATCH');
    openTestLedger(dir, { expectLedgerId: id }).close();
    const db = new Database(path);
    db.pragma('user_version = 99');
    db.close();
    expect(codeOf(() => openTestLedger(dir))).toBe('LEDGER_SCHEMA_TOO_NEW');
  });

  it('an older schema is migrated on open, keeping its rows', () => {
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma(`application_id = ${LEDGER_APPLICATION_ID}`);
    migrate(db, 2);
    db.prepare("INSERT INTO meta VALUES ('format', 'nfc-cashier-ledger'), ('ledger_id', 'old-one'), ('created_at', '0')").run();
    db.close();
    const ledger = openTestLedger(dir, { create: false });
    expect(ledger.ledgerId).toBe('old-one');
    ledger.record(makeResult({ n: 1 }));
    expect(ledger.integrityCheck().ok).toBe(true);
    ledger.close();
    const check = new Database(path, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    check.close();
  });

  it('a write lock held by another connection is LEDGER_BUSY, and the payment is not recorded', () => {
    const ledger = openTestLedger(dir, { busyTimeoutMs: 200 });
    ledger.record(makeResult({ n: 1 }));
    const other = new Database(path);
    other.exec('BEGIN EXCLUSIVE');
    expect(codeOf(() => ledger.record(makeResult({ n: 2 })))).toBe('LEDGER_BUSY');
    other.exec('COMMIT');
    other.close();
    expect(ledger.getAttempt(txId(2))).toBeUndefined();
    expect(ledger.record(makeResult({ n: 2 })).seq).toBe(2);
    expect(ledger.verifyChain().ok).toBe(true);
    ledger.close();
  });

  it('a ledger opened read-only refuses to record with LEDGER_READ_ONLY', () => {
    openTestLedger(dir).close();
    const ledger = openTestLedger(dir, { create: false, readOnly: true });
    expect(codeOf(() => ledger.record(makeResult({ n: 1 })))).toBe('LEDGER_READ_ONLY');
    expect(ledger.xReport('2026-11-23').counts.approved).toBe(0);
    ledger.close();
  });

  it('a write-protected file or folder is LEDGER_READ_ONLY for a user who cannot write it', () => {
    const ledger = openTestLedger(dir);
    ledger.record(makeResult({ n: 1 }));
    ledger.close();
    chmodSync(path, 0o444);
    chmodSync(dir, 0o555);
    try {
      // root may write anything: run the attempt as "nobody" then.
      const asOther = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
      const child = spawnSync(process.execPath, ['--import', 'tsx', OPEN_CHILD, path], {
        encoding: 'utf8',
        cwd: process.cwd(),
        ...asOther,
      });
      const outcome = JSON.parse(child.stdout.trim().split('\n').pop() ?? '{}') as { stage: string; code?: string; message?: string };
      expect(outcome).toMatchObject({ stage: 'open', code: 'LEDGER_READ_ONLY' });
      expect(outcome.message).toMatch(/not writable/);
    } finally {
      chmodSync(dir, 0o755);
      chmodSync(path, 0o644);
    }
  });

  const canMount = (() => {
    if (process.platform !== 'linux' || process.getuid?.() !== 0) return false;
    const probe = tempDir('ledger-mount-probe-');
    const ok = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe.dir]).status === 0;
    if (ok) spawnSync('umount', [probe.dir]);
    probe.cleanup();
    return ok;
  })();

  it.skipIf(!canMount)('a full disk is LEDGER_DISK_FULL: the failing payment is absent, every earlier one is intact', () => {
    const mount = join(dir, 'small');
    mkdirSync(mount);
    expect(spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=512k', 'tmpfs', mount]).status).toBe(0);
    try {
      const ledger = openTestLedger(mount);
      const recorded: number[] = [];
      let failure = '';
      for (let n = 1; n <= 2000 && failure === ''; n++) {
        const result = makeResult({ n });
        result.exchange.paymentResponse = Buffer.alloc(3000, n & 0xff);
        try {
          ledger.record(result);
          recorded.push(n);
        } catch (error) {
          failure = error instanceof LedgerError ? error.code : String(error);
          expect(ledger.getAttempt(txId(n))).toBeUndefined();
        }
      }
      expect(failure).toBe('LEDGER_DISK_FULL');
      expect(recorded.length).toBeGreaterThan(10);
      for (const n of recorded) expect(ledger.getAttempt(txId(n))?.amount).toBe(1234);
      expect(ledger.verifyChain()).toMatchObject({ ok: true, rows: recorded.length });
      ledger.close();
    } finally {
      spawnSync('umount', [mount]);
      rmdirSync(mount);
    }
  });
});
