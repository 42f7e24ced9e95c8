// Adds up the checks, the Vitest results and the Playwright results into one closing line, and sets the exit code.
import { existsSync, readFileSync } from 'node:fs';

let passed = 0;
let failed = 0;
const lines = [];

const checks = existsSync('test-results/checks.txt') ? readFileSync('test-results/checks.txt', 'utf8').trim().split('\n').filter(Boolean) : [];
for (const line of checks) {
  const [result, name] = line.split(' ');
  if (result === 'pass') passed++;
  else failed++;
  lines.push(`  ${name}: ${result === 'pass' ? 'ok' : 'FAILED'}`);
}

if (existsSync('test-results/vitest.json')) {
  const v = JSON.parse(readFileSync('test-results/vitest.json', 'utf8'));
  passed += v.numPassedTests;
  failed += v.numFailedTests;
  lines.push(`  vitest: ${v.numPassedTests} passed, ${v.numFailedTests} failed`);
  if (v.numFailedTests === 0 && v.success === false) {
    failed++;
    lines.push('  vitest: a suite failed to load');
  }
} else {
  failed++;
  lines.push('  vitest: no results (did not run)');
}

if (existsSync('test-results/e2e-results.json')) {
  const p = JSON.parse(readFileSync('test-results/e2e-results.json', 'utf8'));
  const s = p.stats;
  passed += s.expected + s.flaky;
  failed += s.unexpected;
  lines.push(`  playwright: ${s.expected + s.flaky} passed, ${s.unexpected} failed, ${s.skipped} skipped`);
  if ((p.errors ?? []).length > 0) {
    failed++;
    lines.push(`  playwright: ${p.errors.length} error(s) outside tests (e.g. the web server did not start)`);
  }
} else {
  failed++;
  lines.push('  playwright: no results (did not run)');
}

console.log('\nSummary');
console.log(lines.join('\n'));
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
