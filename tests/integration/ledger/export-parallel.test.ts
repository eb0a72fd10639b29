// A big day is exported on two threads (export-day.ts): the files must be byte for byte those of
// one thread, a chain break must be found at the same row wherever it lies (before, at or after
// the seam between the parts), and a worker that fails must fail the export and leave no files.
import { mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportBaseName, exportBusinessDay, splitSeq, type ExportDayOptions, type ExportResult } from '../../../src-main/export/export-day';
import type { Manifest } from '../../../src-main/export/manifest';
import { loadOrCreateTerminalKey, type TerminalKey } from '../../../src-main/export/terminal-key';
import { parseTrustFile } from '../../../src-main/export/trust-file';
import { verifyExport } from '../../../src-main/export/verify-export';
import { startWorker } from '../../../src-main/export/worker-thread';
import { LedgerError } from '../../../src-main/ledger/errors';
import { createTrustStore } from '../../../src-main/verification/trust-store';
import { openTestLedger, T0, tempDir } from '../../unit/ledger/fixtures';
import { demoWorld, FastPhone, MERCHANT, order, TERMINAL } from './exchanges';

const DATE = '2026-11-23';
const SALES = 400;

describe('a day exported on two threads', () => {
  let dir: string;
  let cleanup: () => void;
  let ledgerPath: string;
  let key: TerminalKey;
  let rows: number;
  const env = demoWorld(T0);
  const now = T0 + 3_600_000;

  beforeAll(() => {
    ({ dir, cleanup } = tempDir('ledger-parallel-'));
    let clock = T0;
    const ledger = openTestLedger(dir, { clock: () => clock, terminalId: TERMINAL, merchantId: MERCHANT });
    ledgerPath = ledger.path;
    const phones = [new FastPhone(env, 'approve'), new FastPhone(env, 'slow'), new FastPhone(env, 'locked')];
    const approved: string[] = [];
    for (let i = 0; i < SALES; i++) {
      clock += 5;
      const items =
        i % 3 === 0
          ? [
              { description: `Tea ${i}, "large"`, quantity: 2, unitPrice: 150 },
              { description: '茶\n杯', quantity: 1, unitPrice: 100 },
            ]
          : undefined;
      const paid = order(items ? 400 : 100 + i, items ? { items } : {});
      const result = (phones[i % phones.length] as FastPhone).pay(paid, clock);
      ledger.record(result);
      if (result.decision.outcome === 'approved') approved.push(paid.transactionId);
    }
    // Voids late in the day of sales early in it: the first part's CSV names voids the worker reads.
    for (const at of [0, 3, approved.length - 1]) ledger.void(approved[at] as string, { reason: 'returned, "unused"', by: 'manager' });
    ledger.closeDay({ by: 'manager' });
    rows = SALES + 3 + 1;
    ledger.close();
    key = loadOrCreateTerminalKey(dir);
  });
  afterAll(() => cleanup());

  const exportTo = (name: string, parallel: boolean, extra: Partial<ExportDayOptions> = {}) =>
    exportBusinessDay({
      ledgerPath,
      businessDate: DATE,
      outDir: join(dir, name),
      terminalKey: key,
      terminalId: TERMINAL,
      merchantId: MERCHANT,
      timeZone: 'Asia/Shanghai',
      now,
      parallel,
      ...extra,
    });
  const body = (result: ExportResult) => {
    const { signature: _signature, ...rest } = JSON.parse(readFileSync(result.manifestPath, 'utf8')) as Manifest;
    return rest;
  };

  it('writes the same bytes and the same manifest as one thread, and verifies', async () => {
    const one = await exportTo('one', false);
    const two = await exportTo('two', true);
    expect(two.rows).toBe(rows);
    for (let i = 0; i < 3; i++)
      expect(readFileSync(two.files[i] as string, 'utf8').split('\n')).toEqual(readFileSync(one.files[i] as string, 'utf8').split('\n'));
    expect(body(two)).toEqual(body(one));
    expect(body(two).counts).toMatchObject({ rows, voided: 3, closes: 1 });
    expect(readdirSync(join(dir, 'two')).sort()).toEqual(readdirSync(join(dir, 'one')).sort());
    const verified = await verifyExport(two.manifestPath, {
      trustStore: createTrustStore(parseTrustFile(env.trustEntries)),
      expectTerminalKeyId: key.keyId,
    });
    expect(verified.problems).toEqual([]);
    expect(verified.ok).toBe(true);
  });

  it('reports a tampered row at the same place as one thread, before, at and after the seam', async () => {
    const seam = splitSeq(1, rows) + 1; // the worker's first row
    const db = new Database(ledgerPath);
    for (const trigger of db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'entries'")
      .pluck()
      .all() as string[]) {
      db.exec(`DROP TRIGGER "${trigger}"`);
    }
    const amount = db.prepare('SELECT amount FROM entries WHERE seq = ?').pluck();
    const setAmount = db.prepare('UPDATE entries SET amount = ? WHERE seq = ?');
    const prev = db.prepare('SELECT prev_hash FROM entries WHERE seq = ?').pluck();
    const setPrev = db.prepare('UPDATE entries SET prev_hash = ? WHERE seq = ?');
    try {
      for (const seq of [2, seam - 1, seam, seam + 1, rows - 1]) {
        const held = amount.get(seq) as number;
        setAmount.run(held + 1, seq);
        const one = await exportTo(`amount-one-${seq}`, false);
        const two = await exportTo(`amount-two-${seq}`, true);
        setAmount.run(held, seq);
        expect(one.chainBreak).toMatchObject({ seq, problem: 'hash_mismatch' });
        expect(two.chainBreak).toEqual(one.chainBreak);
      }
      // A broken link exactly at the seam is seen when the parts are joined.
      const held = prev.get(seam) as Buffer;
      setPrev.run(Buffer.alloc(32, 7), seam);
      const one = await exportTo('link-one', false);
      const two = await exportTo('link-two', true);
      setPrev.run(held, seam);
      expect(one.chainBreak).toMatchObject({ seq: seam, problem: 'link_broken' });
      expect(two.chainBreak).toEqual(one.chainBreak);
    } finally {
      db.close();
    }
    expect((await exportTo('restored', true)).chainBreak).toBeNull();
  }, 120_000);

  it('a worker that cannot write its part fails the export with a coded error and leaves no export files', async () => {
    const out = join(dir, 'worker-fails');
    mkdirSync(out);
    // The worker's JSONL part cannot be created: as the worker starts, its name in the staging
    // folder becomes a link into a folder that does not exist.
    const staging = join(out, `.${exportBaseName(TERMINAL, DATE)}.partial`);
    const failure = await exportTo('worker-fails', true, {
      startWorker: (name, job) => {
        symlinkSync(join(dir, 'no-such-folder', 'x'), join(staging, `${exportBaseName(TERMINAL, DATE)}.jsonl.part2`));
        return startWorker(name, job);
      },
    }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(LedgerError);
    expect((failure as LedgerError).code).toBe('LEDGER_NOT_FOUND');
    expect((failure as LedgerError).message).toMatch(/later part of 2026-11-23/);
    expect(readdirSync(out)).toEqual([]);
  });

  it('a worker that cannot load (say, a build without its file) leaves the whole day to this thread', async () => {
    const one = await exportTo('unloadable-one', false);
    let started = 0;
    const startWorker = () => {
      started += 1;
      return new Worker('throw new Error("no such module")', { eval: true });
    };
    const fallback = await exportTo('unloadable', true, { startWorker });
    expect(started).toBe(1);
    for (let i = 0; i < 3; i++) expect(readFileSync(fallback.files[i] as string)).toEqual(readFileSync(one.files[i] as string));
    expect(body(fallback)).toEqual(body(one));
    expect(readdirSync(join(dir, 'unloadable')).sort()).toEqual(readdirSync(join(dir, 'unloadable-one')).sort());
  });
});
