// The app's quick_check of its ledger (issue #11 item 4), run off the start path once the terminal
// is open: a sound file passes; a damaged page is found, and from then on nothing more is recorded
// in the file (LEDGER_CORRUPT), while everything already in it stays as it was.
import Database from 'better-sqlite3';
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTerminal } from '../../../src-main/app/terminal';
import { isLedgerError } from '../../../src-main/ledger/errors';
import { runCliProcess } from '../../support/cli-process';
import { makeResult } from '../../unit/ledger/fixtures';

let dataDir: string;
const ledgerPath = () => path.join(dataDir, 'ledger.sqlite');

/** Overwrites the first page of `index` with zeros: its b-tree page header is gone. */
function zeroPageOf(index: string): void {
  const db = new Database(ledgerPath(), { readonly: true });
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const pageno = db.prepare('SELECT pageno FROM dbstat WHERE name = ? ORDER BY pageno LIMIT 1').pluck().get(index) as number;
  db.close();
  const fd = openSync(ledgerPath(), 'r+');
  try {
    writeSync(fd, Buffer.alloc(pageSize), 0, pageSize, (pageno - 1) * pageSize);
  } finally {
    closeSync(fd);
  }
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'open-check-'));
  const setup = await runCliProcess(['charge', '--minor', '100', '--reader', 'stub', '--data-dir', dataDir, '--setup-demo']);
  expect(setup.code, setup.stderr).toBe(0);
});

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('quick_check once the terminal is open', { timeout: 120_000 }, () => {
  it('passes a sound ledger, which keeps recording', async () => {
    const terminal = await createTerminal({ dataDir, readerKind: 'stub', version: 'test' });
    try {
      expect(await terminal.ledgerCheck()).toEqual([]);
      for (let n = 1; n <= 20; n++) terminal.ledger.record(makeResult({ n }));
    } finally {
      await terminal.close();
    }
  });

  it('finds a damaged page after the start and refuses every later write, changing nothing', async () => {
    zeroPageOf('entries_by_day');
    const before = readFileSync(ledgerPath());
    const terminal = await createTerminal({ dataDir, readerKind: 'stub', version: 'test' });
    try {
      const problems = await terminal.ledgerCheck();
      expect(problems?.length).toBeGreaterThan(0);
      let error: unknown;
      try {
        terminal.ledger.record(makeResult({ n: 99 }));
      } catch (caught) {
        error = caught;
      }
      expect(isLedgerError(error) && error.code).toBe('LEDGER_CORRUPT');
      expect((error as Error).message).toMatch(/quick_check found damage/);
      // A payment is refused before the phone is asked for anything (never approved unrecorded).
      expect(terminal.ledger.writeFault()?.code).toBe('LEDGER_CORRUPT');
      expect(() => terminal.payments.start({ amount: 250 })).toThrow(
        expect.objectContaining({ name: 'StartPaymentError', code: 'ledger_damaged' }),
      );
      expect(terminal.payments.snapshot().stage).toBe('idle');
    } finally {
      await terminal.close();
    }
    expect(readFileSync(ledgerPath()).equals(before)).toBe(true);
  });
});
