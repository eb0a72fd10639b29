// `npm run cli -- refund --transaction <id> --amount 12.34 ...`: refunds (part of) an approved sale
// of any business day through the terminal's own refund service (the rules of the app: manager
// PIN or cashier allowance, remainder, currency, optional tap). Prints one JSON line; exit code 0
// only when the refund was recorded (1 refused, 2 usage or setup problem).
import { parseArgs } from 'node:util';
import { PinSchema } from '../app/pin';
import { createTerminal, type Terminal } from '../app/terminal';
import { transactionIdIn } from '../domain/refunds';
import { currencyDigits } from '../app/countries';
import { isScenarioName, SCENARIO_NAMES } from '../wallet/scenarios';
import { parseAmount } from './charge';
import { dataDirFromEnv } from './ledger';

export const help = `usage: npm run cli -- refund --transaction ID --amount 12.34 [options]

Refunds an approved sale of any business day, fully or in part, and prints one JSON line:
  {"outcome":"refunded","transactionId":REFUND_ID,"originalTransactionId":ID,"amount":1234,
   "currency":"CNY","remainder":N,"seq":N,"businessDate":"YYYY-MM-DD","authorisedBy":"manager"|"cashier",
   "tapped":false}
  {"outcome":"refused","reason":CODE,"detail":"..."}
Exit code 0 only when the refund was recorded; 1 when refused (reason codes in docs/ledger.md
"Refunds"); 2 for usage or setup problems.

  --transaction ID    the sale's transaction id (as on its receipt), or receipt text holding it
  --amount A          amount in major units (12.34), or --minor N in minor units (1234)
  --minor N
  --currency CODE     the refund's currency (default: the store's); another than the sale's is refused
  --reason TEXT       why (kept in the ledger row and printed on the refund receipt)
  --pin PIN           the manager PIN; without it the terminal's cashier allowance applies
  --refund-id ID      the refund's own id (32 lowercase hex): running the same command again with
                      it returns the refund already recorded instead of refunding twice
  --tap               ask the customer's phone for a tap (its license is verified; the receipt
                      then shows the account as a verified fact)
  --reader pcsc|stub  with --tap: the reader (default: the terminal's own choice)
  --scenario NAME     with --tap and the simulated phone: what the phone does (default approve):
                      ${SCENARIO_NAMES.join(', ')}
  --data-dir DIR      the terminal's data folder (default $CASHIER_DATA_DIR, else
                      ~/.local/share/nfc-cashier)`;

function usage(message: string): number {
  console.error(`refund: ${message}\n\n${help}`);
  return 2;
}

export async function run(args: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        transaction: { type: 'string' },
        amount: { type: 'string' },
        minor: { type: 'string' },
        currency: { type: 'string' },
        reason: { type: 'string' },
        pin: { type: 'string' },
        'refund-id': { type: 'string' },
        tap: { type: 'boolean' },
        reader: { type: 'string' },
        scenario: { type: 'string' },
        'data-dir': { type: 'string' },
      },
    }));
  } catch (error) {
    return usage(error instanceof Error ? error.message : String(error));
  }
  const transactionId = transactionIdIn(values.transaction ?? '');
  if (!transactionId) return usage('--transaction needs a 32-character transaction id');
  if ((values.amount === undefined) === (values.minor === undefined)) return usage('give --amount or --minor');
  if (values.currency !== undefined && !/^[A-Z]{3}$/.test(values.currency)) return usage('--currency is an ISO 4217 code such as CNY');
  if (values.pin !== undefined && !PinSchema.safeParse(values.pin).success) return usage('--pin must be 4 to 12 digits');
  if (values['refund-id'] !== undefined && !/^[0-9a-f]{32}$/.test(values['refund-id']))
    return usage('--refund-id is 32 lowercase hex characters');
  if (values.reason !== undefined && (values.reason.trim() === '' || values.reason.length > 200))
    return usage('--reason is 1 to 200 characters');
  const readerKind = values.reader;
  if (readerKind !== undefined && readerKind !== 'pcsc' && readerKind !== 'stub') return usage('--reader is pcsc or stub');
  const scenario = values.scenario ?? 'approve';
  if (!isScenarioName(scenario)) return usage(`unknown scenario ${scenario}`);

  const dataDir = values['data-dir'] ?? dataDirFromEnv();
  let terminal: Terminal;
  try {
    terminal = await createTerminal({ dataDir, ...(readerKind ? { readerKind } : {}), version: 'cli' });
  } catch (error) {
    console.error(`refund: cannot open the terminal in ${dataDir}: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
  try {
    if (!terminal.isSetupComplete()) {
      console.error(`refund: ${dataDir} is not set up yet`);
      return 2;
    }
    const currency = values.currency ?? terminal.settings.profile().currency;
    const digits = currencyDigits(currency) ?? 2;
    const amount = values.minor !== undefined ? Number(values.minor) : parseAmount(values.amount ?? '', digits);
    if (amount === undefined || !Number.isSafeInteger(amount) || amount <= 0)
      return usage(`the amount must be positive with at most ${digits} decimals`);
    const stub = values.tap && terminal.readerKind() === 'stub' ? terminal.phone : undefined;
    // The simulated phone is put in the field first: the tap takes a phone already there.
    stub?.tap(scenario);
    const outcome = await terminal.refund({
      transactionId,
      amount,
      currency,
      ...(values.reason !== undefined ? { reason: values.reason.trim() } : {}),
      authority: values.pin !== undefined ? { kind: 'pin', pin: values.pin } : { kind: 'cashier' },
      ...(values['refund-id'] !== undefined ? { refundId: values['refund-id'] } : {}),
      ...(values.tap ? { tap: (order) => terminal.tapForRefund(order) } : {}),
    });
    stub?.remove();
    if (!outcome.ok) {
      console.log(JSON.stringify({ outcome: 'refused', reason: outcome.reason, detail: outcome.detail }));
      return 1;
    }
    const r = outcome.refund;
    console.log(
      JSON.stringify({
        outcome: 'refunded',
        transactionId: r.transactionId,
        originalTransactionId: r.originalTransactionId,
        amount: r.amount,
        currency: r.currency,
        remainder: r.remainder,
        seq: r.seq,
        businessDate: r.businessDate,
        authorisedBy: outcome.authorisedBy,
        tapped: outcome.tapped,
      }),
    );
    return 0;
  } finally {
    await terminal.close();
  }
}
