// How a failed request crosses to the renderer. Electron's contextBridge keeps only an Error's
// message, so the code travels as the message prefix "[code] message", and a refusal's reason
// code and values with it: "[rejected:pin_wrong?left=4] the current PIN is wrong (4 tries left)".
// This module writes and reads that prefix; main, the preload and the renderer all use it (no
// zod, no Node).
import { isIpcErrorCode, isRefusalReason, type IpcErrorCode, type Refusal } from './constants';

export function wireMessage(code: IpcErrorCode, message: string, refusal?: Refusal): string {
  if (!refusal) return `[${code}] ${message}`;
  // URL-encoded, so a value never holds the "]" or space that end the prefix.
  const values = new URLSearchParams(refusal.values).toString();
  return `[${code}:${refusal.reason}${values ? `?${values}` : ''}] ${message}`;
}

export interface WireError {
  /** The contract's error code, or 'unknown' for an error that did not come through the contract. */
  code: IpcErrorCode | 'unknown';
  /** The message without its code prefix. */
  detail: string;
  /** Why main refused, when it said so with a reason code. */
  refusal?: Refusal;
}

/** Reads the code, refusal and message back from anything a `window.cashier` call rejected with. */
export function parseWireError(error: unknown): WireError {
  const text = error instanceof Error ? error.message : String(error);
  const match = /\[([a-z_]+)(?::([a-z_]+)(?:\?([^\]\s]*))?)?\]\s*/.exec(text);
  const code = match?.[1];
  if (!match || !isIpcErrorCode(code)) return { code: 'unknown', detail: text };
  const detail = text.slice(match.index + match[0].length);
  const reason = match[2];
  if (!isRefusalReason(reason)) return { code, detail };
  return { code, detail, refusal: { reason, values: Object.fromEntries(new URLSearchParams(match[3] ?? '')) } };
}
