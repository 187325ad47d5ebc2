// The closing line of `npm test`: both runners' counts, and a failed stage never hidden behind "0 failed".

/**
 * `vitest` and `playwright` are the runners' JSON reports (null when the stage did not run). A stage
 * that failed without a failing test of its own (lint, a type error, an unhandled error that stopped
 * Vitest, a crashed runner) counts as one failure.
 */
export function summaryLine({ vitest = null, playwright = null, failedStage = null }) {
  let passed = 0
  let failed = 0
  let skipped = 0
  if (vitest) {
    passed += vitest.numPassedTests
    failed += vitest.numFailedTests
    skipped += vitest.numPendingTests + (vitest.numTodoTests ?? 0)
  }
  if (playwright) {
    passed += playwright.stats.expected + playwright.stats.flaky
    failed += playwright.stats.unexpected
    skipped += playwright.stats.skipped
  }
  const ownFailures = failedStage === 'unit' ? (vitest?.numFailedTests ?? 0) : failedStage === 'e2e' ? (playwright?.stats.unexpected ?? 0) : 0
  if (failedStage && ownFailures === 0) failed += 1
  return `total: ${passed} passed, ${failed} failed, ${skipped} skipped`
}
