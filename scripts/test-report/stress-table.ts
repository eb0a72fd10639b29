// What `npm run test:stress` reports after each run: one line per run and a table of every test
// that failed at least once, with how often, split by whether the second core was loaded.
import { failureKey, type Failure } from './results';

export interface StressRun {
  /** 1-based run number. */
  readonly run: number;
  /** True when a CPU hog kept the other core busy during the run. */
  readonly loaded: boolean;
  /** The suite's closing line ("N passed, N failed, N skipped"), or why there is none. */
  readonly closingLine: string;
  readonly exitCode: number;
  readonly seconds: number;
  /** The machine's 1-minute load average, sampled through the run: mean and highest. */
  readonly load: { readonly mean: number; readonly max: number };
  readonly failures: readonly Failure[];
}

export interface FailureCount {
  readonly test: string;
  readonly idle: number;
  readonly loaded: number;
}

/** Every test that failed in at least one run, most failures first (a test counts once per run). */
export function countFailures(runs: readonly StressRun[]): FailureCount[] {
  const counts = new Map<string, { idle: number; loaded: number }>();
  for (const run of runs) {
    for (const test of new Set(run.failures.map(failureKey))) {
      const count = counts.get(test) ?? { idle: 0, loaded: 0 };
      if (run.loaded) count.loaded++;
      else count.idle++;
      counts.set(test, count);
    }
  }
  return [...counts.entries()]
    .map(([test, count]) => ({ test, ...count }))
    .sort((a, b) => b.idle + b.loaded - (a.idle + a.loaded) || a.test.localeCompare(b.test));
}

function cell(text: string): string {
  return text.replaceAll('|', '\\|');
}

/** Markdown: the runs, then the failure table (or a sentence saying no test failed). */
export function stressReport(runs: readonly StressRun[], plannedRuns: number, commit: string): string {
  const loadedRuns = runs.filter((run) => run.loaded).length;
  const green = runs.filter((run) => run.exitCode === 0).length;
  const lines = [
    `Commit ${commit}: ${runs.length} of ${plannedRuns} runs completed (${loadedRuns} with the other core loaded); ${green} passed with 0 failures.`,
    '',
    '| run | other core | closing line | exit | minutes | load average (mean / max) |',
    '|---|---|---|---|---|---|',
    ...runs.map(
      (run) =>
        `| ${run.run} | ${run.loaded ? 'loaded (stress-ng --cpu 1)' : 'not loaded'} | ${cell(run.closingLine)} | ${run.exitCode} | ${(run.seconds / 60).toFixed(1)} | ${run.load.mean.toFixed(1)} / ${run.load.max.toFixed(1)} |`,
    ),
    '',
  ];
  const counts = countFailures(runs);
  if (counts.length === 0) {
    lines.push('No test failed in any run.');
  } else {
    lines.push(
      '| failed test | runs failed, other core idle | runs failed, other core loaded |',
      '|---|---|---|',
      ...counts.map((count) => `| ${cell(count.test)} | ${count.idle} | ${count.loaded} |`),
    );
  }
  return `${lines.join('\n')}\n`;
}
