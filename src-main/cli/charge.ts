// `npm run cli -- charge --amount 12.34 ...`: one payment through the terminal's own reader
// service, payment controller, session, pipeline and ledger, for scripted checks and for till
// software that drives the terminal. Prints the decision as one JSON line; exit code 0 only
// when approved (1 declined, 2 usage or setup problem).
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { PinSchema } from '../app/pin';
import { PaymentReferenceSchema, transactionIdForReference } from '../checkout/payment-reference';
import { createTerminal, type ReaderKind, type Terminal } from '../app/terminal';
import { takeChargeLock, type ChargeLock } from './charge-lock';
import { StartPaymentError, type PaymentEvent } from '../checkout/types';
import { SCENARIO_NAMES, isScenarioName, type ScenarioName } from '../wallet/scenarios';
import { pinWeakness } from '../domain/pin-strength';
import { MAX_AMOUNT_MINOR } from '../ipc/contract';
import { dataDirFromEnv } from './ledger';
import { exitCodeOf, recordedPaymentLine } from './recorded-payment';
import { parseArgsMessage, usageError } from './usage';

export const help = `usage: npm run cli -- charge --amount 12.34 [options]

Runs one payment and prints its decision as one JSON line:
  {"outcome":"approved"|"declined","reason":CODE,"transactionId":...,"amount":1234,"currency":"CNY",
   "seq":N,"businessDate":"YYYY-MM-DD","reader":"pcsc"|"stub",...}
Exit code 0 only when approved; 1 when declined (including cancelled and timed out); 2 for usage
or setup problems; 3 when another charge --ref on the same data folder was still running after
the wait (nothing charged). A tap that does not count (see_phone, not_payment_phone, multiple_cards) is
printed on stderr; a PC/SC reader keeps waiting for another tap, the simulated phone ends the
charge with that reason (nothing recorded).

  --amount A          amount in major units of the store's currency (12.34), or --minor N
  --minor N           amount in minor units (1234)
  --reader pcsc|stub  PC/SC reader (waits for a phone) or the simulated phone; default: the
                      terminal's own choice (CASHIER_READER, then its settings)
  --scenario NAME     with the simulated phone: what the phone does (default approve):
                      ${SCENARIO_NAMES.join(', ')}
  --data-dir DIR      the terminal's data folder (default $CASHIER_DATA_DIR, else
                      ~/.local/share/nfc-cashier); its settings, trust store and ledger are used
  --setup-demo        when DIR was never set up: set it up in demo mode (demo authority,
                      simulated phone, merchant demo-merchant, terminal demo-terminal-01)
  --pin PIN           with --setup-demo: the manager PIN to set (4-12 digits; default a random
                      one), so a script can then refund on the terminal (npm run cli -- refund)
  --timeout-ms N      cancel the payment if it is not decided after N ms (default: the
                      terminal's waiting timeout applies)
  --ref REF           the till's reference for this payment (1-64 of A-Z a-z 0-9 . _ : -).
                      When the ledger already holds a payment under REF (the till crashed
                      before it saw the answer), its recorded outcome is printed with
                      "recorded":true and "ref", and nothing is charged; the same REF with
                      another amount is refused (exit 2). One charge --ref runs at a time per
                      data folder: a second one (the till retrying while the first still runs)
                      waits for it (--timeout-ms, default 90 s), then answers from the ledger;
                      still running then: {"outcome":"in_progress","code":"CHARGE_IN_PROGRESS"},
                      exit 3. See also: npm run cli -- status --ref REF`;

/**
 * How long a `charge --ref` waits for another one on the same data folder (without --timeout-ms):
 * longer than a payment waiting the default 60 s for its tap, plus its exchange.
 */
export const CHARGE_LOCK_WAIT_MS = 90_000;

/** Minor units from a decimal string with at most `digits` decimals, or undefined. */
export function parseAmount(text: string, digits: number): number | undefined {
  const match = /^(\d{1,12})(?:\.(\d+))?$/.exec(text.trim());
  if (!match) return undefined;
  const fraction = match[2] ?? '';
  if (fraction.length > digits) return undefined;
  const minor = Number(match[1]) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
  return Number.isSafeInteger(minor) && minor > 0 ? minor : undefined;
}

function usage(message: string): number {
  return usageError('charge', message);
}

/** `--amount -5` (or `--minor -5`): parseArgs would call it a missing value; say what is wrong. */
function negativeAmount(args: string[]): string | undefined {
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] ?? '';
    const inline = /^--(amount|minor)=(-.*)$/.exec(arg);
    if (inline) return inline[2];
    if ((arg === '--amount' || arg === '--minor') && /^-\d/.test(args[i + 1] ?? '')) return args[i + 1];
  }
  return undefined;
}

