// Two `charge --ref` processes with the same reference at once (issue #11 item 9: a till that
// retries while its first attempt still runs): only one asks the phone to pay; the other waits for
// it and answers with the recorded outcome. While the data folder's charge lock is held past the
// wait, the answer is CHARGE_IN_PROGRESS (exit 3) and nothing is charged.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transactionIdForReference } from '../../../src-main/checkout/payment-reference';
import { takeChargeLock } from '../../../src-main/cli/charge-lock';
import type { Ledger } from '../../../src-main/ledger/ledger';
import { runCliProcess, type CliResult } from '../../support/cli-process';
import { readLedgerIn, tempDir } from '../../unit/ledger/fixtures';

const { dir: dataDir, cleanup } = tempDir('charge-ref-');

function readLedger<T>(read: (ledger: Ledger) => T): T {
  return readLedgerIn(dataDir, read);
}

/** The simulated phone's app counter: it grows by one for every authorization the phone signs. */
function phoneCounter(scenario: string): number {
  const file = path.join(dataDir, 'demo', 'counters', `${scenario}.json`);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { counter: number }).counter : 0;
}

function chargeArgs(reference: string, extra: string[] = []): string[] {
  // 'slow' answers each message after 150 ms: the payment is still running when the other process looks.
  return ['charge', '--minor', '700', '--ref', reference, '--reader', 'stub', '--scenario', 'slow', '--data-dir', dataDir, ...extra];
}

function lineOf(result: CliResult): Record<string, unknown> {
  expect(result.stdout.trim().split('\n'), result.stderr).toHaveLength(1);
  return JSON.parse(result.stdout) as Record<string, unknown>;
}

beforeAll(async () => {
  const setup = await runCliProcess(['charge', '--minor', '100', '--reader', 'stub', '--data-dir', dataDir, '--setup-demo']);
  expect(setup.code, setup.stderr).toBe(0);
});

afterAll(() => cleanup());

describe('charge --ref twice at once', { timeout: 180_000 }, () => {
  it('charges once: the second process answers with the recorded outcome', async () => {
    for (const reference of ['till-7001', 'till-7002']) {
      const rows = readLedger((ledger) => ledger.head().seq);
      const counter = phoneCounter('slow');
      const results = await Promise.all([runCliProcess(chargeArgs(reference)), runCliProcess(chargeArgs(reference))]);
      const lines = results.map((result) => {
        expect(result.code, result.stderr).toBe(0);
        return lineOf(result);
      });
      const id = readLedger((ledger) => transactionIdForReference(ledger.ledgerId, reference));
      for (const line of lines)
        expect(line).toMatchObject({ outcome: 'approved', transactionId: id, amount: 700, ref: reference, recorded: true });
      // One line is the payment (printed as it was decided), the other is read back from the
      // ledger (it carries recordedAt, which only a recorded row has).
      const fromLedger = lines.filter((line) => 'recordedAt' in line);
      const charged = lines.filter((line) => !('recordedAt' in line));
      expect(charged, JSON.stringify(lines)).toHaveLength(1);
      expect(fromLedger, JSON.stringify(lines)).toHaveLength(1);
      expect(fromLedger[0]?.seq).toBe(charged[0]?.seq);
      // The phone signed once, and the ledger holds one row more.
      expect(phoneCounter('slow')).toBe(counter + 1);
      expect(readLedger((ledger) => ledger.head().seq)).toBe(rows + 1);
      expect(readLedger((ledger) => ledger.getAttempt(id))).toMatchObject({ seq: rows + 1, appCounter: counter + 1 });
    }
  });

  it('says CHARGE_IN_PROGRESS (exit 3) while another charge holds the lock past the wait, charging nothing', async () => {
    const rows = readLedger((ledger) => ledger.head().seq);
    const counter = phoneCounter('slow');
    // What a charge still running in another process holds (the same lock, from this process).
    const held = takeChargeLock(dataDir, 0);
    expect(held).toBeDefined();
    try {
      const refused = await runCliProcess(chargeArgs('till-7003', ['--timeout-ms', '300']));
      expect(refused.code, refused.stderr).toBe(3);
      expect(lineOf(refused)).toEqual({ outcome: 'in_progress', code: 'CHARGE_IN_PROGRESS', ref: 'till-7003' });
      expect(refused.stderr).toMatch(/another charge --ref is still running .* nothing was charged/);
    } finally {
      held?.release();
    }
    expect(readLedger((ledger) => ledger.head().seq)).toBe(rows);
    expect(phoneCounter('slow')).toBe(counter);

    // Once it is released, the same reference charges.
    const charged = await runCliProcess(chargeArgs('till-7003'));
    expect(charged.code, charged.stderr).toBe(0);
    expect(lineOf(charged)).toMatchObject({ outcome: 'approved', ref: 'till-7003', seq: rows + 1 });
  });
});
