// `npm run cli -- status --ref REF`: what the ledger holds for a till's reference (`charge
// --ref`), for a till that crashed before it saw the answer. Reads the ledger read-only and
// never creates or changes a file.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PaymentReferenceSchema, transactionIdForReference } from '../checkout/payment-reference';
import { isLedgerError } from '../ledger/errors';
import { Ledger } from '../ledger/ledger';
import { dataDirFromEnv } from './ledger';
import { exitCodeOf, recordedPaymentLine } from './recorded-payment';
import { parseArgsMessage, usageError } from './usage';

export const help = `usage: npm run cli -- status --ref REF [--data-dir DIR]

Prints what the terminal's ledger holds for a payment made with \`charge --ref REF\`, as one JSON
line: the recorded payment ({"outcome":"approved"|"declined",...,"ref":REF,"recorded":true}), or
{"ref":REF,"transactionId":...,"recorded":false} when no payment was recorded under REF (it never
reached the phone, or it is still waiting for one).
Exit code 0 approved, 1 declined, 3 nothing recorded, 2 usage or an unreadable data folder.`;

export async function run(args: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args, options: { ref: { type: 'string' }, 'data-dir': { type: 'string' } } }));
  } catch (error) {
    return usageError('status', parseArgsMessage(error));
  }
  if (values.ref === undefined) return usageError('status', 'give --ref');
  const reference = PaymentReferenceSchema.safeParse(values.ref);
  if (!reference.success) return usageError('status', `--ref: ${reference.error.issues[0]?.message ?? 'not a reference'}`);
  const dataDir = values['data-dir'] ?? dataDirFromEnv();
  if (!existsSync(dataDir) || !statSync(dataDir).isDirectory()) {
    console.error(`status: no data folder at ${dataDir}`);
    return 2;
  }
  let ledger: Ledger;
  try {
    // Business-day settings do not matter to a look-up by transaction id.
    ledger = new Ledger({
      path: join(dataDir, 'ledger.sqlite'),
      readOnly: true,
      terminalId: 'terminal',
      merchantId: 'merchant',
      timeZone: 'UTC',
      cutoffHour: 0,
    });
  } catch (error) {
    if (!isLedgerError(error)) throw error;
    console.error(`status: ${error.message}`);
    return 2;
  }
  try {
    const transactionId = transactionIdForReference(ledger.ledgerId, reference.data);
    const row = ledger.getAttempt(transactionId);
    if (row === undefined) {
      console.log(JSON.stringify({ ref: reference.data, transactionId, recorded: false }));
      return 3;
    }
    console.log(JSON.stringify(recordedPaymentLine(row, reference.data)));
    return exitCodeOf(row);
  } finally {
    ledger.close();
  }
}
