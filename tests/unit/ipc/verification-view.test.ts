// The kinds the renderer words verify-export's problems by, read from real exports of a real
// ledger damaged the ways a settlement desk meets them (changed file, foreign signer, unknown
// authority, broken chain, no trust store).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLOCK_SKEW_MS, createTerminal, type Terminal } from '../../../src-main/app/terminal';
import { exportBusinessDay } from '../../../src-main/export/export-day';
import { verifyExport, type VerifyExportOptions } from '../../../src-main/export/verify-export';
import { VerificationSchema } from '../../../src-main/ipc/contract';
import { problemCode, verificationOf } from '../../../src-main/ipc/verification-view';

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

/** A fresh export of the day, damaged by `damage`, verified with `options` (default: as the app does). */
async function exportAndVerify(name: string, damage: (files: { csv: string; jsonl: string; manifest: string }) => void, options?: VerifyExportOptions) {
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
  const result = await verifyExport(
    written.manifestPath,
    options ?? { trustStore: terminal.trust.trustStore(), expectTerminalKeyId: terminal.terminalKey.keyId, clockSkewMs: CLOCK_SKEW_MS },
  );
  const view = verificationOf(result);
  expect(VerificationSchema.parse(view)).toEqual(view);
  return view;
}

const codes = (view: { problems: { code: string }[] }) => [...new Set(view.problems.map((p) => p.code))].sort();

describe('verify-export result as figures and coded problems', () => {
  it('an untouched export: ok, figures, this terminal as signer, no problems', async () => {
    const view = await exportAndVerify('good', () => undefined);
    expect(view).toMatchObject({ ok: true, rows: 3, transactions: 3, approvalsVerified: 2, licenses: 1, problemCount: 0, terminalKeyPinned: true, problems: [] });
    expect(view.terminalKeyFingerprint).toBe(terminal.terminalKey.fingerprint);
  });

  it('a changed byte in the accountants\' CSV: file_changed', async () => {
    const view = await exportAndVerify('csv', ({ csv }) => writeFileSync(csv, readFileSync(csv, 'utf8').replace('12.34', '12.35')));
    expect(view.ok).toBe(false);
    expect(codes(view)).toEqual(['file_changed']);
  });

  it('a manifest with a changed count, laid out as written: its signature no longer verifies (manifest)', async () => {
    const view = await exportAndVerify('manifest', ({ manifest }) => {
      const content = JSON.parse(readFileSync(manifest, 'utf8')) as { counts: { approved: number } };
      content.counts.approved += 1;
      writeFileSync(manifest, `${JSON.stringify(content, null, 2)}\n`);
    });
    expect(view.ok).toBe(false);
    expect(codes(view)).toContain('manifest');
    expect(codes(view).filter((c) => c !== 'manifest' && c !== 'totals' && c !== 'file_changed')).toEqual([]);
  });

  it('another terminal expected: terminal_key', async () => {
    const view = await exportAndVerify('foreign', () => undefined, { trustStore: terminal.trust.trustStore(), expectTerminalKeyId: 'ab'.repeat(32) });
    expect(codes(view)).toEqual(['terminal_key']);
  });

  it('checked without the authority key: approval; without any trust store: no_trust_store', async () => {
    const stranger = await createTerminal({ dataDir: join(dataDir, 'stranger'), readerKind: 'stub', pinKdf, env: {} });
    try {
      const view = await exportAndVerify('stranger', () => undefined, { trustStore: stranger.trust.trustStore(), clockSkewMs: CLOCK_SKEW_MS });
      expect(view.ok).toBe(false);
      expect(codes(view)).toEqual(['approval']);
      expect(view.problemCount).toBe(2);
    } finally {
      await stranger.close();
    }
    const none = await exportAndVerify('no-trust', () => undefined, {});
    expect(codes(none)).toEqual(['no_trust_store']);
  });

  it('a record changed in the JSONL: the file and the chain say so', async () => {
    const view = await exportAndVerify('jsonl', ({ jsonl }) => {
      const lines = readFileSync(jsonl, 'utf8').split('\n');
      lines[1] = (lines[1] ?? '').replace('"amount":500', '"amount":501');
      writeFileSync(jsonl, lines.join('\n'));
    });
    expect(view.ok).toBe(false);
    expect(codes(view)).toContain('chain');
    expect(codes(view)).not.toContain('other');
  });

  it('words it knows nothing about stay "other"', () => {
    expect(problemCode('something new went wrong')).toBe('other');
    expect(problemCode('manifest: format is not cashier-export/1')).toBe('manifest');
    expect(problemCode('manifest lists 2 voids, the records hold 1')).toBe('totals');
    expect(problemCode('row 4 (ab): app counter 3 does not grow past 5 for license L')).toBe('record');
    expect(problemCode('day.jsonl line 7: does not parse')).toBe('record');
  });
});
