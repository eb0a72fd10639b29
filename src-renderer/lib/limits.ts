// Mirrors of the contract's limits (src-main/ipc/contract.ts), kept as plain numbers so the
// renderer imports the contract type-only; tests/unit/renderer/limits.test.ts keeps them equal.
export const MAX_AMOUNT = 99_999_999_999;
export const MAX_LINE_ITEMS = 100;
export const PIN_MIN_LENGTH = 4;
export const PIN_MAX_LENGTH = 12;
export const WAIT_TIMEOUT_MIN_S = 5;
export const WAIT_TIMEOUT_MAX_S = 600;
/** Merchant and terminal ids: a letter or digit, then up to 31 letters, digits, '.', '_', '-'. */
export const IDENTIFIER = /^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/;
export const DESCRIPTION_MAX = 64;
