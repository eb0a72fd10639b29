// The results of one run of scripts/test-all.sh, read from what its steps left in test-results/:
// the step list, Vitest's JSON report and Playwright's JSON report. Each report is parsed once,
// here, into counts and the named failures the closing lines print.
import path from 'node:path';
import { z } from 'zod';

/** One failed check: a test (file and title), a whole test file, or a step such as lint. */
export interface Failure {
  /** Repository-relative file of the test, or the step name for a failed step. */
  readonly where: string;
  /** The test's titles joined with " > " (empty for a failed step). */
  readonly title: string;
  /** Playwright project, for UI tests. */
  readonly project?: string;
  /** First line of the error, when the report has one. */
  readonly message?: string;
}

export interface Tally {
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
  /** One entry per failed count above, in report order. */
  readonly failures: readonly Failure[];
}

export const EMPTY_TALLY: Tally = { passed: 0, failed: 0, skipped: 0, failures: [] };

export function addTallies(...tallies: Tally[]): Tally {
  return tallies.reduce((sum, t) => ({
    passed: sum.passed + t.passed,
    failed: sum.failed + t.failed,
    skipped: sum.skipped + t.skipped,
    failures: [...sum.failures, ...t.failures],
  }));
}

// The checks whose step counts as one check; the test runners' steps count their tests instead.
const COUNTED_STEPS = new Set(['typecheck', 'lint', 'build', 'bundled-workers']);

export interface StepResult {
  readonly name: string;
  readonly ok: boolean;
}

/** Lines "ok NAME" / "not ok NAME" written by test-all.sh's `step`. */
export function parseSteps(text: string): StepResult[] {
  const steps: StepResult[] = [];
  for (const line of text.split('\n')) {
    const match = /^(ok|not ok) (\S+)$/.exec(line.trim());
    if (match?.[1] && match[2]) steps.push({ name: match[2], ok: match[1] === 'ok' });
  }
  return steps;
}

export function tallySteps(steps: readonly StepResult[]): Tally {
  const counted = steps.filter((step) => COUNTED_STEPS.has(step.name));
  const failedSteps = counted.filter((step) => !step.ok);
  return {
    passed: counted.length - failedSteps.length,
    failed: failedSteps.length,
    skipped: 0,
    failures: failedSteps.map((step) => ({ where: `step ${step.name}`, title: '' })),
  };
}

const ESCAPES = new RegExp(String.raw`\u001b\[[0-9;]*m`, 'g');

/** The first non-empty line of an error message, without terminal colours, at most 200 chars. */
export function firstLine(message: string | undefined): string | undefined {
  const line = message
    ?.replace(ESCAPES, '')
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l.length > 0);
  if (line === undefined) return undefined;
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}

function relative(repoRoot: string, file: string): string {
  return path.isAbsolute(file) ? path.relative(repoRoot, file) : file;
}

// Vitest's JSON report keeps only the stack of a timeout error, and that stack is the one captured
// where the test or hook was declared, whose first line is this placeholder.
const VITEST_TIMEOUT_STACK = 'Error: STACK_TRACE_ERROR';

function vitestMessage(failure: string | undefined): string | undefined {
  const line = firstLine(failure);
  return line === VITEST_TIMEOUT_STACK ? 'timed out (the test or one of its hooks exceeded its timeout)' : line;
}

const VitestAssertion = z.object({
  ancestorTitles: z.array(z.string()),
  title: z.string(),
  status: z.string(),
  failureMessages: z.array(z.string()).nullish(),
});

const VitestReport = z.object({
  testResults: z.array(
    z.object({
      name: z.string(),
      status: z.string(),
      message: z.string().nullish(),
      assertionResults: z.array(VitestAssertion),
    }),
  ),
});

/** Vitest's JSON reporter output (the Jest-compatible format). */
export function tallyVitest(json: unknown, repoRoot: string): Tally {
  const report = VitestReport.parse(json);
  let passed = 0;
  let skipped = 0;
  const failures: Failure[] = [];
  for (const file of report.testResults) {
    const where = relative(repoRoot, file.name);
    let failedHere = 0;
    for (const test of file.assertionResults) {
      if (test.status === 'passed') passed++;
      else if (test.status === 'failed') {
        failedHere++;
        failures.push({
          where,
          title: [...test.ancestorTitles, test.title].join(' > '),
          message: vitestMessage(test.failureMessages?.[0]),
        });
      } else skipped++;
    }
    // A file can fail with no failed test: an import error, a failing beforeAll/afterAll hook.
    if (file.status === 'failed' && failedHere === 0) {
      failures.push({ where, title: '(the file itself)', message: vitestMessage(file.message ?? undefined) });
    }
  }
  return { passed, failed: failures.length, skipped, failures };
}

