// Where the wallet keeps its app transaction counter: in memory (tests) or in a small JSON
// file written atomically (temp file, fsync, rename), so it survives restarts and crashes.
import { readFileSync } from 'node:fs';
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

/** A counter alone in `{ "counter": n }` at `path` (created on first commit). */
export function fileCounterStore(path: string): CounterStore {
  let value = 0;
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
    const counter = (parsed as { counter?: unknown }).counter;
    if (typeof counter !== 'number' || !Number.isSafeInteger(counter) || counter < 0) throw new Error(`${path}: bad counter`);
    value = counter;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  return {
    last: () => value,
    commit: (counter) => {
      writeFileAtomic(path, `${JSON.stringify({ counter })}\n`, 0o600);
      value = counter;
    },
  };
}
