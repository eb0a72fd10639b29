// The chain-head file's two records: each commit overwrites the record of its parity in place, so
// a record torn by a power cut (or read while written) leaves the other one, a commit older, to be
// read; a format 1 file is still read and becomes format 2 at the next commit; a file deleted or
// renamed over while the ledger is open is written again where readers look.
import { createHash } from 'node:crypto';
import { copyFileSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readHeadFile } from '../../../src-main/ledger/head-file';
import { makeResult, openFailure, openTestLedger, recordSales, tempDir } from '../../unit/ledger/fixtures';

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** The file's two records as `cat` shows them: two lines of JSON padded with spaces. */
function records(headPath: string): { format: string; ledgerId: string; seq: number; hash: string; check: string }[] {
  const lines = readFileSync(headPath, 'utf8').split('\n');
  expect(lines).toHaveLength(3); // two records, each ending in a newline
  expect(lines[2]).toBe('');
  return lines.slice(0, 2).map((line) => {
    expect(Buffer.byteLength(line)).toBe(511);
    return JSON.parse(line) as { format: string; ledgerId: string; seq: number; hash: string; check: string };
  });
}

/** Overwrites the file's bytes at `offset` with `bytes` (what a torn write leaves). */
function patch(path: string, offset: number, bytes: Buffer): void {
  const file = readFileSync(path);
  bytes.copy(file, offset);
  writeFileSync(path, file);
}

