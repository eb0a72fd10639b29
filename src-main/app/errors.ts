// The one error the application services throw on purpose. Its code names what the caller
// should tell the user and is one of the IPC contract's error codes (src-main/ipc/constants.ts),
// so the IPC layer passes it through unchanged; anything else is an internal failure.
import { CodedError } from '../domain/coded-error';
import type { IpcErrorCode } from '../ipc/constants';

/** The contract's codes a service can mean (the rest belong to the IPC layer itself). */
export type AppErrorCode = Exclude<IpcErrorCode, 'internal' | 'manager_session_required' | 'payment_in_progress'>;

export class AppError extends CodedError<AppErrorCode> {
  override readonly name = 'AppError';
}
