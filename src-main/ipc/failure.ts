// The error wire format of the contract: the failure every request may answer with, the
// envelope around every answer, and the error a `window.cashier` call rejects with. The message
// prefix it carries is written and read by wire-error.ts (no zod), which the renderer uses.
import { z } from 'zod';
import { CodedError } from '../domain/coded-error';
import { IPC_ERROR_CODES, REFUSAL_REASONS, type IpcErrorCode } from './constants';
import { wireMessage } from './wire-error';

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

export const IpcFailureSchema = z.object({
  code: z.enum(IPC_ERROR_CODES),
  message: z.string(),
  /** For invalid_argument: dotted path and message of each problem. */
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  /** Why main refused, as a stable code the screen words in its language (constants.ts). */
  refusal: z.object({ reason: z.enum(REFUSAL_REASONS), values: z.record(z.string(), z.string()) }).optional(),
});
export type IpcFailure = z.infer<typeof IpcFailureSchema>;

/** What every request answers on the wire: the preload unwraps it and throws on failure. */
export type IpcEnvelope<T> = { ok: true; value: T } | { ok: false; error: IpcFailure };

/**
 * The error a `window.cashier` call rejects with. Across Electron's contextBridge only an
 * Error's message survives, so the code is also the message prefix (wire-error.ts).
 */
export class CashierError extends CodedError<IpcErrorCode> {
  override readonly name = 'CashierError';
  readonly issues: IpcFailure['issues'];
  constructor(failure: IpcFailure) {
    super(failure.code, wireMessage(failure.code, failure.message, failure.refusal));
    this.issues = failure.issues;
  }
}
