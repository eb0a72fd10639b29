// Closing lines of scripts/test-all.sh: every failed check by name (file and title), then one
// line "N passed, N failed, N skipped", so that a red run is readable from its last lines.
// Also writes the failures as JSON for scripts/test-stress.ts, which counts them over runs.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  addTallies,
  closingLine,
  formatFailure,
  parseSteps,
  tallyPlaywright,
  tallySteps,
  tallyVitest,
  unexplainedStepFailure,
  type Tally,
} from './test-report/results';

const REPO = path.resolve(import.meta.dirname, '..');
const [stepsFile, vitestFile, playwrightFile, deskFile, failuresFile] = process.argv.slice(2);
if (!stepsFile || !vitestFile || !playwrightFile || !deskFile || !failuresFile) {
  console.error('usage: summarize-tests.ts STEPS VITEST_JSON PLAYWRIGHT_JSON DESK_PLAYWRIGHT_JSON FAILURES_OUT');
  process.exit(2);
}

function runnerReport(file: string, runner: string, tally: (json: unknown) => Tally): Tally {
  const missing: Tally = {
    passed: 0,
    failed: 1,
    skipped: 0,
    failures: [{ where: file, title: '', message: `${runner} wrote no results` }],
  };
  if (!existsSync(file)) return missing;
  try {
    return tally(JSON.parse(readFileSync(file, 'utf8')));
  } catch (error) {
    return { ...missing, failures: [{ where: file, title: '', message: `unreadable ${runner} report: ${String(error)}` }] };
  }
}

const steps = parseSteps(readFileSync(stepsFile, 'utf8'));
const vitest = runnerReport(vitestFile, 'vitest', (json) => tallyVitest(json, REPO));
const playwright = runnerReport(playwrightFile, 'playwright', (json) => tallyPlaywright(json, REPO));
const desk = runnerReport(deskFile, 'playwright (desk)', (json) => tallyPlaywright(json, REPO));
const total = addTallies(
  tallySteps(steps),
  vitest,
  unexplainedStepFailure(
    steps.find((s) => s.name === 'unit'),
    vitest,
    'vitest',
  ),
  playwright,
  unexplainedStepFailure(
    steps.find((s) => s.name === 'ui'),
    playwright,
    'playwright',
  ),
  desk,
  unexplainedStepFailure(
    steps.find((s) => s.name === 'desk'),
    desk,
    'playwright (desk)',
  ),
);

writeFileSync(failuresFile, `${JSON.stringify(total.failures, null, 2)}\n`);
if (total.failures.length > 0) {
  console.log(`\n${total.failures.length} failed:`);
  for (const failure of total.failures) console.log(formatFailure(failure));
}
console.log(closingLine(total));
process.exit(total.failed > 0 ? 1 : 0);