export async function run(args: string[]): Promise<number> {
  const negative = negativeAmount(args);
  if (negative !== undefined) return usage(`amounts are positive (got ${negative})`);
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        amount: { type: 'string' },
        minor: { type: 'string' },
        reader: { type: 'string' },
        scenario: { type: 'string' },
        'data-dir': { type: 'string' },
        'setup-demo': { type: 'boolean' },
        pin: { type: 'string' },
        'timeout-ms': { type: 'string' },
        ref: { type: 'string' },
      },
    }));
  } catch (error) {
    return usage(parseArgsMessage(error));
  }
  if ((values.amount === undefined) === (values.minor === undefined)) return usage('give --amount or --minor');
  const readerKind = values.reader;
  if (readerKind !== undefined && readerKind !== 'pcsc' && readerKind !== 'stub') return usage('--reader is pcsc or stub');
  const scenario = values.scenario ?? 'approve';
  if (!isScenarioName(scenario)) return usage(`unknown scenario ${scenario}`);
  const timeoutMs = values['timeout-ms'] === undefined ? undefined : Number(values['timeout-ms']);
  if (timeoutMs !== undefined && !(Number.isFinite(timeoutMs) && timeoutMs > 0)) return usage('--timeout-ms must be positive');
  if (values.pin !== undefined && !values['setup-demo'])
    return usage('--pin sets the PIN of a new demo terminal: give it with --setup-demo');
  if (values.pin !== undefined && !PinSchema.safeParse(values.pin).success) return usage('--pin must be 4 to 12 digits');
  const reference = values.ref === undefined ? undefined : PaymentReferenceSchema.safeParse(values.ref);
  if (reference && !reference.success) return usage(`--ref: ${reference.error.issues[0]?.message ?? 'not a reference'}`);

  const dataDir = values['data-dir'] ?? dataDirFromEnv();
  // A mistyped folder is not a new terminal: only --setup-demo may start one.
  if (!values['setup-demo'] && !existsSync(dataDir)) {
    console.error(`charge: no data folder at ${dataDir} (pass --setup-demo to set up a new demo terminal there)`);
    return 2;
  }
  // With a reference, the look-up and the payment run under the data folder's charge lock, so a
  // second process with the same reference waits and answers from the ledger (charge-lock.ts).
  let lock: ChargeLock | undefined;
  if (reference) {
    const waitMs = timeoutMs ?? CHARGE_LOCK_WAIT_MS;
    try {
      mkdirSync(dataDir, { recursive: true, mode: 0o700 });
      lock = takeChargeLock(dataDir, waitMs);
    } catch (error) {
      console.error(
        `charge: cannot take the charge lock in ${dataDir} (is the folder not writable?): ${error instanceof Error ? error.message : String(error)}`,
      );
      return 2;
    }
    if (!lock) {
      console.log(JSON.stringify({ outcome: 'in_progress', code: 'CHARGE_IN_PROGRESS', ref: reference.data }));
      console.error(
        `charge: another charge --ref is still running on ${dataDir} after ${waitMs} ms; nothing was charged. Ask again with the same --ref (or status --ref) once it is done.`,
      );
      return 3;
    }
  }
  try {
    return await chargeIn({
      dataDir,
      readerKind,
      setupDemo: values['setup-demo'] === true,
      pin: values.pin,
      amount: values.amount,
      minor: values.minor,
      reference: reference?.data,
      scenario,
      timeoutMs,
    });
  } finally {
    lock?.release();
  }
}

/** charge's options once parsed (the amount stays text: its decimals depend on the terminal's currency). */
interface ChargeRequest {
  dataDir: string;
  readerKind: ReaderKind | undefined;
  setupDemo: boolean;
  pin: string | undefined;
  amount: string | undefined;
  minor: string | undefined;
  reference: string | undefined;
  scenario: ScenarioName;
  timeoutMs: number | undefined;
}

