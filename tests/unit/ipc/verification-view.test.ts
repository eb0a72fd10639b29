// The codes verify-export gives its problems, and the renderer words them by, read from real
// exports of a real ledger damaged the ways a settlement desk meets them (changed file, missing
// file, foreign signer, unknown authority, broken chain, no trust store), checked the same on one
// thread and on worker threads.
import { mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTerminal, type Terminal } from '../../../src-main/app/terminal';
import { CLOCK_SKEW_MS } from '../../../src-main/verification/license';
import { exportBusinessDay } from '../../../src-main/export/export-day';
import { loadTrustStore } from '../../../src-main/export/trust-file';
import { verifyExport, type VerifyExportOptions } from '../../../src-main/export/verify-export';
import { VERIFY_PROBLEM_CODES } from '../../../src-main/export/verify-problems';
import { VERIFICATION_PROBLEM_CODES, VerificationSchema } from '../../../src-main/ipc/contract';
import { verificationOf } from '../../../src-main/ipc/verification-view';

const pinKdf = { N: 2 ** 14, r: 8, p: 1, keyLength: 32 };
let dataDir: string;
let terminal: Terminal;
let businessDate: string;

async function sale(amount: number, scenario: string): Promise<void> {
  terminal.payments.start({ amount });
  terminal.phone?.tap(scenario);
  await terminal.payments.settled();
  terminal.phone?.remove();
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'verification-view-'));
  terminal = await createTerminal({ dataDir, readerKind: 'stub', pinKdf, env: {} });
  await terminal.firstRun({ country: 'GB', merchantId: 'M-1', merchantName: 'Shop', terminalId: 'T-1', pin: '2468', trust: 'demo' });
  await sale(1234, 'approve');
  await sale(500, 'expired-license');
  await sale(700, 'approve');
  businessDate = terminal.ledger.currentBusinessDate();
});

