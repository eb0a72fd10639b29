// Adds up the results of every step of scripts/test-all.sh into one closing line.
import { existsSync, readFileSync } from 'node:fs';

const [stepsFile, vitestFile, playwrightFile] = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;

for (const line of readFileSync(stepsFile, 'utf8').split('\n')) {
  // typecheck, lint and build count as one check each; the test runners count their tests.
  const step = /^(ok|not ok) (typecheck|lint|build)$/.exec(line);
  if (step?.[1] === 'ok') passed++;
  else if (step) failed++;
}

if (existsSync(vitestFile)) {
  const v = JSON.parse(readFileSync(vitestFile, 'utf8'));
  passed += v.numPassedTests;
  failed += v.numFailedTests;
  skipped += v.numPendingTests + v.numTodoTests;
  if (v.numTotalTestSuites > 0 && v.numTotalTests === 0) failed++;
} else {
  console.log('summary: vitest wrote no results');
  failed++;
}

if (existsSync(playwrightFile)) {
  const p = JSON.parse(readFileSync(playwrightFile, 'utf8'));
  passed += p.stats.expected + p.stats.flaky;
  failed += p.stats.unexpected;
  skipped += p.stats.skipped;
} else {
  console.log('summary: playwright wrote no results');
  failed++;
}

console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
