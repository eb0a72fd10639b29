// verify-export on damaged exports: whatever byte changes, in whichever file, it answers with
// problems and ok=false; it never throws and never says OK.
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportBusinessDay, type ExportResult } from '../../../src-main/export/export-day';
import { parseJsonRecord, parseJsonSummary, RecordFormatError } from '../../../src-main/export/records';
import { loadOrCreateTerminalKey } from '../../../src-main/export/terminal-key';
import { parseTrustFile } from '../../../src-main/export/trust-file';
import { verifyExport } from '../../../src-main/export/verify-export';
import { VERIFY_PROBLEM_CODES } from '../../../src-main/export/verify-problems';
import { makeResult, openTestLedger, T0, tempDir } from '../../unit/ledger/fixtures';
import { demoWorld, FastPhone, MERCHANT, order, TERMINAL } from './exchanges';

describe('verify-export on damaged files', () => {
  const { dir, cleanup } = tempDir('ledger-fuzz-');
  const env = demoWorld(T0);
  const authorities = parseTrustFile(env.trustEntries);
  let exported: ExportResult;

  beforeAll(async () => {
    let now = T0;
    const ledger = openTestLedger(dir, { clock: () => now, terminalId: TERMINAL, merchantId: MERCHANT });
    const phone = new FastPhone(env, 'approve');
    for (let i = 0; i < 20; i++)
      ledger.record(
        phone.pay(order(100 + i, i % 3 === 0 ? { items: [{ description: 'x', quantity: 1, unitPrice: 100 + i }] } : {}), (now += 1000)),
      );
    ledger.record({ ...makeResult({ n: 999, declined: 'license_expired' }), order: order(5) });
    ledger.close();
    exported = await exportBusinessDay({
      ledgerPath: join(dir, 'ledger.sqlite'),
      businessDate: '2026-11-23',
      outDir: join(dir, 'clean'),
      terminalKey: loadOrCreateTerminalKey(dir),
      terminalId: TERMINAL,
      merchantId: MERCHANT,
      timeZone: 'Asia/Shanghai',
    });
    expect((await verifyExport(exported.manifestPath, { authorities })).ok).toBe(true);
  });
  afterAll(cleanup);

  it('any changed byte in any file is reported, never thrown', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 3 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 1, max: 255 }),
        async (file, where, xor) => {
          const target = join(dir, `fuzz-${run++}`);
          cpSync(exported.folder, target, { recursive: true });
          const path = join(target, (exported.files[file] as string).slice(exported.folder.length + 1));
          const bytes = readFileSync(path);
          const at = Math.min(bytes.length - 1, Math.floor(where * bytes.length));
          bytes[at] = (bytes[at] as number) ^ xor;
          writeFileSync(path, bytes);
          const manifest = join(target, (exported.files[3] as string).slice(exported.folder.length + 1));
          const result = await verifyExport(manifest, { authorities });
          expect(result.ok).toBe(false);
          expect(result.problemCount).toBeGreaterThan(0);
          // Every problem is coded, the same as its line; a changed data file is always file_changed.
          expect(result.issues.map((p) => p.detail)).toEqual(result.problems);
          for (const { code } of result.issues) expect(VERIFY_PROBLEM_CODES).toContain(code);
          if (file < 3) expect(result.issues.map((p) => p.code)).toContain('file_changed');
        },
      ),
      { numRuns: 100 },
    );
  }, 120_000);

  it('the JSONL parsers only ever throw RecordFormatError', () => {
    const line = readFileSync(exported.files[2] as string, 'utf8').split('\n')[0] as string;
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: line.length }),
        fc.string({ maxLength: 8 }),
        fc.integer({ min: 0, max: 8 }),
        (at, insert, cut) => {
          const mutated = line.slice(0, at) + insert + line.slice(at + cut);
          for (const parse of [parseJsonRecord, parseJsonSummary]) {
            try {
              parse(mutated);
            } catch (error) {
              expect(error).toBeInstanceOf(RecordFormatError);
            }
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
