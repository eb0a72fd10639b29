// Tampering with the SQLite file outside the app: the ledger's own integrity check and
// verify-export must both report it.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportBusinessDay } from '../../../src-main/export/export-day';
import { loadOrCreateTerminalKey } from '../../../src-main/export/terminal-key';
import { parseTrustFile } from '../../../src-main/export/trust-file';
import { verifyExport } from '../../../src-main/export/verify-export';
import { rowHash } from '../../../src-main/ledger/canonical';
import type { Ledger } from '../../../src-main/ledger/ledger';
import { fromDb, ROW_COLUMNS } from '../../../src-main/ledger/store';
import { createTrustStore } from '../../../src-main/verification/trust-store';
import { openTestLedger, T0, tempDir } from '../../unit/ledger/fixtures';
import { ledgerCheckArgs, runCliProcess } from '../../support/cli-process';
import { demoWorld, FastPhone, MERCHANT, order, TERMINAL } from './exchanges';

const DATE = '2026-11-23';

function sqlite3(path: string, sql: string): string {
  return execFileSync('/usr/bin/sqlite3', [path, sql], { encoding: 'utf8' });
}

describe('tampering with the ledger file', () => {
  let dir: string;
  let cleanup: () => void;
  let ledger: Ledger;
  const env = demoWorld(T0);
  const trust = createTrustStore(parseTrustFile(env.trustEntries));

  beforeEach(() => {
    ({ dir, cleanup } = tempDir('ledger-tamper-'));
    let now = T0;
    ledger = openTestLedger(dir, { clock: () => now, terminalId: TERMINAL, merchantId: MERCHANT });
    const phone = new FastPhone(env, 'approve');
    for (let i = 0; i < 12; i++) {
      now += 1000;
      ledger.record(phone.pay(order(1000 + i), now));
    }
    expect(ledger.integrityCheck().ok).toBe(true);
    ledger.close();
  });
  afterEach(() => {
    ledger.close();
    cleanup();
  });

  const reopen = () => openTestLedger(dir, { create: false, terminalId: TERMINAL, merchantId: MERCHANT });

  async function exportAndVerify(name: string) {
    const result = await exportBusinessDay({
      ledgerPath: join(dir, 'ledger.sqlite'),
      businessDate: DATE,
      outDir: join(dir, name),
      terminalKey: loadOrCreateTerminalKey(dir),
      terminalId: TERMINAL,
      merchantId: MERCHANT,
      timeZone: 'Asia/Shanghai',
    });
    return { result, verified: await verifyExport(result.manifestPath, { trustStore: trust }) };
  }

  it('the sqlite3 tool refuses UPDATE while the triggers are there', () => {
    expect(() => sqlite3(join(dir, 'ledger.sqlite'), 'UPDATE entries SET amount = 1 WHERE seq = 5;')).toThrow(/append-only/);
  });

  it('an amount changed with the sqlite3 tool after dropping the triggers is reported by the ledger and by verify-export', async () => {
    sqlite3(join(dir, 'ledger.sqlite'), 'DROP TRIGGER entries_no_update; UPDATE entries SET amount = amount + 100000 WHERE seq = 5;');
    ledger = reopen();
    const chain = ledger.verifyChain();
    expect(chain.ok).toBe(false);
    expect(chain.firstBroken).toMatchObject({ seq: 5, problem: 'hash_mismatch' });
    const integrity = ledger.integrityCheck();
    expect(integrity.problems).toEqual([
      'trigger entries_no_update is missing',
      expect.stringMatching(/^chain broken at sequence 5: hash_mismatch/),
    ]);
    const { result, verified } = await exportAndVerify('export');
    expect(result.chainBreak).toMatchObject({ seq: 5 });
    expect(verified.ok).toBe(false);
    const text = verified.problems.join('\n');
    expect(text).toMatch(/row 5 .*chain hash mismatch/);
    expect(text).toMatch(/row 5 .*authorization signs a different amount/);
    expect(verified.issues.filter((p) => p.detail.startsWith('row 5 ')).map((p) => p.code)).toEqual([
      'chain',
      'approval',
      'approval',
      'approval',
    ]);
  });

  it('a tamperer who also rewrites the row hash breaks the next link; one who rewrites every later hash is still caught by the phone signature', async () => {
    const path = join(dir, 'ledger.sqlite');
    const db = new Database(path);
    db.exec('DROP TRIGGER entries_no_update');
    const rows = (db.prepare(`SELECT ${ROW_COLUMNS} FROM entries e ORDER BY seq`).raw(true).all() as unknown[][]).map(fromDb);
    const victim = { ...(rows[4] as (typeof rows)[number]), amount: 1 };
    db.prepare('UPDATE entries SET amount = 1, hash = ? WHERE seq = 5').run(Buffer.from(rowHash(victim)));
    db.close();
    ledger = reopen();
    expect(ledger.verifyChain().firstBroken).toMatchObject({ seq: 6, problem: 'link_broken' });
    ledger.close();

    // Re-chain everything after the edit: the ledger's own chain now verifies...
    const rechain = new Database(path);
    let prev = rowHash(victim);
    for (const row of rows.slice(5)) {
      const fixed = { ...row, prevHash: prev };
      prev = rowHash(fixed);
      rechain
        .prepare('UPDATE entries SET prev_hash = ?, hash = ? WHERE seq = ?')
        .run(Buffer.from(fixed.prevHash), Buffer.from(prev), row.seq);
    }
    rechain.close();
    // The chain-head file still names the last row as committed: the terminal will not write to it.
    expect(() => reopen()).toThrow(/LEDGER_ROLLED_BACK: .* was rewritten: row 12 hashes to/);
    ledger = openTestLedger(dir, { create: false, readOnly: true, terminalId: TERMINAL, merchantId: MERCHANT });
    expect(ledger.verifyChain().ok).toBe(true);
    expect(ledger.integrityCheck().problems).toEqual([
      'trigger entries_no_update is missing',
      expect.stringMatching(/was rewritten: row 12 hashes to/),
    ]);
    // ...but the phone signed 1004, not 1, and verify-export checks that.
    const { verified } = await exportAndVerify('export-rechained');
    expect(verified.ok).toBe(false);
    expect(verified.problems).toEqual([
      expect.stringMatching(/^row 5 \([0-9a-f]{32}\): payment request differs from the recorded transaction$/),
      expect.stringMatching(/^row 5 \([0-9a-f]{32}\): deduction request differs from the recorded transaction$/),
      expect.stringMatching(/^row 5 \([0-9a-f]{32}\): authorization signs a different amount than the row records$/),
    ]);
    expect(verified.issues.map((p) => p.code)).toEqual(['approval', 'approval', 'approval']);
  });

  it('npm run cli -- ledger check: exit 0 while intact, 1 with one line per problem after tampering', async () => {
    const path = join(dir, 'ledger.sqlite');
    const check = () => runCliProcess(ledgerCheckArgs(path, dir, ['--terminal', TERMINAL, '--merchant', MERCHANT]));
    const intact = await check();
    expect(intact.stdout).toMatch(/^OK: 12 rows chained, head 12 [0-9a-f]{64}, 0 problems\n$/);
    expect(intact.code).toBe(0);
    sqlite3(path, 'DROP TRIGGER entries_no_update; UPDATE entries SET amount = 1 WHERE seq = 3;');
    const broken = await check();
    expect(broken.code).toBe(1);
    expect(broken.stdout.split('\n')).toEqual([
      'trigger entries_no_update is missing',
      expect.stringMatching(/^chain broken at sequence 3: hash_mismatch/),
      'FAILED: 2 rows chained, head 2 ' + (broken.stdout.match(/head 2 ([0-9a-f]{64})/)?.[1] ?? '?') + ', 2 problems',
      '',
    ]);
  }, 60_000);

  it('a deleted row shows as a sequence gap', () => {
    sqlite3(join(dir, 'ledger.sqlite'), 'DROP TRIGGER entries_no_delete; DELETE FROM entries WHERE seq = 7;');
    ledger = reopen();
    expect(ledger.verifyChain().firstBroken).toMatchObject({ seq: 8, problem: 'sequence_gap' });
  });
});