afterAll(async () => {
  await terminal.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** The trust store of a terminal's data folder, as verify-export's workers take it (a list). */
const authoritiesOf = (folder: string) => loadTrustStore(join(folder, 'trust-store.json')).authorities;

/**
 * A fresh export of the day, damaged by `damage`, verified with `options` (default: as the app
 * does), and again on two worker threads against `authorities` (default: this terminal's): the
 * codes, lines and figures must be the same.
 */
async function exportAndVerify(
  name: string,
  damage: (files: { csv: string; jsonl: string; manifest: string }) => void,
  options?: VerifyExportOptions,
  authorities: VerifyExportOptions['authorities'] | null = authoritiesOf(dataDir),
) {
  const s = terminal.settings.get();
  const written = await exportBusinessDay({
    ledgerPath: terminal.ledger.path,
    businessDate,
    outDir: join(dataDir, 'exports', name),
    terminalKey: terminal.terminalKey,
    terminalId: s.terminalId,
    merchantId: s.merchantId,
    timeZone: terminal.settings.profile().timeZone,
  });
  const find = (suffix: string) => written.files.find((f) => f.endsWith(suffix) && !(suffix === '.csv' && f.endsWith('-items.csv'))) ?? '';
  damage({ csv: find('.csv'), jsonl: find('.jsonl'), manifest: written.manifestPath });
  const used = options ?? {
    trustStore: terminal.trust.trustStore(),
    expectTerminalKeyId: terminal.terminalKey.keyId,
    clockSkewMs: CLOCK_SKEW_MS,
  };
  const result = await verifyExport(written.manifestPath, used);
  // One code per English line, in the same order; the view passes them on unchanged.
  expect(result.issues.map((p) => p.detail)).toEqual(result.problems);
  expect(result.issues).toHaveLength(result.problemCount);
  const view = verificationOf(result);
  expect(VerificationSchema.parse(view)).toEqual(view);
  expect(view.problems).toEqual(result.issues);
  const { trustStore: _single, ...rest } = used;
  const threaded = await verifyExport(written.manifestPath, { ...rest, ...(authorities ? { authorities } : {}), workers: 2 });
  expect(threaded.issues).toEqual(result.issues);
  expect(threaded.summary).toBe(result.summary);
  return view;
}

const codes = (view: { problems: { code: string }[] }) => [...new Set(view.problems.map((p) => p.code))].sort();

describe('verify-export result as figures and coded problems', () => {
  it("the contract's problem codes are verify-export's own list", () => {
    expect(VERIFICATION_PROBLEM_CODES).toBe(VERIFY_PROBLEM_CODES);
  });

  it('an untouched export: ok, figures, this terminal as signer, no problems', async () => {
    const view = await exportAndVerify('good', () => undefined);
    expect(view).toMatchObject({
      ok: true,
      rows: 3,
      transactions: 3,
      approvalsVerified: 2,
      licenses: 1,
      problemCount: 0,
      terminalKeyPinned: true,
      problems: [],
    });
    expect(view.terminalKeyFingerprint).toBe(terminal.terminalKey.fingerprint);
  });

  it("a changed byte in the accountants' CSV: file_changed", async () => {
    const view = await exportAndVerify('csv', ({ csv }) => writeFileSync(csv, readFileSync(csv, 'utf8').replace('12.34', '12.35')));
    expect(view.ok).toBe(false);
    expect(view.problems).toEqual([
      { code: 'file_changed', detail: expect.stringMatching(/\.csv: SHA-256 [0-9a-f]{64} != manifest [0-9a-f]{64}$/) },
    ]);
  });

  it('the items CSV left out of the folder: file_missing', async () => {
    const view = await exportAndVerify('items-missing', ({ csv }) => unlinkSync(csv.replace(/\.csv$/, '-items.csv')));
    expect(view.ok).toBe(false);
    expect(view.problems).toEqual([{ code: 'file_missing', detail: expect.stringMatching(/-items\.csv: ENOENT/) }]);
  });

  it('the JSONL left out: file_missing alone (the books of records never read are not blamed on the files)', async () => {
    const view = await exportAndVerify('jsonl-missing', ({ jsonl }) => unlinkSync(jsonl));
    expect(view.ok).toBe(false);
    expect(view.problems).toEqual([{ code: 'file_missing', detail: expect.stringMatching(/\.jsonl: ENOENT/) }]);
  });

  it('worker threads that cannot load: incomplete, and nothing else blamed', async () => {
    const written = await exportBusinessDay({
      ledgerPath: terminal.ledger.path,
      businessDate,
      outDir: join(dataDir, 'exports', 'unloadable'),
      terminalKey: terminal.terminalKey,
      terminalId: 'T-1',
      merchantId: 'M-1',
      timeZone: terminal.settings.profile().timeZone,
    });
    const startWorker = () => new Worker('throw new Error("no such module")', { eval: true });
    const result = await verifyExport(written.manifestPath, { authorities: authoritiesOf(dataDir), workers: 2, startWorker });
    expect(result.ok).toBe(false);
    expect(result.issues).toEqual([{ code: 'incomplete', detail: expect.stringMatching(/\.jsonl: no such module$/) }]);
    expect(verificationOf(result).problems).toEqual(result.issues);
  });

  it("a manifest with a changed count, laid out as written: its signature no longer verifies (manifest), and the count is not the rows' (totals)", async () => {
    const view = await exportAndVerify('manifest', ({ manifest }) => {
      const content = JSON.parse(readFileSync(manifest, 'utf8')) as { counts: { approved: number } };
      content.counts.approved += 1;
      writeFileSync(manifest, `${JSON.stringify(content, null, 2)}\n`);
    });
    expect(view.ok).toBe(false);
    expect(view.problems).toEqual([
      { code: 'manifest', detail: 'manifest signature does not verify with the terminal key' },
      { code: 'totals', detail: 'manifest counts.approved = 3, files hold 2' },
    ]);
  });

  it('a manifest re-indented, its content unchanged: file_changed', async () => {
    const view = await exportAndVerify('layout', ({ manifest }) =>
      writeFileSync(manifest, `${JSON.stringify(JSON.parse(readFileSync(manifest, 'utf8')), null, 4)}\n`),
    );
    expect(codes(view)).toEqual(['file_changed']);
    expect(view.problemCount).toBe(1);
  });

  it('another terminal expected: terminal_key', async () => {
    const view = await exportAndVerify('foreign', () => undefined, {
      trustStore: terminal.trust.trustStore(),
      expectTerminalKeyId: 'ab'.repeat(32),
    });
    expect(view.problems).toEqual([
      { code: 'terminal_key', detail: `manifest signed by terminal key ${terminal.terminalKey.keyId}, expected ${'ab'.repeat(32)}` },
    ]);
  });

  it('checked against a trust store without the authority key: approval; without any trust store: no_trust_store', async () => {
    const view = await exportAndVerify('stranger', () => undefined, { authorities: [], clockSkewMs: CLOCK_SKEW_MS }, []);
    expect(view.ok).toBe(false);
    expect(view.problems).toEqual([
      { code: 'approval', detail: expect.stringMatching(/^row 1 \(.*\): license: authority key ".*" is not in the trust store$/) },
      { code: 'approval', detail: expect.stringMatching(/^row 3 \(.*\): license: authority key ".*" is not in the trust store$/) },
    ]);
    const none = await exportAndVerify('no-trust', () => undefined, {}, null);
    expect(none.problems).toEqual([
      { code: 'no_trust_store', detail: 'no trust store given: license and authorization signatures not checked' },
    ]);
  });

  it("a record changed in the JSONL: its hash (chain), the CSV it no longer matches and the JSONL's bytes (file_changed), the totals (totals)", async () => {
    const view = await exportAndVerify('jsonl', ({ jsonl }) => {
      const lines = readFileSync(jsonl, 'utf8').split('\n');
      lines[1] = (lines[1] ?? '').replace('"amount":500', '"amount":501');
      writeFileSync(jsonl, lines.join('\n'));
    });
    expect(view.ok).toBe(false);
    expect(view.problems.map((p) => p.code)).toEqual(['chain', 'file_changed', 'file_changed', 'totals']);
    expect(view.problems[0]?.detail).toMatch(/^row 2 \(.*\): chain hash mismatch/);
  });
});
