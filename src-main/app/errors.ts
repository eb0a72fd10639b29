// The one error the application services throw on purpose. Its code names what the caller
// should tell the user and is one of the IPC contract's error codes (src-main/ipc/constants.ts),
// so the IPC layer passes it through unchanged; anything else is an internal failure.
import { CodedError } from '../domain/coded-error';
import type { IpcErrorCode, Refusal } from '../ipc/constants';

/** The contract's codes a service can mean (the rest belong to the IPC layer itself). */
export type AppErrorCode = Exclude<IpcErrorCode, 'internal' | 'manager_session_required' | 'payment_in_progress'>;

/** A coded error that may also say why as a refusal: a stable reason and values the screen words in its language. */
export abstract class RefusingError<C extends string> extends CodedError<C> {
  readonly refusal: Refusal | undefined;
  constructor(code: C, message: string, options?: { cause?: unknown; refusal?: Refusal }) {
    super(code, message, options);
    this.refusal = options?.refusal;
  }
}

export class AppError extends RefusingError<AppErrorCode> {
  override readonly name = 'AppError';
}

/** A refusal with its values (the shorthand every thrower uses). */
export function refusal(reason: Refusal['reason'], values: Record<string, string | number> = {}): Refusal {
  return { reason, values: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, String(v)])) };
}
