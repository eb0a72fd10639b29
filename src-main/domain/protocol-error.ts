// The one error type every parser and link step throws: a stable reason code plus detail.
import { DetailedError } from './coded-error';
import type { ReasonCode } from './reasons';

export class ProtocolError extends DetailedError<ReasonCode> {
  override readonly name = 'ProtocolError';

  /** The decline reason: the code, under the name the verification code speaks of. */
  get reason(): ReasonCode {
    return this.code;
  }
}

export function fail(reason: ReasonCode, detail: string, cause?: unknown): never {
  throw new ProtocolError(reason, detail, cause === undefined ? undefined : { cause });
}