const PlaywrightError = z.object({ message: z.string().optional() });

const PlaywrightSpecSchema = z.object({
  title: z.string(),
  file: z.string(),
  tests: z.array(
    z.object({
      projectName: z.string(),
      status: z.string(),
      results: z.array(z.object({ error: PlaywrightError.optional() })),
    }),
  ),
});
interface PlaywrightSuite {
  title: string;
  file?: string;
  specs?: z.infer<typeof PlaywrightSpecSchema>[];
  suites?: PlaywrightSuite[];
}
const PlaywrightSuiteSchema: z.ZodType<PlaywrightSuite> = z.lazy(() =>
  z.object({
    title: z.string(),
    file: z.string().optional(),
    specs: z.array(PlaywrightSpecSchema).optional(),
    suites: z.array(PlaywrightSuiteSchema).optional(),
  }),
);
const PlaywrightReport = z.object({
  config: z.object({ rootDir: z.string() }).optional(),
  suites: z.array(PlaywrightSuiteSchema),
  errors: z.array(PlaywrightError).optional(),
});

/**
 * Playwright's JSON reporter output. A test that passed only on a retry ("flaky") counts as a
 * failure: the suite runs without retries, so this names a flaky test instead of hiding it.
 */
export function tallyPlaywright(json: unknown, repoRoot: string): Tally {
  const report = PlaywrightReport.parse(json);
  // Spec files are reported relative to the config's testDir.
  const testDir = report.config?.rootDir ?? path.join(repoRoot, 'tests', 'ui');
  let passed = 0;
  let skipped = 0;
  const failures: Failure[] = [];
  const walk = (suite: PlaywrightSuite, titles: string[]): void => {
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests) {
        if (test.status === 'expected') passed++;
        else if (test.status === 'skipped') skipped++;
        else {
          const error = test.results.find((result) => result.error)?.error;
          failures.push({
            where: relative(repoRoot, path.resolve(testDir, spec.file)),
            title: [...titles, spec.title].join(' > ') + (test.status === 'flaky' ? ' (passed only on retry)' : ''),
            project: test.projectName,
            message: firstLine(error?.message),
          });
        }
      }
    }
    for (const child of suite.suites ?? []) walk(child, [...titles, child.title]);
  };
  // The top-level suites are the spec files; their title is the file name, not a test title.
  for (const fileSuite of report.suites) walk(fileSuite, []);
  for (const error of report.errors ?? []) {
    failures.push({ where: 'tests/ui', title: '(outside any test)', message: firstLine(error.message) });
  }
  return { passed, failed: failures.length, skipped, failures };
}

/** A runner whose step failed although its report names no failure (a crash, an unhandled error). */
export function unexplainedStepFailure(step: StepResult | undefined, tally: Tally, runner: string): Tally {
  if (!step || step.ok || tally.failed > 0) return EMPTY_TALLY;
  return {
    passed: 0,
    failed: 1,
    skipped: 0,
    failures: [
      { where: `step ${step.name}`, title: '', message: `${runner} exited with an error that names no test; see its output above` },
    ],
  };
}

/** " [project] file > title" then the message on its own line, as the closing lines print it. */
export function formatFailure(failure: Failure): string {
  const project = failure.project ? `[${failure.project}] ` : '';
  const title = failure.title ? ` > ${failure.title}` : '';
  const head = `FAILED ${project}${failure.where}${title}`;
  return failure.message ? `${head}\n       ${failure.message}` : head;
}

/** The key the stress runs count failures by (no message: it differs between runs). */
export function failureKey(failure: Failure): string {
  const project = failure.project ? `[${failure.project}] ` : '';
  return `${project}${failure.where}${failure.title ? ` > ${failure.title}` : ''}`;
}

export function closingLine(tally: Tally): string {
  return `${tally.passed} passed, ${tally.failed} failed, ${tally.skipped} skipped`;
}
