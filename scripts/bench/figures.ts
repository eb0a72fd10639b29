// One measured figure of the bench: what was measured, the baseline run in the same process run,
// the goal and whether it was met. The table and docs/benchmarks.md are rendered from these.

export type Verdict = 'pass' | 'miss' | 'skipped' | 'error';

export interface Figure {
  /** "1", "2", "5a"... as in docs/benchmarks.md. */
  id: string;
  title: string;
  /** The measurement, formatted (e.g. "p50 9.8 ms, p99 11.2 ms"). */
  value: string;
  /** The same-run baseline, formatted; '' when the figure has none. */
  baseline: string;
  /** measured / baseline, where that ratio means something. */
  ratio?: number;
  goal: string;
  verdict: Verdict;
  /** Sizes, sample counts and caveats, shown under the table. */
  notes: string[];
  /** Raw numbers for the smoke test and for anyone reading the JSON. */
  data: Record<string, number | string | boolean | null>;
}

export function verdictOf(ok: boolean): Verdict {
  return ok ? 'pass' : 'miss';
}

export function skipped(id: string, title: string, goal: string, why: string): Figure {
  return { id, title, value: 'skipped', baseline: '', goal, verdict: 'skipped', notes: [why], data: {} };
}

export function failed(id: string, title: string, goal: string, error: unknown): Figure {
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return {
    id,
    title,
    value: 'error',
    baseline: '',
    goal,
    verdict: 'error',
    notes: [message.split('\n').slice(0, 6).join(' | ')],
    data: {},
  };
}

/** Well-formed: every field present, a verdict from the list, numbers finite where given. */
export function isWellFormed(figure: Figure): boolean {
  const verdicts: Verdict[] = ['pass', 'miss', 'skipped', 'error'];
  if (!figure.id || !figure.title || !figure.goal || typeof figure.value !== 'string' || !verdicts.includes(figure.verdict)) return false;
  if (figure.ratio !== undefined && !(Number.isFinite(figure.ratio) && figure.ratio > 0)) return false;
  return Object.values(figure.data).every((value) => typeof value !== 'number' || Number.isFinite(value));
}
