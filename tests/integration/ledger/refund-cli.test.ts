// `npm run cli -- refund` as a till runs it: a demo terminal set up by a script with a known PIN
// (`charge --setup-demo --pin`), sales, then refunds as child processes: one JSON line, exit 0 only
// when recorded. The simulated phone only (no pcscd).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REPO = path.resolve(import.meta.dirname, '..', '..', '..');
let dataDir: string;

function cli(args: string[]): Promise<{ code: number | null; line: Record<string, unknown>; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO, 'src-main/cli/index.ts'), ...args, '--data-dir', dataDir], {
      cwd: REPO,
      env: { ...process.env, CASHIER_READER: '' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => {
      const lines = stdout.trim().split('\n');
      resolve({ code, line: lines.length === 1 && lines[0] ? (JSON.parse(lines[0]) as Record<string, unknown>) : { stdout }, stderr });
    });
  });
}

beforeAll(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'refund-cli-'));
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('refund command', { timeout: 180_000 }, () => {
  let sale = '';

  it('a script sets up a demo terminal with its own manager PIN and sells', async () => {
    const bad = await cli(['charge', '--amount', '1', '--reader', 'stub', '--setup-demo', '--pin', '12']);
    expect(bad.code).toBe(2);
    const first = await cli(['charge', '--amount', '20.00', '--reader', 'stub', '--setup-demo', '--pin', '24680']);
    expect(first.code, first.stderr).toBe(0);
    sale = String(first.line.transactionId);
  });

  it('refunds in parts with the PIN, up to the sale and no further; exit 1 with a reason otherwise', async () => {
    const noPin = await cli(['refund', '--transaction', sale, '--amount', '5']);
    expect(noPin).toMatchObject({ code: 1, line: { outcome: 'refused', reason: 'pin_required' } });
    const wrong = await cli(['refund', '--transaction', sale, '--amount', '5', '--pin', '11111']);
    expect(wrong).toMatchObject({ code: 1, line: { outcome: 'refused', reason: 'wrong_pin' } });
    const id = 'c'.repeat(32);
    const part = await cli([
      'refund',
      '--transaction',
      sale,
      '--amount',
      '12.50',
      '--pin',
      '24680',
      '--reason',
      'two cups back',
      '--refund-id',
      id,
    ]);
    expect(part, part.stderr).toMatchObject({
      code: 0,
      line: {
        outcome: 'refunded',
        transactionId: id,
        originalTransactionId: sale,
        amount: 1250,
        currency: 'CNY',
        remainder: 750,
        authorisedBy: 'manager',
        tapped: false,
      },
    });
    // The till retried: the same refund id answers the refund already recorded.
    const again = await cli(['refund', '--transaction', sale, '--amount', '12.50', '--pin', '24680', '--refund-id', id]);
    expect(again).toMatchObject({ code: 0, line: { transactionId: id, remainder: 750, seq: part.line.seq } });
    const over = await cli(['refund', '--transaction', sale, '--minor', '751', '--pin', '24680']);
    expect(over).toMatchObject({ code: 1, line: { reason: 'over_remainder' } });
    const currency = await cli(['refund', '--transaction', sale, '--amount', '1', '--currency', 'USD', '--pin', '24680']);
    expect(currency).toMatchObject({ code: 1, line: { reason: 'other_currency' } });
    const rest = await cli(['refund', '--transaction', sale, '--minor', '750', '--pin', '24680', '--tap', '--reader', 'stub']);
    expect(rest).toMatchObject({ code: 0, line: { remainder: 0, tapped: true } });
    const unknown = await cli(['refund', '--transaction', 'd'.repeat(32), '--amount', '1', '--pin', '24680']);
    expect(unknown).toMatchObject({ code: 1, line: { reason: 'not_found' } });
    const usage = await cli(['refund', '--transaction', 'nope', '--amount', '1']);
    expect(usage.code).toBe(2);
  });
});
