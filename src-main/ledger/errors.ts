// One error type for everything the ledger refuses or cannot do. Codes are stable: the app maps
// them to messages, the payment controller declines with `cannot_record` on any of them.
import { DetailedError } from '../domain/coded-error';

export const LEDGER_ERROR_CODES = [
  'LEDGER_NOT_FOUND', // the file does not exist and `create` was not given
  'LEDGER_NOT_A_LEDGER', // the file is an SQLite database, but not one of ours
  'LEDGER_CORRUPT', // SQLite reports a malformed database or the file is not a database
  'LEDGER_SCHEMA_TOO_NEW', // written by a newer version of the app
  'LEDGER_MISMATCH', // a different ledger than the one the app expects (ledger id)
  'LEDGER_ROLLED_BACK', // behind its chain-head file, or rewritten from some row on
  'LEDGER_HEAD_MISSING', // the chain-head file is gone while the ledger has rows and the terminal relies on it
  'LEDGER_HEAD_UNREADABLE', // the chain-head file cannot be read or is not one
  'LEDGER_BUSY', // another process holds the write lock past the busy timeout
  'LEDGER_READ_ONLY', // file, folder or connection does not allow writing
  'LEDGER_DISK_FULL',
  'LEDGER_IO', // any other I/O failure reported by SQLite or the file system
  'LEDGER_CANNOT_OPEN',
  'LEDGER_CLOSED', // used after close()
  'LEDGER_INVALID_RECORD', // the attempt does not have the shape the ledger stores
  'LEDGER_INVALID_SETTINGS', // time zone or cut-off hour not usable
  'LEDGER_CLOCK', // the clock returned something that is not a time
  'VOID_NOT_FOUND',
  'VOID_NOT_APPROVED', // only approved sales can be voided
  'VOID_OTHER_DAY', // only sales of the current business day can be voided
  'VOID_ALREADY_VOIDED',
  'VOID_REFUNDED', // a sale with refunds is not voided (that would give the money back twice)
  'REFUND_NOT_FOUND', // no sale with that transaction id
  'REFUND_NOT_A_SALE', // the id is a void's or a refund's
  'REFUND_NOT_APPROVED', // a declined sale took no money
  'REFUND_VOIDED', // the sale was voided: nothing was taken
  'REFUND_CURRENCY', // the refund is asked in another currency than the sale's
  'REFUND_INVALID_AMOUNT', // not a positive whole number of minor units
  'REFUND_OVER_REMAINDER', // more than what the sale's earlier refunds left
  'DAY_NOT_CLOSABLE', // the business day is closed already, or later days have rows
  'LEDGER_INTERNAL',
] as const;

export type LedgerErrorCode = (typeof LEDGER_ERROR_CODES)[number];

export class LedgerError extends DetailedError<LedgerErrorCode> {
  override readonly name = 'LedgerError';
}

export function isLedgerError(value: unknown): value is LedgerError {
  return value instanceof LedgerError;
}

/** Maps an SQLite result code (better-sqlite3's `SqliteError.code`) to a ledger code. */
export function codeForSqlite(sqliteCode: string): LedgerErrorCode {
  if (sqliteCode.startsWith('SQLITE_BUSY') || sqliteCode.startsWith('SQLITE_LOCKED')) return 'LEDGER_BUSY';
  if (sqliteCode.startsWith('SQLITE_READONLY')) return 'LEDGER_READ_ONLY';
  if (sqliteCode === 'SQLITE_FULL') return 'LEDGER_DISK_FULL';
  if (sqliteCode.startsWith('SQLITE_CORRUPT') || sqliteCode === 'SQLITE_NOTADB') return 'LEDGER_CORRUPT';
  if (sqliteCode.startsWith('SQLITE_CANTOPEN')) return 'LEDGER_CANNOT_OPEN';
  if (sqliteCode.startsWith('SQLITE_IOERR') || sqliteCode === 'SQLITE_PERM') return 'LEDGER_IO';
  return 'LEDGER_INTERNAL';
}

/** Wraps any error thrown by SQLite or the file system into a LedgerError (LedgerErrors pass through). */
export function toLedgerError(error: unknown, doing: string): LedgerError {
  if (error instanceof LedgerError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (typeof code === 'string') {
    if (code.startsWith('SQLITE_')) return new LedgerError(codeForSqlite(code), `${doing}: ${message}`, { cause: error });
    if (code === 'ENOSPC') return new LedgerError('LEDGER_DISK_FULL', `${doing}: ${message}`, { cause: error });
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
      return new LedgerError('LEDGER_READ_ONLY', `${doing}: ${message}`, { cause: error });
    }
    if (code === 'ENOENT') return new LedgerError('LEDGER_NOT_FOUND', `${doing}: ${message}`, { cause: error });
    if (code.startsWith('E')) return new LedgerError('LEDGER_IO', `${doing}: ${message}`, { cause: error });
  }
  return new LedgerError('LEDGER_INTERNAL', `${doing}: ${message}`, { cause: error });
}
