#!/usr/bin/env bash
# The README's test command (`npm test`): type check, lint, unit and integration tests (Vitest, real PostgreSQL),
# a production build, and the end-to-end tests (Playwright, Chromium). Ends with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1
mkdir -p test-results
rm -f test-results/checks.txt test-results/vitest.json test-results/e2e-results.json

check() {
  local name="$1"; shift
  echo "── $name"
  if "$@"; then echo "pass $name" >> test-results/checks.txt; else echo "fail $name" >> test-results/checks.txt; fi
}

check typecheck npx tsc --noEmit
check lint npx eslint --max-warnings=0 .
echo "── unit and integration tests"
npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json
check build npm run --silent build
if grep -q '^pass build' test-results/checks.txt; then
  echo "── end-to-end tests"
  npx playwright test
else
  echo "── end-to-end tests skipped: the build failed"
fi
node scripts/test-summary.mjs
