// The one error the application services throw on purpose. Its code names what the caller
// should tell the user and matches the IPC contract's error codes (src-main/ipc/contract.ts),
// so the IPC layer passes it through unchanged; anything else is an internal failure.

export type AppErrorCode = 'invalid_argument' | 'not_found' | 'conflict' | 'rejected' | 'not_available' | 'setup_done' | 'setup_required';

export class AppError extends Error {
  readonly code: AppErrorCode;
  constructor(code: AppErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AppError';
    this.code = code;
  }
}
