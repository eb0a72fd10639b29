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
