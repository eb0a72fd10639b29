// Where the wallet keeps its app transaction counter: in memory (tests) or in a small JSON
// file written atomically (temp file, fsync, rename), so it survives restarts and crashes.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { writeFileAtomic } from '../fs/atomic-file';

export interface CounterStore {
  /** Last counter used (0 before the first authorization). */
  last(): number;
  /** Persists `counter` as the last used; returns only once it is durable. */
  commit(counter: number): void;
}

export function memoryCounterStore(initial = 0): CounterStore {
  let value = initial;
  return {
    last: () => value,
    commit: (counter) => {
      value = counter;
    },
  };
}

const CounterFileSchema = z.object({ counter: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER) }).strict();

/** A counter file that exists but cannot be used: never reset to 0 (that would replay counters). */
export class CounterFileError extends Error {
  override readonly name = 'CounterFileError';
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

/** A counter alone in `{ "counter": n }` at `path` (created on first commit). */
export function fileCounterStore(path: string): CounterStore {
  let value = 0;
  let text: string | undefined;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
      throw new CounterFileError(path, `cannot read the counter file ${path}: ${(error as Error).message}`);
  }
  if (text !== undefined) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new CounterFileError(path, `the counter file ${path} is not valid JSON; restore it (a counter is never reset)`);
    }
    const parsed = CounterFileSchema.safeParse(json);
    if (!parsed.success)
      throw new CounterFileError(path, `the counter file ${path} does not hold a counter; restore it (a counter is never reset)`);
    value = parsed.data.counter;
  }
  return {
    last: () => value,
    commit: (counter) => {
      writeFileAtomic(path, `${JSON.stringify({ counter })}\n`, 0o600);
      value = counter;
    },
  };
}
