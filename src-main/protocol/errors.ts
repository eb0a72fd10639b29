// The one error type every parser and link step throws: a stable reason code plus detail.
import type { ReasonCode } from '../domain/reasons';

export class ProtocolError extends Error {
  readonly reason: ReasonCode;
  readonly detail: string;
  constructor(reason: ReasonCode, detail: string, options?: { cause?: unknown }) {
    super(`${reason}: ${detail}`, options);
    this.name = 'ProtocolError';
    this.reason = reason;
    this.detail = detail;
  }
}

export function fail(reason: ReasonCode, detail: string, cause?: unknown): never {
  throw new ProtocolError(reason, detail, cause === undefined ? undefined : { cause });
}

/** Runs a parser step and turns anything it throws that is not ours into `reason`. */
export function guard<T>(reason: ReasonCode, step: () => T): T {
  try {
    return step();
  } catch (error) {
    if (error instanceof ProtocolError) throw error;
    return fail(reason, error instanceof Error ? error.message : String(error), error);
  }
}
