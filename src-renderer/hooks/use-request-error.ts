// The error state of a screen that calls main: what went wrong with its last request, read from
// the wire error the same way everywhere, for the screen's ErrorNote.
import { useCallback, useState } from 'react';
import { toUiError, type UiError } from '../api';

export interface RequestError {
  readonly error: UiError | null;
  readonly setError: (error: UiError | null) => void;
  /** For `.catch(fail)`: keeps the request's failure as the screen's error. Stable across renders. */
  readonly fail: (reason: unknown) => void;
}

export function useRequestError(): RequestError {
  const [error, setError] = useState<UiError | null>(null);
  const fail = useCallback((reason: unknown) => setError(toUiError(reason)), []);
  return { error, setError, fail };
}