async function chargeIn({
  dataDir,
  readerKind,
  setupDemo,
  pin,
  amount: amountText,
  minor,
  reference,
  scenario,
  timeoutMs,
}: ChargeRequest): Promise<number> {
  let terminal: Terminal;
  try {
    terminal = await createTerminal({
      dataDir,
      ...(readerKind ? { readerKind } : {}),
      version: 'cli',
    });
  } catch (error) {
    console.error(`charge: cannot open the terminal in ${dataDir}: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
  try {
    if (!terminal.isSetupComplete()) {
      if (!setupDemo) {
        console.error(`charge: ${dataDir} is not set up yet (run the app's first-run setup, or pass --setup-demo)`);
        return 2;
      }
      await terminal.firstRun({
        country: 'CN',
        merchantId: 'demo-merchant',
        merchantName: 'Demo store',
        terminalId: 'demo-terminal-01',
        pin: pin ?? randomPin(),
        trust: 'demo',
      });
    }
    const digits = terminal.settings.profile().minorUnits;
    const amount = minor !== undefined ? Number(minor) : parseAmount(amountText ?? '', digits);
    if (amount === undefined || !Number.isSafeInteger(amount) || amount <= 0) {
      return usage(`the amount must be positive with at most ${digits} decimals`);
    }
    // The same largest amount as the keypad and the contract's startPayment.
    if (amount > MAX_AMOUNT_MINOR)
      return usage(`the largest amount is ${MAX_AMOUNT_MINOR} minor units (${formatMinor(MAX_AMOUNT_MINOR, digits)})`);
    if (reference === undefined) return await charge(terminal, amount, scenario, timeoutMs);
    const transactionId = transactionIdForReference(terminal.ledger.ledgerId, reference);
    const recorded = terminal.ledger.getAttempt(transactionId);
    if (recorded === undefined) return await charge(terminal, amount, scenario, timeoutMs, { transactionId, reference });
    if (recorded.amount !== amount) {
      console.error(
        `charge: reference ${reference} was already used for a payment of ${recorded.amount ?? 0} minor units (transaction ${transactionId}); nothing was charged`,
      );
      return 2;
    }
    console.log(JSON.stringify(recordedPaymentLine(recorded, reference)));
    if (terminal.ledger.lastSale()?.transactionId === transactionId) terminal.lastShown.shown(transactionId);
    return exitCodeOf(recorded);
  } finally {
    await terminal.close();
  }
}

/** A PIN nobody is told (the demo set up from the command line needs one); never a guessable one. */
function randomPin(): string {
  for (;;) {
    const pin = String(100000 + (randomBytes(4).readUInt32BE(0) % 900000));
    if (!pinWeakness(pin)) return pin;
  }
}

function formatMinor(minor: number, digits: number): string {
  const text = String(minor).padStart(digits + 1, '0');
  return digits === 0 ? text : `${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

async function charge(
  terminal: Terminal,
  amount: number,
  scenario: string,
  timeoutMs: number | undefined,
  referenced?: { transactionId: string; reference: string },
): Promise<number> {
  let transactionId: string | undefined;
  const early: PaymentEvent[] = [];
  let resolveDecision!: (event: Extract<PaymentEvent, { type: 'decision' }>) => void;
  const decided = new Promise<Extract<PaymentEvent, { type: 'decision' }>>((resolve) => (resolveDecision = resolve));
  let notice: string | undefined;
  const off = terminal.onPayment((event) => {
    if (event.type === 'notice' && event.transactionId === transactionId) {
      // A tap that did not count (see_phone, not_payment_phone, multiple_cards). A real reader
      // keeps waiting for the customer; the simulated phone would only repeat itself.
      console.error(JSON.stringify({ notice: event.reason }));
      if (terminal.readerKind() === 'stub') {
        notice = event.reason;
        terminal.payments.cancel();
      }
      return;
    }
    if (event.type !== 'decision') return;
    if (transactionId === undefined) early.push(event);
    else if (event.transactionId === transactionId) resolveDecision(event);
  });
  const timer = timeoutMs === undefined ? undefined : setTimeout(() => terminal.payments.cancel(), timeoutMs);
  try {
    try {
      transactionId = terminal.payments.start({ amount, ...(referenced ? { transactionId: referenced.transactionId } : {}) });
    } catch (error) {
      // A damaged ledger (the check after the start found it): nothing can be recorded, so nothing is charged.
      if (!(error instanceof StartPaymentError)) throw error;
      console.error(`charge: ${error.message}`);
      return 2;
    }
    for (const event of early) if (event.type === 'decision' && event.transactionId === transactionId) resolveDecision(event);
    const kind = terminal.readerKind();
    if (kind === 'stub') terminal.phone?.tap(scenario);
    const event = await decided;
    const decision =
      notice !== undefined && event.decision.outcome === 'declined' && event.decision.reason === 'cancelled'
        ? { ...event.decision, reason: notice, detail: `the phone's tap did not count (${notice}); nothing was recorded` }
        : event.decision;
    const order = event.result?.order ?? terminal.payments.snapshot().order;
    console.log(
      JSON.stringify({
        outcome: decision.outcome,
        ...(decision.outcome === 'declined' ? { reason: decision.reason, detail: decision.detail } : {}),
        transactionId,
        amount,
        currency: order?.currency,
        ...(event.recorded ? { seq: event.recorded.seq, businessDate: event.recorded.businessDate } : {}),
        ...(event.result ? { apduCount: event.result.apduCount } : {}),
        reader: kind,
        ...(order?.demo ? { demo: true } : {}),
        ...(referenced ? { ref: referenced.reference, recorded: event.recorded !== undefined } : {}),
      }),
    );
    // Printed: the till has the answer, so the checkout need not show it as "Last payment".
    if (event.recorded) terminal.lastShown.shown(transactionId);
    if (kind === 'stub') terminal.phone?.remove();
    return decision.outcome === 'approved' ? 0 : 1;
  } finally {
    clearTimeout(timer);
    off();
  }
}
