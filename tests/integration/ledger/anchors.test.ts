// The ledger held to something outside its file: the chain-head file refuses a ledger restored
// from an older copy, shortened at its tail or rewritten; each export names the ledger's head and
// the previous day's manifest; a re-export killed half way leaves the previous export intact.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportBusinessDay } from '../../../src-main/export/export-day';
import type { Manifest } from '../../../src-main/export/manifest';
import { loadOrCreateTerminalKey } from '../../../src-main/export/terminal-key';
import { verifyExport } from '../../../src-main/export/verify-export';
import { readHeadFile } from '../../../src-main/ledger/head-file';
import { makeResult, openFailure, openTestLedger, recordSales, T0, tempDir } from '../../unit/ledger/fixtures';

const DAY = 86_400_000;
const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const sqlite3 = (path: string, sql: string) => execFileSync('/usr/bin/sqlite3', [path, sql], { encoding: 'utf8' });

describe('chain-head file', () => {
  let dir: string;
  let cleanup: () => void;
  let path: string;
  beforeEach(() => {
    ({ dir, cleanup } = tempDir('ledger-anchor-'));
    path = join(dir, 'ledger.sqlite');
  });
  afterEach(() => cleanup());

  it('is rewritten after every commit with the ledger id, sequence number and hash of the last row', () => {
    const ledger = openTestLedger(dir);
    expect(readHeadFile(`${path}.head`)).toMatchObject({ ledgerId: ledger.ledgerId, seq: 0 });
    ledger.record(makeResult({ n: 1 }));
    ledger.record(makeResult({ n: 2 }));
    expect(readHeadFile(`${path}.head`)).toEqual({ ledgerId: ledger.ledgerId, ...ledger.head() });
    expect(ledger.head().seq).toBe(2);
    ledger.close();
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('an older copy restored over the ledger is refused as rolled back, with both heads, and nothing is written', () => {
    recordSales(dir, 1, 3);
    copyFileSync(path, join(dir, 'backup.sqlite'));
    recordSales(dir, 4, 6);
    const head = readHeadFile(`${path}.head`);
    copyFileSync(join(dir, 'backup.sqlite'), path);
    const before = sha256(path);
    const refused = openFailure(() => openTestLedger(dir));
    expect(refused.code).toBe('LEDGER_ROLLED_BACK');
    expect(refused.message).toContain('seq 3 ');
    expect(refused.message).toContain(`seq 6 ${head?.hash}`);
    expect(sha256(path)).toBe(before);
    expect(existsSync(`${path}-wal`) ? readFileSync(`${path}-wal`).length : 0).toBe(0);
    // The next sale cannot reuse sequence numbers 4-6: no writable open succeeds.
    expect(openFailure(() => openTestLedger(dir)).code).toBe('LEDGER_ROLLED_BACK');
    // Read-only, the integrity check names it.
    const readOnly = openTestLedger(dir, { readOnly: true });
    expect(readOnly.integrityCheck().problems).toEqual([expect.stringMatching(/behind its chain-head file/)]);
    readOnly.close();
  });

  it('rows deleted at the tail with the triggers dropped and re-created are refused', () => {
    recordSales(dir, 1, 6);
    const triggers = sqlite3(
      path,
      "SELECT sql || ';' FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'entries' AND name = 'entries_no_delete'",
    );
    sqlite3(path, `DROP TRIGGER entries_no_delete; DELETE FROM entries WHERE seq > 4; ${triggers}`);
    const check = openTestLedger(dir, { readOnly: true });
    expect(check.verifyChain().ok).toBe(true); // the chain inside the file is intact: only the head file tells
    check.close();
    expect(openFailure(() => openTestLedger(dir)).code).toBe('LEDGER_ROLLED_BACK');
  });

  it('a ledger rewritten from some row on (as long as before) is refused', () => {
    recordSales(dir, 1, 4);
    copyFileSync(path, join(dir, 'backup.sqlite'));
    recordSales(dir, 5, 6);
    renameSync(`${path}.head`, join(dir, 'kept.head'));
    copyFileSync(join(dir, 'backup.sqlite'), path);
    recordSales(dir, 50, 51); // rows 5 and 6 again, with other content
    renameSync(join(dir, 'kept.head'), `${path}.head`);
    const refused = openFailure(() => openTestLedger(dir));
    expect(refused).toMatchObject({ code: 'LEDGER_ROLLED_BACK', message: expect.stringMatching(/was rewritten: row 6 hashes to/) });
  });

  it('another ledger under the head file is LEDGER_MISMATCH; a missing head file is refused when the terminal relies on it', () => {
    recordSales(dir, 1, 2);
    const other = tempDir('ledger-other-');
    try {
      const foreign = openTestLedger(other.dir);
      foreign.record(makeResult({ n: 9 }));
      foreign.close();
      copyFileSync(join(other.dir, 'ledger.sqlite'), path);
      expect(openFailure(() => openTestLedger(dir)).code).toBe('LEDGER_MISMATCH');
    } finally {
      other.cleanup();
    }
    rmSync(`${path}.head`);
    expect(openFailure(() => openTestLedger(dir, { requireHeadFile: true })).code).toBe('LEDGER_HEAD_MISSING');
    // Without requireHeadFile (a ledger from before head files) it is written from the ledger.
    openTestLedger(dir).close();
    expect(readHeadFile(`${path}.head`)?.seq).toBe(1);
  });

  it('a deleted ledger whose head file remains is not started over', () => {
    recordSales(dir, 1, 2);
    rmSync(path);
    expect(openFailure(() => openTestLedger(dir)).code).toBe('LEDGER_NOT_FOUND');
    expect(existsSync(path)).toBe(false);
  });

  it('an older copy of an older schema is refused before it is migrated', () => {
    recordSales(dir, 1, 3);
    copyFileSync(path, join(dir, 'backup.sqlite'));
    recordSales(dir, 4, 4);
    copyFileSync(join(dir, 'backup.sqlite'), path);
    sqlite3(path, 'PRAGMA user_version = 4;');
    expect(openFailure(() => openTestLedger(dir)).code).toBe('LEDGER_ROLLED_BACK');
    expect(sqlite3(path, 'PRAGMA user_version;').trim()).toBe('4');
  });

  it('a torn head file is LEDGER_HEAD_UNREADABLE, not silently replaced', () => {
    recordSales(dir, 1, 2);
    execFileSync('truncate', ['-s', '7', `${path}.head`]);
    expect(openFailure(() => openTestLedger(dir)).code).toBe('LEDGER_HEAD_UNREADABLE');
  });
});

describe('export anchors', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => {
    ({ dir, cleanup } = tempDir('ledger-anchor-export-'));
    let now = T0;
    const ledger = openTestLedger(dir, { clock: () => now });
    for (let day = 0; day < 2; day++) {
      now = T0 + day * DAY;
      for (let i = 0; i < 3; i++) ledger.record(makeResult({ n: day * 10 + i, declined: 'license_expired' }));
      ledger.closeDay({ by: 'manager' });
    }
    ledger.close();
  });
  afterEach(() => cleanup());

  const exportDay = (businessDate: string, out: string) =>
    exportBusinessDay({
      ledgerPath: join(dir, 'ledger.sqlite'),
      businessDate,
      outDir: join(dir, out),
      terminalKey: loadOrCreateTerminalKey(dir),
      terminalId: 'T-0001',
      merchantId: 'M-42',
      timeZone: 'Asia/Shanghai',
    });
  const manifestOf = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Manifest;

  it('the manifest carries the ledger head and the previous day with the hash of its last export', async () => {
    const first = await exportDay('2026-11-23', 'out');
    expect(first.manifestSha256).toBe(sha256(first.manifestPath));
    expect(first.registered).toBe(true);
    const second = await exportDay('2026-11-24', 'out');
    const m1 = manifestOf(first.manifestPath);
    const m2 = manifestOf(second.manifestPath);
    expect(m1.previousDay).toBeNull();
    expect(m1.ledgerHead).toEqual({ seq: 8, hash: m2.chain.lastHash });
    expect(m2.ledgerHead).toEqual({ seq: 8, hash: m2.chain.lastHash });
    expect(m2.previousDay).toEqual({ businessDate: '2026-11-23', manifestSha256: sha256(first.manifestPath) });
    const linked = await verifyExport(second.manifestPath, { previousManifestPath: first.manifestPath });
    expect(linked.issues.filter((issue) => issue.code !== 'no_trust_store')).toEqual([]);

    // Another export of the first day than the one the second day names is reported.
    const again = await exportDay('2026-11-23', 'again');
    const checked = await verifyExport(second.manifestPath, { previousManifestPath: again.manifestPath });
    expect(checked.issues.filter((issue) => issue.code !== 'no_trust_store')).toEqual([
      { code: 'previous_day', detail: expect.stringMatching(/is not the .* this manifest names/) },
    ]);
  });

  it('a re-export killed right after its data files are written leaves the previous export as it was', async () => {
    const first = await exportDay('2026-11-23', 'out');
    const before = Object.fromEntries(first.files.map((file) => [file, sha256(file)]));
    // The second day's rows would change nothing in day 1's files: make the re-export differ by its key.
    rmSync(join(dir, 'terminal-key.pem'));
    const child = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        fileURLToPath(new URL('./export-child.ts', import.meta.url)),
        join(dir, 'ledger.sqlite'),
        dir,
        join(dir, 'out'),
        '2026-11-23',
      ],
      { encoding: 'utf8' },
    );
    expect(child.signal).toBe('SIGKILL');
    for (const [file, hash] of Object.entries(before)) expect(sha256(file)).toBe(hash);
    expect((await verifyExport(first.manifestPath)).issues.filter((issue) => issue.code !== 'no_trust_store')).toEqual([]);
    // The next export finishes the job and leaves no staging folder behind.
    const redone = await exportDay('2026-11-23', 'out');
    expect(sha256(redone.manifestPath)).not.toBe(before[first.manifestPath]);
    expect(readdirSync(join(dir, 'out')).sort()).toEqual([
      'T-0001-2026-11-23-items.csv',
      'T-0001-2026-11-23.csv',
      'T-0001-2026-11-23.jsonl',
      'T-0001-2026-11-23.manifest.json',
    ]);
  });
});
