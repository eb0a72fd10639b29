// A byte flipped in a page of the ledger's unique index of transaction ids (issue #11 item 4):
// `ledger check` (SQLite's full integrity_check) refuses the file with a clear message, and the
// damaged index never lets that transaction id be recorded a second time.
import Database from 'better-sqlite3';
import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLedgerError } from '../../../src-main/ledger/errors';
import { ledgerCheckArgs, runCliProcess } from '../../support/cli-process';
import { makeResult, openTestLedger, tempDir, txId } from '../../unit/ledger/fixtures';

const IDS = [0x20, 0x40, 0x60];

/** Changes the last character of `id` where it is stored in a page of `index` (the table's copy stays). */
function flipInIndex(path: string, index: string, id: string): void {
  const db = new Database(path, { readonly: true });
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const pages = db.prepare('SELECT pageno FROM dbstat WHERE name = ?').pluck().all(index) as number[];
  db.close();
  const fd = openSync(path, 'r+');
  try {
    for (const pageno of pages) {
      const page = Buffer.alloc(pageSize);
      readSync(fd, page, 0, pageSize, (pageno - 1) * pageSize);
      const at = page.indexOf(id, 0, 'latin1');
      if (at < 0) continue;
      // '...40' becomes '...41': still between its neighbours, so the b-tree stays well-formed
      // and only comparing the index with its table (integrity_check) shows the damage.
      writeSync(fd, Buffer.from('1', 'latin1'), 0, 1, (pageno - 1) * pageSize + at + id.length - 1);
      return;
    }
  } finally {
    closeSync(fd);
  }
  throw new Error(`${id} not found in a page of ${index}`);
}

describe('a damaged index of transaction ids', { timeout: 120_000 }, () => {
  const { dir, cleanup } = tempDir('corrupt-index-');
  const path = join(dir, 'ledger.sqlite');
  beforeAll(() => {
    const ledger = openTestLedger(dir);
    for (const n of IDS) ledger.record(makeResult({ n }));
    ledger.close();
    flipInIndex(path, 'sqlite_autoindex_entries_1', txId(0x40));
  });
  afterAll(() => cleanup());

  it('ledger check runs integrity_check and refuses the file, naming the index (exit 1)', async () => {
    const check = await runCliProcess(ledgerCheckArgs(path, dir));
    expect(check.code, check.stderr).toBe(1);
    expect(check.stdout).toMatch(/^sqlite: .*sqlite_autoindex_entries_1/m);
    expect(check.stdout).toMatch(/^FAILED: 3 rows chained/m);
  });

  it('the same transaction id again is refused as LEDGER_CORRUPT, never recorded twice', () => {
    const ledger = openTestLedger(dir);
    try {
      // Through the damaged index the id is not there: the second index still finds it.
      expect(ledger.getAttempt(txId(0x40))).toBeUndefined();
      let error: unknown;
      try {
        ledger.record(makeResult({ n: 0x40 }));
      } catch (caught) {
        error = caught;
      }
      expect(isLedgerError(error) && error.code).toBe('LEDGER_CORRUPT');
      expect((error as Error).message).toMatch(/transaction 0+40 is already at seq 2, but the ledger's unique index did not find it/);
      // A new id is still recorded: the damage is reported, the terminal is not stopped for it.
      expect(ledger.record(makeResult({ n: 0x80 })).seq).toBe(4);
    } finally {
      ledger.close();
    }
    const db = new Database(path, { readonly: true });
    try {
      expect(db.prepare('SELECT COUNT(*) FROM entries NOT INDEXED WHERE transaction_id = ?').pluck().get(txId(0x40))).toBe(1);
    } finally {
      db.close();
    }
  });
});
