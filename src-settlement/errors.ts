// The one error type of the settlement service: every refusal and failure carries a stable code
// (docs/settlement.md, "Error codes") that the CLI prints and the HTTP layer maps to a status.

export const SETTLEMENT_ERROR_CODES = [
  'BAD_EXPORT', // the folder does not hold a readable export (missing files, malformed manifest)
  'UNKNOWN_TERMINAL_KEY', // the manifest is signed by a key no terminal is enrolled with
  'RETIRED_TERMINAL_KEY', // the key was enrolled and has been retired
  'MERCHANT_MISMATCH', // the manifest names another merchant than the key's enrolment
  'VERIFICATION_FAILED', // verify-export found problems (the answer lists them with their codes)
  'DAY_CONFLICT', // another export of the same ledger and business day is already held
  'CHANGED_DURING_INGEST', // a file changed between verification and storage
  'NO_AUTHORITY_KEYS', // the service holds no authority key: approvals cannot be verified
  'BAD_INPUT', // a command argument, an enrolment or a trust entry that does not parse
  'BAD_REVOCATION_LIST', // a signed revocation list that does not verify
  'NOT_FOUND', // a finding, day or terminal that is not held
  'DATABASE_UNAVAILABLE', // the database could not be reached or went away mid-transaction
  'SCHEMA_TOO_NEW', // the database was migrated by a newer version of the service
  'INTERNAL', // anything else (a bug)
] as const;

export type SettlementErrorCode = (typeof SETTLEMENT_ERROR_CODES)[number];

export class SettlementError extends Error {
  override readonly name = 'SettlementError';
  constructor(
    readonly code: SettlementErrorCode,
    readonly detail: string,
    /** Coded problems behind VERIFICATION_FAILED (verify-export's codes). */
    readonly problems: readonly { code: string; detail: string }[] = [],
  ) {
    super(`${code}: ${detail}`);
  }
}

/** PostgreSQL error classes that mean the server or connection went away, not bad SQL. */
const CONNECTION_STATES = ['08', '57P01', '57P02', '57P03'];
const CONNECTION_ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND']);

export function toSettlementError(error: unknown): SettlementError {
  if (error instanceof SettlementError) return error;
  const fields = typeof error === 'object' && error !== null ? (error as { code?: unknown; message?: unknown }) : {};
  const code = typeof fields.code === 'string' ? fields.code : '';
  const message = typeof fields.message === 'string' ? fields.message : String(error);
  if (
    CONNECTION_ERRNOS.has(code) ||
    CONNECTION_STATES.some((state) => code.startsWith(state)) ||
    /Connection terminated|not queryable|closed/i.test(message)
  ) {
    return new SettlementError('DATABASE_UNAVAILABLE', message);
  }
  return new SettlementError('INTERNAL', message);
}
