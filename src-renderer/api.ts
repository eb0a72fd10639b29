// The renderer's only way to main: `window.cashier`, exposed by the preload (Electron) or the
// test harness (Chromium), shaped exactly like the contract's CashierApi. The contract is
// imported type-only, so zod and the schemas stay out of the renderer bundle.
import type { CashierApi, IpcErrorCode } from '../src-main/ipc/contract';

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

export interface UiError {
  /** The contract's error code ("[code] message" prefix), or 'unknown'. */
  code: IpcErrorCode | 'unknown';
  /** Technical detail from main, shown under the translated message for the manager. */
  detail: string;
}

export function toUiError(error: unknown): UiError {
  const text = error instanceof Error ? error.message : String(error);
  const match = /\[([a-z_]+)\]\s*/.exec(text);
  const code = (match?.[1] as IpcErrorCode | undefined) ?? 'unknown';
  return { code, detail: match ? text.slice(match.index + match[0].length) : text };
}
