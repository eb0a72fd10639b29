// The signed code on receipts: rendered as a QR image, decoded by a QR reader library, verified
// against the pinned terminal key and found in the day's export by `verify-receipt`.
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportBusinessDay, type ExportResult } from '../../../src-main/export/export-day';
import { compareWithRow, parseReceiptCode, receiptCodeText, receiptQrPng, verifyReceiptCode } from '../../../src-main/export/receipt-code';
import { loadOrCreateTerminalKey, type TerminalKey } from '../../../src-main/export/terminal-key';
import type { LedgerRow } from '../../../src-main/ledger/row';
import { makeResult, openTestLedger, T0, tempDir, txId } from '../../unit/ledger/fixtures';

const REPO = resolve(import.meta.dirname, '..', '..', '..');
const verifyReceipt = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', join(REPO, 'src-main/cli/index.ts'), 'verify-receipt', ...args], {
    encoding: 'utf8',
    cwd: REPO,
  });

describe('signed receipt codes', { timeout: 120_000 }, () => {
  const { dir, cleanup } = tempDir('receipt-code-');
  let key: TerminalKey;
  let rows: LedgerRow[];
  let exported: ExportResult;
  beforeAll(async () => {
    key = loadOrCreateTerminalKey(dir);
    let now = T0;
    const ledger = openTestLedger(dir, { clock: () => (now += 1000) });
    ledger.record(makeResult({ n: 1, amount: 1234 }));
    ledger.record(makeResult({ n: 2, amount: 99, declined: 'license_expired' }));
    ledger.void(txId(1), { reason: 'returned', by: 'manager' });
    ledger.record(makeResult({ n: 3, amount: 2000 }));
    const refund = ledger.refund(txId(3), { amount: 500, reason: 'one item back', by: 'manager' });
    rows = [txId(1), txId(2)].map((id) => ledger.getAttempt(id) as LedgerRow);
    const voidRow = ledger.listAttempts({ businessDate: '2026-11-23', kind: 'void' }).rows[0];
    rows.push(ledger.getAttempt(voidRow?.transactionId as string) as LedgerRow);
    rows.push(ledger.getAttempt(refund.transactionId) as LedgerRow);
    ledger.close();
    exported = await exportBusinessDay({
      ledgerPath: join(dir, 'ledger.sqlite'),
      businessDate: '2026-11-23',
      outDir: join(dir, 'out'),
      terminalKey: key,
      terminalId: 'T-0001',
      merchantId: 'M-42',
      timeZone: 'Asia/Shanghai',
    });
  });
  afterAll(() => cleanup());

  it('a sale, a decline, a void and a refund each carry a code that survives a QR image and verifies', async () => {
    for (const row of rows) {
      const text = receiptCodeText(row, key) as string;
      const png = PNG.sync.read(await receiptQrPng(text));
      const decoded = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
      expect(decoded?.data).toBe(text);
      const code = parseReceiptCode(decoded?.data ?? '');
      expect(code).toMatchObject({
        seq: row.seq,
        transactionId: row.transactionId,
        amount: row.amount,
        currency: 'CNY',
        status: row.status,
        recordedAt: row.recordedAt,
      });
      expect(verifyReceiptCode(code, key.keyId, key.publicKey)).toEqual([]);
    }
    expect(rows.map((row) => row.status)).toEqual(['approved', 'declined', 'voided', 'refunded']);
  });

  it('a changed field or another key does not verify', () => {
    const text = receiptCodeText(rows[0] as LedgerRow, key) as string;
    const edited = text.replace('|1234|', '|4234|');
    expect(verifyReceiptCode(parseReceiptCode(edited), key.keyId, key.publicKey)).toEqual([
      'the signature does not verify with the pinned terminal key',
    ]);
    const other = loadOrCreateTerminalKey(join(dir, 'out'));
    expect(verifyReceiptCode(parseReceiptCode(text), other.keyId, other.publicKey)[0]).toMatch(/not the pinned/);
    expect(() => parseReceiptCode('NFCR1|garbage')).toThrow(/not a NFCR1 receipt code/);
  });

  it('compares the code with the row as the export reader parses it (hash bytes, shown as hex)', () => {
    const row = rows[0] as LedgerRow;
    const code = parseReceiptCode(receiptCodeText(row, key) as string);
    expect(compareWithRow(code, row)).toEqual([]);
    const otherHash = Uint8Array.from(row.hash, (byte, i) => (i === 0 ? byte ^ 0xff : byte));
    const problems = compareWithRow(code, { ...row, hash: otherHash, status: 'voided' });
    expect(problems).toEqual([
      `row ${row.seq}: the receipt says status approved, the export voided`,
      `row ${row.seq}: the receipt says row hash ${code.hashPrefix}, the export ${Buffer.from(otherHash).toString('hex').slice(0, 16)}`,
    ]);
  });

  it('npm run cli -- verify-receipt: verified and found in the export (exit 0); a code the export does not hold (exit 1)', () => {
    const text = receiptCodeText(rows[0] as LedgerRow, key) as string;
    const ok = verifyReceipt(text, '--terminal-key', key.keyId, '--export', exported.manifestPath);
    expect(ok.status, ok.stderr + ok.stdout).toBe(0);
    expect(ok.stdout).toMatch(/^OK: row 1, transaction 0+1, approved 1234 CNY, held in the export of 2026-11-23/);
    // A receipt the terminal signed for a row the export does not hold as printed (a rolled-back ledger's rewrite).
    const forged = receiptCodeText({ ...(rows[0] as LedgerRow), amount: 5000 }, key) as string;
    const bad = verifyReceipt(forged, '--terminal-key', key.keyId, '--export', exported.manifestPath);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain('row 1: the receipt says amount 5000, the export 1234');
  });

  it('a refund receipt and a void receipt are found in the export too', () => {
    for (const row of rows.slice(2)) {
      const run = verifyReceipt(receiptCodeText(row, key) as string, '--terminal-key', key.keyId, '--export', exported.manifestPath);
      expect(run.status, run.stderr + run.stdout).toBe(0);
      expect(run.stdout).toContain(`OK: row ${row.seq}, transaction ${row.transactionId ?? ''}, ${row.status} ${row.amount ?? 0} CNY`);
    }
  });
});
