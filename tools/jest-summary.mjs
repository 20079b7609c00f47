#!/usr/bin/env node
// Prints one plain line from Jest's JSON results and exits non-zero when any
// test or test file failed, or when there are no results at all.
import { readFileSync } from 'node:fs';

const file = process.argv[2] ?? 'reports/jest-results.json';
let results;
try {
  results = JSON.parse(readFileSync(file, 'utf8'));
} catch (error) {
  console.log(`tests: no results (${file}: ${error.message})`);
  process.exit(1);
}
const passed = results.numPassedTests ?? 0;
const failed = results.numFailedTests ?? 0;
const skipped = (results.numPendingTests ?? 0) + (results.numTodoTests ?? 0);
const brokenFiles = (results.testResults ?? []).filter((r) => r.status === 'failed' && (r.assertionResults ?? []).length === 0);
for (const broken of brokenFiles) console.log(`test file failed to run: ${broken.name}`);
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || brokenFiles.length > 0 || !results.success ? 1 : 0);
