// npm test's closing line: a failed stage is never summed up as "0 failed".
import { describe, expect, it } from 'vitest'
// @ts-expect-error: a plain .mjs script without types
import { summaryLine } from '../../scripts/test-summary.mjs'

const vitest = (passed: number, failed: number) => ({ numPassedTests: passed, numFailedTests: failed, numPendingTests: 0 })
const playwright = (expected: number, unexpected: number, skipped = 0) => ({ stats: { expected, unexpected, flaky: 0, skipped } })

describe('summaryLine', () => {
  it('adds both runners when every stage passed', () => {
    expect(summaryLine({ vitest: vitest(590, 0), playwright: playwright(20, 0, 8) })).toBe('total: 610 passed, 0 failed, 8 skipped')
  })

  it('counts a unit stage that failed with no failing test (an unhandled error) as a failure', () => {
    expect(summaryLine({ vitest: vitest(590, 0), failedStage: 'unit' })).toBe('total: 590 passed, 1 failed, 0 skipped')
  })

  it('counts lint, type-check and build failures', () => {
    for (const stage of ['lint', 'typecheck', 'build']) expect(summaryLine({ failedStage: stage })).toBe('total: 0 passed, 1 failed, 0 skipped')
  })

  it('does not count a stage twice when its failing tests already say so', () => {
    expect(summaryLine({ vitest: vitest(580, 3), failedStage: 'unit' })).toBe('total: 580 passed, 3 failed, 0 skipped')
    expect(summaryLine({ vitest: vitest(590, 0), playwright: playwright(19, 1), failedStage: 'e2e' })).toBe('total: 609 passed, 1 failed, 0 skipped')
  })
})
