// `npm test`: every check in order (lint, type-check, unit, build, e2e), then one summary line.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ensureDebianPackages, ensureNpmPackages } from './ensure-system.mjs'
import { summaryLine } from './test-summary.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))
const reports = join(root, 'test-results')
mkdirSync(reports, { recursive: true })
// Reports of an earlier run must not be counted as this run's.
for (const report of ['vitest.json', 'playwright.json']) rmSync(join(reports, report), { force: true })
ensureNpmPackages()
ensureDebianPackages('test')

const started = Date.now()
const steps = [
  ['lint', 'npx', ['eslint', '--max-warnings=0', '.']],
  ['typecheck', 'npm', ['run', '--silent', 'typecheck']],
  ['unit', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${join(reports, 'vitest.json')}`]],
  ['build', 'npx', ['electron-vite', 'build']],
  // The web console (out/console), which the console e2e specs load from the server.
  ['build console', 'npm', ['run', '--silent', 'build:console']],
  ['e2e', 'npx', ['playwright', 'test']]
]
for (const [index, [name, command, args]] of steps.entries()) {
  const stepStart = Date.now()
  console.log(`\n== ${name}: ${command} ${args.join(' ')}`)
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' })
  console.log(`== ${name}: ${result.status === 0 ? 'ok' : 'FAILED'} in ${((Date.now() - stepStart) / 1000).toFixed(1)} s`)
  if (result.status !== 0) {
    summary(name, steps.slice(index + 1).map(([later]) => later))
    process.exit(result.status || 1)
  }
}
summary()

/** One closing line with the counts of both runners, so a reader (or CI) sees the whole suite at once. */
function summary(failedStage = null, notRun = []) {
  const read = (name) => (existsSync(join(reports, name)) ? JSON.parse(readFileSync(join(reports, name), 'utf8')) : null)
  const playwright = read('playwright.json')
  if (playwright) printSkipReasons(playwright)
  if (failedStage) console.log(`\nstage failed: ${failedStage}${notRun.length ? `; not run: ${notRun.join(', ')}` : ''}`)
  console.log(`\nall tests in ${((Date.now() - started) / 1000).toFixed(0)} s`)
  console.log(summaryLine({ vitest: read('vitest.json'), playwright, failedStage }))
}

/** A skipped test must say why: list each reason once, with how many tests it skipped. */
function printSkipReasons(report) {
  const reasons = new Map()
  const visit = (suite) => {
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests ?? []) {
        if (test.status !== 'skipped') continue
        const reason = test.annotations?.find((a) => a.type === 'skip')?.description ?? '(no reason given)'
        reasons.set(reason, (reasons.get(reason) ?? 0) + 1)
      }
    }
    for (const child of suite.suites ?? []) visit(child)
  }
  for (const suite of report.suites ?? []) visit(suite)
  for (const [reason, count] of reasons) console.log(`skipped ${count} e2e test(s): ${reason}`)
}
