// How a failed request crosses to the renderer. Electron's contextBridge keeps only an Error's
// message, so the code travels as the message prefix "[code] message". This module writes and
// reads that prefix; main, the preload and the renderer all use it (no zod, no Node).
import { isIpcErrorCode, type IpcErrorCode } from './constants';

export function wireMessage(code: IpcErrorCode, message: string): string {
  return `[${code}] ${message}`;
}

export interface WireError {
  /** The contract's error code, or 'unknown' for an error that did not come through the contract. */
  code: IpcErrorCode | 'unknown';
  /** The message without its code prefix. */
  detail: string;
}

/** Reads the code and message back from anything a `window.cashier` call rejected with. */
export function parseWireError(error: unknown): WireError {
  const text = error instanceof Error ? error.message : String(error);
  const match = /\[([a-z_]+)\]\s*/.exec(text);
  const code = match?.[1];
  if (!match || !isIpcErrorCode(code)) return { code: 'unknown', detail: text };
  return { code, detail: text.slice(match.index + match[0].length) };
}
