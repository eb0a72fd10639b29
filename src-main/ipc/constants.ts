// The IPC contract's plain values: limits, patterns, languages, paper widths and error codes.
// No zod and no Node: the renderer imports them directly, and src-main/ipc/contract.ts builds
// its schemas from them, so there is no hand-kept copy to drift.

/** Largest amount one sale may carry, in minor units (11 digits: 999,999,999.99 in a 2-decimal currency). */
export const MAX_AMOUNT_MINOR = 99_999_999_999;
export const MAX_ITEMS = 100;
/** Longest line-item description, characters. */
export const DESCRIPTION_MAX = 64;
export const LANGUAGES = ['en', 'zh-CN'] as const;
export type Language = (typeof LANGUAGES)[number];
export const PAPER_WIDTHS = [58, 80] as const;
/** Waiting timeout bounds for a phone to be tapped (the settings screen asks in seconds). */
export const WAIT_TIMEOUT_MIN_S = 5;
export const WAIT_TIMEOUT_MAX_S = 600;
export const WAIT_TIMEOUT_MIN_MS = WAIT_TIMEOUT_MIN_S * 1000;
export const WAIT_TIMEOUT_MAX_MS = WAIT_TIMEOUT_MAX_S * 1000;
export const PIN_MIN_LENGTH = 4;
export const PIN_MAX_LENGTH = 12;
/** Merchant and terminal ids: a letter or digit, then up to 31 letters, digits, '.', '_', '-'. */
export const IDENTIFIER = /^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/;

export const IPC_ERROR_CODES = [
  'invalid_argument', // wrong type, missing field, out-of-range value
  'manager_session_required', // manager-only request without an active session
  'setup_required', // the first-run wizard is not complete yet
  'setup_done', // wizard request after setup
  'not_available', // e.g. simulated-phone control while a real reader is in use
  'payment_in_progress', // a second start while a payment runs (double Enter)
  'not_found', // unknown transaction, key, token, scenario
  'conflict', // e.g. voiding a declined or already voided sale, retiring a retired key
  'rejected', // the service refused the input (bad trust-store file, wrong current PIN)
  'internal', // anything else; details go to the log, not the screen
] as const;
export type IpcErrorCode = (typeof IPC_ERROR_CODES)[number];

const ipcErrorCodes: ReadonlySet<string> = new Set(IPC_ERROR_CODES);

/**
 * Why main refused a request, finer than the error code: the screen says each in the interface
 * language from its code and values (resources/i18n/<lang>/ui.json "refusal.<code>"), never from
 * main's English sentence. Codes are never renamed or reused.
 */
export const REFUSAL_REASONS = [
  'pin_wrong', // the current PIN is wrong; values: left (tries left)
  'pin_locked', // values: until (ISO time)
  'pin_not_set',
  'trust_entry_invalid', // values: why (the parser's words)
  'not_json', // a pasted or chosen trust-store entry or revocation list
  'trust_kid_taken', // values: kid
  'trust_retired_again', // values: kid
  'trust_already_retired', // values: kid
  'preview_expired',
  'trust_no_key', // values: kid
  'crl_refused', // values: why
  'payment_in_progress',
  'demo_already_off',
  'day_not_closed', // values: date
  'no_transaction', // values: id
  'settings_refused', // values: why
  'demo_only',
  'ledger_damaged', // the ledger file is damaged: nothing more is recorded until a restart on a sound file
] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

/** A refusal's code and the values its sentence needs (all text: they travel in the wire message). */
export interface Refusal {
  reason: RefusalReason;
  values: Record<string, string>;
}

const refusalReasons: ReadonlySet<string> = new Set(REFUSAL_REASONS);

export function isRefusalReason(value: unknown): value is RefusalReason {
  return typeof value === 'string' && refusalReasons.has(value);
}

export function isIpcErrorCode(value: unknown): value is IpcErrorCode {
  return typeof value === 'string' && ipcErrorCodes.has(value);
}
