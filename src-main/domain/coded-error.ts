// The base of every error the code throws on purpose: a stable code from its domain's own list,
// so callers branch on `instanceof` and the code (typed), never on names or message text.
// Pure (no Node imports): the renderer may import it.

export abstract class CodedError<C extends string = string> extends Error {
  readonly code: C;
  constructor(code: C, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/**
 * A coded error whose message is `code: detail`, the detail kept apart for whoever words the
 * failure again (a worker thread passing it on, a re-verification listing problems).
 */
export abstract class DetailedError<C extends string = string> extends CodedError<C> {
  readonly detail: string;
  constructor(code: C, detail: string, options?: { cause?: unknown }) {
    super(code, `${code}: ${detail}`, options);
    this.detail = detail;
  }
}
