import { describe, expect, it } from 'vitest';
import {
  addTallies,
  closingLine,
  failureKey,
  formatFailure,
  parseSteps,
  tallyPlaywright,
  tallySteps,
  tallyVitest,
  unexplainedStepFailure,
} from '../../../scripts/test-report/results';

const REPO = '/repo';

const vitestReport = {
  numTotalTests: 4,
  testResults: [
    {
      name: '/repo/tests/unit/a.test.ts',
      status: 'failed',
      message: '',
      assertionResults: [
        { ancestorTitles: ['ledger', 'append'], title: 'keeps the chain', status: 'passed', failureMessages: [] },
        {
          ancestorTitles: ['ledger'],
          title: 'rejects a gap',
          status: 'failed',
          failureMessages: ['\u001b[31mAssertionError: expected 1 to be 2\u001b[39m\n    at x.ts:1:1'],
        },
        { ancestorTitles: [], title: 'later', status: 'skipped', failureMessages: [] },
        {
          ancestorTitles: [],
          title: 'slow',
          status: 'failed',
          failureMessages: ['Error: STACK_TRACE_ERROR\n    at tests/unit/a.test.ts:9:3'],
        },
        { ancestorTitles: [], title: 'some day', status: 'todo', failureMessages: [] },
      ],
    },
    {
      name: '/repo/tests/integration/b.test.ts',
      status: 'failed',
      message: 'Error: Hook timed out in 60000ms\nmore',
      assertionResults: [],
    },
  ],
};

const playwrightReport = {
  config: { rootDir: '/repo/tests/ui' },
  suites: [
    {
      title: 'checkout.spec.ts',
      file: 'checkout.spec.ts',
      specs: [
        {
          title: 'approves a payment',
          file: 'checkout.spec.ts',
          tests: [
            { projectName: 'chromium-harness', status: 'unexpected', results: [{ error: { message: 'Timed out 15000ms\ncall log' } }] },
            { projectName: 'electron', status: 'skipped', results: [{}] },
          ],
        },
      ],
      suites: [
        {
          title: 'receipts',
          file: 'checkout.spec.ts',
          specs: [
            {
              title: 'reprints',
              file: 'checkout.spec.ts',
              tests: [
                { projectName: 'chromium-harness', status: 'expected', results: [{}] },
                { projectName: 'electron', status: 'flaky', results: [{ error: { message: 'boom' } }, {}] },
              ],
            },
          ],
        },
      ],
    },
  ],
  errors: [{ message: 'Error in global setup' }],
};

describe('test report', () => {
  it('names each failed Vitest test by file and titles, and a file that failed without a failed test', () => {
    const tally = tallyVitest(vitestReport, REPO);
    expect(tally).toMatchObject({ passed: 1, failed: 3, skipped: 2 });
    expect(tally.failures.map(formatFailure)).toEqual([
      'FAILED tests/unit/a.test.ts > ledger > rejects a gap\n       AssertionError: expected 1 to be 2',
      'FAILED tests/unit/a.test.ts > slow\n       timed out (the test or one of its hooks exceeded its timeout)',
      'FAILED tests/integration/b.test.ts > (the file itself)\n       Error: Hook timed out in 60000ms',
    ]);
  });

  it('names each failed Playwright test with its project, a retried pass and errors outside tests', () => {
    const tally = tallyPlaywright(playwrightReport, REPO);
    expect(tally).toMatchObject({ passed: 1, failed: 3, skipped: 1 });
    expect(tally.failures.map(failureKey)).toEqual([
      '[chromium-harness] tests/ui/checkout.spec.ts > approves a payment',
      '[electron] tests/ui/checkout.spec.ts > receipts > reprints (passed only on retry)',
      'tests/ui > (outside any test)',
    ]);
    expect(tally.failures[0]?.message).toBe('Timed out 15000ms');
  });

  it('counts typecheck, lint, build and the bundle check as one check each', () => {
    const steps = parseSteps('ok typecheck\nnot ok lint\nok unit\nnot ok build\nok bundled-workers\nnot ok ui\n');
    const tally = tallySteps(steps);
    expect(tally).toMatchObject({ passed: 2, failed: 2 });
    expect(tally.failures.map(failureKey)).toEqual(['step lint', 'step build']);
  });

  it('counts a runner that failed while its report names no failure', () => {
    const [unit] = parseSteps('not ok unit');
    const clean = { passed: 5, failed: 0, skipped: 0, failures: [] };
    expect(unexplainedStepFailure(unit, clean, 'vitest').failures.map(failureKey)).toEqual(['step unit']);
    expect(unexplainedStepFailure(unit, tallyVitest(vitestReport, REPO), 'vitest').failed).toBe(0);
    expect(unexplainedStepFailure({ name: 'unit', ok: true }, clean, 'vitest').failed).toBe(0);
  });

  it('adds the tallies into the closing line', () => {
    const total = addTallies(tallyVitest(vitestReport, REPO), tallyPlaywright(playwrightReport, REPO));
    expect(closingLine(total)).toBe('2 passed, 6 failed, 3 skipped');
    expect(total.failures).toHaveLength(6);
  });

  it('refuses a report that is not one', () => {
    expect(() => tallyVitest({ testResults: 'no' }, REPO)).toThrow();
    expect(() => tallyPlaywright({}, REPO)).toThrow();
  });
});
