// Child process of crash.test.ts: records payments as fast as it can and prints "ack <id>" only
// after Ledger.record has returned (committed). Before each record it prints "try <id>". It first
// re-records the ids named on its command line (the previous run's last ones): never duplicated.
import { createHash } from 'node:crypto';
import type { SessionResult } from '../../../src-main/domain/payment';
import { Ledger } from '../../../src-main/ledger/ledger';

const [path, runId, ...again] = process.argv.slice(2);
if (!path || !runId) throw new Error('usage: crash-writer <ledger> <run id> [transaction ids to record again]');

function payment(transactionId: string, n: number): SessionResult {
  const now = Date.now();
  return {
    order: {
      transactionId,
      amount: 100 + (n % 1000),
      currency: 'CNY',
      merchantId: 'M-42',
      terminalId: 'T-0001',
      ...(n % 5 === 0 ? { items: [{ description: `item ${n}`, quantity: 1, unitPrice: 100 + (n % 1000) }] } : {}),
    },
    decision:
      n % 7 === 0
        ? { outcome: 'declined', reason: 'license_expired', detail: 'expired', facts: { licenseSerial: 'LIC-1' } }
        : { outcome: 'approved', facts: { accountId: 'acct-1', licenseSerial: 'LIC-1', authorityKid: 'a', appCounter: n } },
    exchange: { license: Buffer.alloc(200, n & 0xff), authorization: Buffer.alloc(150, 7) },
    startedAt: now - 50,
    finishedAt: now,
    apduCount: 5,
  };
}

const ledger = new Ledger({ path, create: true, terminalId: 'T-0001', merchantId: 'M-42', timeZone: 'Asia/Shanghai', cutoffHour: 4 });
process.stdout.write('ready\n');
for (const id of again) {
  ledger.record(payment(id, 1));
  process.stdout.write(`ack ${id}\n`);
}
for (let n = 0; ; n++) {
  const id = createHash('sha256').update(`${runId}/${n}`).digest('hex').slice(0, 32);
  process.stdout.write(`try ${id}\n`);
  ledger.record(payment(id, n));
  process.stdout.write(`ack ${id}\n`);
}
