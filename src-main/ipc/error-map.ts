// Which contract error code the renderer gets for an error a service threw on purpose. Each
// domain's codes map through a typed table (a misspelt code on either side fails the compiler);
// errors are told apart with instanceof. Anything not here is internal: logged, not shown.
import { AppError, RefusingError } from '../app/errors';
import { SettingsError, type SettingsErrorCode } from '../app/settings';
import { StartPaymentError, type StartRefusal } from '../checkout/types';
import { LedgerError, type LedgerErrorCode } from '../ledger/errors';
import type { IpcErrorCode, Refusal } from './constants';
import { IpcServiceError } from './services';

const START_REFUSALS = {
  payment_in_progress: 'payment_in_progress',
  invalid_amount: 'invalid_argument',
  invalid_currency: 'invalid_argument',
  invalid_items: 'invalid_argument',
  invalid_transaction_id: 'invalid_argument',
  closed: 'not_available',
  ledger_damaged: 'not_available',
} as const satisfies Record<StartRefusal, IpcErrorCode>;

/** The ledger's refusals a manager can act on (void a declined sale, close a closed day). */
const LEDGER_REFUSALS = {
  VOID_NOT_FOUND: 'not_found',
  VOID_NOT_APPROVED: 'conflict',
  VOID_ALREADY_VOIDED: 'conflict',
  VOID_OTHER_DAY: 'conflict',
  VOID_REFUNDED: 'conflict',
  DAY_NOT_CLOSABLE: 'conflict',
  LEDGER_INVALID_RECORD: 'invalid_argument',
  LEDGER_CORRUPT: 'not_available',
} as const satisfies Partial<Record<LedgerErrorCode, IpcErrorCode>>;

/** A settings update the store refused; its other failures (unreadable, corrupt file) are internal. */
const SETTINGS_REFUSALS = { rejected: 'rejected' } as const satisfies Partial<Record<SettingsErrorCode, IpcErrorCode>>;

/** A payment, void, refund or close the damaged ledger file refused: the same words everywhere. */
const LEDGER_DAMAGED: Refusal = { reason: 'ledger_damaged', values: {} };

function damagedLedger(error: unknown): boolean {
  return (
    (error instanceof StartPaymentError && error.code === 'ledger_damaged') ||
    (error instanceof LedgerError && error.code === 'LEDGER_CORRUPT')
  );
}

function lookup<K extends string>(table: Partial<Record<K, IpcErrorCode>>, code: K): IpcErrorCode | undefined {
  return table[code];
}

export interface KnownFailure {
  code: IpcErrorCode;
  message: string;
  refusal?: Refusal;
}

/** The contract code and message for an error a service threw on purpose; undefined = internal. */
export function knownFailure(error: unknown): KnownFailure | undefined {
  let code: IpcErrorCode | undefined;
  if (error instanceof IpcServiceError || error instanceof AppError) code = error.code;
  else if (error instanceof StartPaymentError) code = START_REFUSALS[error.code];
  else if (error instanceof LedgerError) code = lookup(LEDGER_REFUSALS, error.code);
  else if (error instanceof SettingsError) code = lookup(SETTINGS_REFUSALS, error.code);
  if (!code || !(error instanceof Error)) return undefined;
  const why = error instanceof RefusingError ? error.refusal : damagedLedger(error) ? LEDGER_DAMAGED : undefined;
  return why ? { code, message: error.message, refusal: why } : { code, message: error.message };
}
