// The one error type every parser and link step throws: a stable reason code plus detail.
import { CodedError } from '../domain/coded-error';
import type { ReasonCode } from '../domain/reasons';

export class ProtocolError extends CodedError<ReasonCode> {
  override readonly name = 'ProtocolError';
  constructor(
    reason: ReasonCode,
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(reason, `${reason}: ${detail}`, options);
  }

  /** The decline reason: the code, under the name the verification code speaks of. */
  get reason(): ReasonCode {
    return this.code;
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