describe('chain-head file records', () => {
  let dir: string;
  let cleanup: () => void;
  let path: string;
  let headPath: string;
  beforeEach(() => {
    ({ dir, cleanup } = tempDir('ledger-head-file-'));
    path = join(dir, 'ledger.sqlite');
    headPath = `${path}.head`;
  });
  afterEach(() => cleanup());

  it('holds two 512-byte records: the last commit in the record of its parity, the one before in the other', () => {
    const ledger = openTestLedger(dir);
    try {
      const heads = [ledger.head()];
      for (let n = 1; n <= 3; n++) {
        ledger.record(makeResult({ n }));
        heads.push(ledger.head());
        expect(statSync(headPath).size).toBe(1024);
        expect(readHeadFile(headPath)).toEqual({ ledgerId: ledger.ledgerId, ...heads[n] });
      }
      const [even, odd] = records(headPath);
      expect(odd).toMatchObject({ format: 'nfc-cashier-ledger-head/2', ledgerId: ledger.ledgerId, ...heads[3] });
      expect(even).toMatchObject({ format: 'nfc-cashier-ledger-head/2', ledgerId: ledger.ledgerId, ...heads[2] });
      expect(even?.check).toMatch(/^[0-9a-f]{64}$/);
      expect(even?.check).not.toBe(odd?.check);
    } finally {
      ledger.close();
    }
  });

  it('a torn last record leaves the one before: read, opened (one commit stale) and written on', () => {
    recordSales(dir, 1, 3);
    const before = readHeadFile(headPath);
    expect(before?.seq).toBe(3);
    // Half of seq 3's hash replaced: the record still parses as JSON, its checksum does not match.
    const hashAt = readFileSync(headPath, 'utf8').indexOf(before?.hash ?? '', 512);
    expect(hashAt).toBeGreaterThan(512);
    patch(headPath, hashAt + 32, Buffer.from('0'.repeat(32)));
    expect(readHeadFile(headPath)?.seq).toBe(2);

    const ledger = openTestLedger(dir);
    try {
      expect(ledger.head().seq).toBe(3);
      ledger.record(makeResult({ n: 4 }));
      expect(readHeadFile(headPath)).toEqual({ ledgerId: ledger.ledgerId, ...ledger.head() });
      expect(ledger.integrityCheck().problems).toEqual([]);
    } finally {
      ledger.close();
    }
  });

  it('a torn last record still catches a rollback by the record before it', () => {
    recordSales(dir, 1, 2);
    copyFileSync(path, join(dir, 'backup.sqlite'));
    recordSales(dir, 3, 6);
    patch(headPath, 0, Buffer.from('{"format":"nfc-cashier-ledger-head/2","seq":7'));
    expect(readHeadFile(headPath)?.seq).toBe(5);
    copyFileSync(join(dir, 'backup.sqlite'), path);
    expect(openFailure(() => openTestLedger(dir))).toMatchObject({
      code: 'LEDGER_ROLLED_BACK',
      message: expect.stringContaining('seq 5 '),
    });
  });

  it('both records torn is LEDGER_HEAD_UNREADABLE, and the ledger is not written', () => {
    recordSales(dir, 1, 2);
    patch(headPath, 100, Buffer.from('xx'));
    patch(headPath, 612, Buffer.from('xx'));
    const before = sha256(path);
    expect(openFailure(() => openTestLedger(dir))).toMatchObject({
      code: 'LEDGER_HEAD_UNREADABLE',
      message: expect.stringContaining('has no intact record'),
    });
    expect(sha256(path)).toBe(before);
  });

  it('intact records naming two ledgers are LEDGER_HEAD_UNREADABLE', () => {
    recordSales(dir, 1, 2);
    const other = tempDir('ledger-head-other-');
    try {
      const foreign = openTestLedger(other.dir);
      foreign.record(makeResult({ n: 9 }));
      foreign.close();
      patch(headPath, 512, readFileSync(join(other.dir, 'ledger.sqlite.head')).subarray(512));
    } finally {
      other.cleanup();
    }
    expect(openFailure(() => openTestLedger(dir))).toMatchObject({
      code: 'LEDGER_HEAD_UNREADABLE',
      message: expect.stringContaining('names two ledgers'),
    });
  });

  it('a format 1 file (one JSON line) is read and checked, and becomes format 2 at the next commit', () => {
    recordSales(dir, 1, 2);
    copyFileSync(path, join(dir, 'backup.sqlite'));
    recordSales(dir, 3, 4);
    const head = readHeadFile(headPath);
    const format1 = `${JSON.stringify({ format: 'nfc-cashier-ledger-head/1', ledgerId: head?.ledgerId, seq: head?.seq, hash: head?.hash })}\n`;
    writeFileSync(headPath, format1);
    expect(readHeadFile(headPath)).toEqual(head);

    copyFileSync(path, join(dir, 'current.sqlite'));
    copyFileSync(join(dir, 'backup.sqlite'), path);
    expect(openFailure(() => openTestLedger(dir))).toMatchObject({
      code: 'LEDGER_ROLLED_BACK',
      message: expect.stringContaining('seq 4 '),
    });
    expect(readFileSync(headPath, 'utf8')).toBe(format1);

    copyFileSync(join(dir, 'current.sqlite'), path);
    const ledger = openTestLedger(dir);
    try {
      ledger.record(makeResult({ n: 5 }));
      expect(statSync(headPath).size).toBe(1024);
      expect(records(headPath).map((r) => r.seq)).toEqual([5, 5]);
      ledger.record(makeResult({ n: 6 }));
      expect(records(headPath).map((r) => r.seq)).toEqual([6, 5]);
    } finally {
      ledger.close();
    }
  });

  it('a head file deleted, or renamed over, while the ledger is open is written again at the next commit', () => {
    const ledger = openTestLedger(dir);
    try {
      ledger.record(makeResult({ n: 1 }));
      rmSync(headPath);
      ledger.record(makeResult({ n: 2 }));
      expect(readHeadFile(headPath)).toEqual({ ledgerId: ledger.ledgerId, ...ledger.head() });

      // Another process replacing the file (an adoption writes a new file and renames it over).
      copyFileSync(headPath, join(dir, 'replacement.head'));
      renameSync(join(dir, 'replacement.head'), headPath);
      ledger.record(makeResult({ n: 3 }));
      expect(readHeadFile(headPath)).toEqual({ ledgerId: ledger.ledgerId, ...ledger.head() });
      ledger.record(makeResult({ n: 4 }));
      expect(records(headPath).map((r) => r.seq)).toEqual([4, 3]);
    } finally {
      ledger.close();
    }
  });

  it('two connections committing in turn leave the head of the last commit', () => {
    const first = openTestLedger(dir);
    const second = openTestLedger(dir);
    try {
      for (let n = 1; n <= 4; n++) {
        (n % 2 === 1 ? first : second).record(makeResult({ n }));
        expect(readHeadFile(headPath)).toEqual({ ledgerId: first.ledgerId, ...first.head() });
      }
      expect(first.head().seq).toBe(4);
    } finally {
      first.close();
      second.close();
    }
  });
});
