import { describe, expect, it } from 'vitest';
import { countFailures, stressReport, type StressRun } from '../../../scripts/test-report/stress-table';

const flaky = { where: 'tests/unit/a.test.ts', title: 'waits | polls', message: 'timed out' };
const uiFail = { where: 'tests/ui/checkout.spec.ts', title: 'approves', project: 'chromium-harness' };

function run(n: number, loaded: boolean, failures: StressRun['failures']): StressRun {
  const failed = failures.length;
  return {
    run: n,
    loaded,
    closingLine: `10 passed, ${failed} failed, 0 skipped`,
    exitCode: failed ? 1 : 0,
    seconds: 90,
    load: { mean: 2.25, max: 3.5 },
    failures,
  };
}

describe('stress table', () => {
  it('counts each failed test once per run, split by whether the other core was loaded', () => {
    const runs = [run(1, false, [flaky, flaky]), run(2, true, [flaky, uiFail]), run(3, false, []), run(4, true, [flaky])];
    expect(countFailures(runs)).toEqual([
      { test: 'tests/unit/a.test.ts > waits | polls', idle: 1, loaded: 2 },
      { test: '[chromium-harness] tests/ui/checkout.spec.ts > approves', idle: 0, loaded: 1 },
    ]);
  });

  it('reports every run and the failure table in Markdown, escaping pipes in titles', () => {
    const report = stressReport([run(1, false, []), run(2, true, [flaky])], 10, 'abc1234');
    expect(report).toContain('Commit abc1234: 2 of 10 runs completed (1 with the other core loaded); 1 passed with 0 failures.');
    expect(report).toContain('| 2 | loaded (stress-ng --cpu 1) | 10 passed, 1 failed, 0 skipped | 1 | 1.5 | 2.3 / 3.5 |');
    expect(report).toContain('| tests/unit/a.test.ts > waits \\| polls | 0 | 1 |');
  });

  it('says so when no test failed', () => {
    expect(stressReport([run(1, false, [])], 1, 'abc1234')).toContain('No test failed in any run.');
  });
});
