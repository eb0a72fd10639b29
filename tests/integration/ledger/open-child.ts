// Child of file-errors.test.ts: opens a ledger (as another user when the test runs as root) and
// tries to record one payment; prints what happened as one JSON line.
import { Ledger } from '../../../src-main/ledger/ledger';
import { isLedgerError } from '../../../src-main/ledger/errors';

const path = process.argv[2] as string;
let stage = 'open';
try {
  const ledger = new Ledger({ path, terminalId: 'T-0001', merchantId: 'M-42', timeZone: 'UTC', cutoffHour: 0 });
  stage = 'record';
  ledger.record({
    order: { transactionId: 'ff'.repeat(16), amount: 1, currency: 'CNY', merchantId: 'M-42', terminalId: 'T-0001' },
    decision: { outcome: 'approved', facts: {} },
    exchange: {},
    startedAt: 0,
    finishedAt: 0,
    apduCount: 0,
  });
  console.log(JSON.stringify({ stage: 'recorded' }));
} catch (error) {
  console.log(JSON.stringify({ stage, code: isLedgerError(error) ? error.code : 'NOT_A_LEDGER_ERROR', message: (error as Error).message }));
}
