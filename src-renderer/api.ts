// The renderer's only way to main: `window.cashier`, exposed by the preload (Electron) or the
// test harness (Chromium), shaped exactly like the contract's CashierApi. The contract is
// imported type-only, so zod and the schemas stay out of the renderer bundle; errors are read with
// the same wire parser main and the tests use.
import type { CashierApi } from '../src-main/ipc/contract';
import { parseWireError, type WireError } from '../src-main/ipc/wire-error';

declare global {
  interface Window {
    readonly cashier?: CashierApi;
  }
}

export function hasCashierApi(): boolean {
  return typeof window !== 'undefined' && window.cashier !== undefined;
}

/** The bridge; only called after App checked hasCashierApi(). */
export function api(): CashierApi {
  const bridge = window.cashier;
  if (!bridge) throw new Error('window.cashier is missing');
  return bridge;
}

/** The contract's error code (or 'unknown') and the technical detail shown under the translated message. */
export type UiError = WireError;

export function toUiError(error: unknown): UiError {
  return parseWireError(error);
}
