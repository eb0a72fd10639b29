#!/usr/bin/env bash
# The whole test suite: type check, lint, unit and integration tests (Vitest, real SQLite files
# and a real pcscd with virtual readers), UI tests (Playwright in Chromium, and in Electron where
# its binary exists). Ends with one line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p test-results
rm -f test-results/vitest.json test-results/playwright.json test-results/playwright-desk.json test-results/failures.json
status=0

step() {
  local name=$1; shift
  echo "== $name: $*"
  local started=$SECONDS
  if "$@"; then echo "ok $name" >> test-results/steps.txt; else echo "not ok $name" >> test-results/steps.txt; status=1; fi
  # Where a slow run spent its time, readable from the log without a profiler.
  echo "== $name took $((SECONDS - started)) s"
}
: > test-results/steps.txt
step typecheck npm run -s typecheck
step lint npm run -s lint
step unit npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json
step build npx electron-vite build
# The export's worker threads start ./<name>.js next to main (src-main/export/worker-thread.ts).
step bundled-workers test -f out/main/day-part-worker.js -a -f out/main/verify-worker.js
step ui env PLAYWRIGHT_JSON_OUTPUT_NAME=test-results/playwright.json npx playwright test --reporter=list,json
# The settlement desk's page, in its own Playwright project (it serves a settlement service).
step desk env PLAYWRIGHT_JSON_OUTPUT_NAME=test-results/playwright-desk.json npx playwright test --config playwright.desk.config.ts --reporter=list,json

# Names every failed test (file and title) and ends with the line "N passed, N failed, N skipped".
npx tsx scripts/summarize-tests.ts test-results/steps.txt test-results/vitest.json test-results/playwright.json \
  test-results/playwright-desk.json test-results/failures.json || status=1
exit $status
