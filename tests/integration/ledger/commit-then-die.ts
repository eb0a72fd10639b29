// Child process of in-flight.test.ts: the terminal records a payment made under a till's
// reference, and the process is killed (SIGKILL) the moment the decision is committed, before
// anything could show or print it: the crash between commit and display.
import { createTerminal } from '../../../src-main/app/terminal';
import { transactionIdForReference } from '../../../src-main/checkout/payment-reference';

const [dataDir, reference, amount] = process.argv.slice(2);
if (!dataDir || !reference || !amount) throw new Error('usage: commit-then-die <data dir> <reference> <amount in minor units>');

const terminal = await createTerminal({ dataDir, readerKind: 'stub', version: 'test' });
terminal.onPayment((event) => {
  if (event.type === 'decision' && event.recorded) {
    process.stdout.write(`committed ${event.recorded.seq}\n`, () => process.kill(process.pid, 'SIGKILL'));
  }
});
terminal.payments.start({ amount: Number(amount), transactionId: transactionIdForReference(terminal.ledger.ledgerId, reference) });
terminal.phone?.tap('approve');
