// A payment in flight when the process dies (issue #11 item 9): the payment is committed, then
// the process is SIGKILLed before anything shows it. After the restart the checkout offers it as
// "Last payment", `charge --ref` with the same reference answers from the ledger instead of
// charging again, and `status --ref` reports it.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTerminal } from '../../../src-main/app/terminal';
import { transactionIdForReference } from '../../../src-main/checkout/payment-reference';
import { runCliProcess } from '../../support/cli-process';
import { readLedgerIn } from '../../unit/ledger/fixtures';

const REPO = path.resolve(import.meta.dirname, '..', '..', '..');
let dataDir: string;

function rowCount(): number {
  return readLedgerIn(dataDir, (ledger) => ledger.integrityCheck().chain.rows);
}

function commitThenDie(reference: string, amount: number): Promise<{ signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(import.meta.dirname, 'commit-then-die.ts'), dataDir, reference, String(amount)],
      { cwd: REPO },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (_code, signal) => resolve({ signal, stdout, stderr }));
  });
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'in-flight-'));
  const setup = await runCliProcess(['charge', '--minor', '100', '--reader', 'stub', '--data-dir', dataDir, '--setup-demo']);
  expect(setup.code, setup.stderr).toBe(0);
});

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('a payment committed but never shown', { timeout: 120_000 }, () => {
  it('is shown after the restart, answered by charge --ref and status --ref, and never charged twice', async () => {
    const died = await commitThenDie('till-0042', 1234);
    expect(died.signal, died.stderr).toBe('SIGKILL');
    expect(died.stdout).toBe('committed 2\n');
    expect(rowCount()).toBe(2);

    // The app starts again: the checkout's "Last payment" is the committed one.
    const terminal = await createTerminal({ dataDir, readerKind: 'stub', version: 'test' });
    const id = transactionIdForReference(terminal.ledger.ledgerId, 'till-0042');
    try {
      expect(terminal.unshownPayment()).toMatchObject({ transactionId: id, status: 'approved', amount: 1234, seq: 2 });
    } finally {
      await terminal.close();
    }

    const status = await runCliProcess(['status', '--ref', 'till-0042', '--data-dir', dataDir]);
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({
      outcome: 'approved',
      transactionId: id,
      amount: 1234,
      seq: 2,
      ref: 'till-0042',
      recorded: true,
    });

    // The till retries with its reference: the recorded outcome, nothing charged.
    const again = await runCliProcess(['charge', '--minor', '1234', '--ref', 'till-0042', '--reader', 'stub', '--data-dir', dataDir]);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ outcome: 'approved', transactionId: id, seq: 2, ref: 'till-0042', recorded: true });
    expect(rowCount()).toBe(2);

    // The same reference for another amount is refused; an unknown reference is not recorded.
    const other = await runCliProcess(['charge', '--minor', '999', '--ref', 'till-0042', '--reader', 'stub', '--data-dir', dataDir]);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/reference till-0042 was already used for a payment of 1234 minor units/);
    const unknown = await runCliProcess(['status', '--ref', 'till-0043', '--data-dir', dataDir]);
    expect(unknown.code).toBe(3);
    expect(JSON.parse(unknown.stdout)).toEqual({
      ref: 'till-0043',
      transactionId: transactionIdForReference(terminal.ledger.ledgerId, 'till-0043'),
      recorded: false,
    });
    expect(rowCount()).toBe(2);

    // The retry printed it: the checkout no longer needs to show it.
    const reopened = await createTerminal({ dataDir, readerKind: 'stub', version: 'test' });
    try {
      expect(reopened.unshownPayment()).toBeUndefined();
    } finally {
      await reopened.close();
    }
  });

  it('a new reference charges once; the same reference again answers from the ledger', async () => {
    const first = await runCliProcess([
      'charge',
      '--minor',
      '500',
      '--ref',
      'till-0100',
      '--reader',
      'stub',
      '--scenario',
      'expired-license',
      '--data-dir',
      dataDir,
    ]);
    expect(first.code, first.stderr).toBe(1);
    const decided = JSON.parse(first.stdout) as Record<string, unknown>;
    expect(decided).toMatchObject({ outcome: 'declined', reason: 'license_expired', ref: 'till-0100', recorded: true });
    const rows = rowCount();
    const second = await runCliProcess(['charge', '--minor', '500', '--ref', 'till-0100', '--reader', 'stub', '--data-dir', dataDir]);
    expect(second.code).toBe(1);
    expect(JSON.parse(second.stdout)).toMatchObject({
      outcome: 'declined',
      reason: 'license_expired',
      transactionId: decided.transactionId,
      seq: decided.seq,
      recorded: true,
    });
    expect(rowCount()).toBe(rows);
    expect((await runCliProcess(['status', '--ref', 'bad ref', '--data-dir', dataDir])).code).toBe(2);
  });
});
