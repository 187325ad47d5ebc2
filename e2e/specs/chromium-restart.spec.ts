// The browser shell restarts Chromium when it dies, and the new Chromium shows the screen again.
import { readFile } from 'node:fs/promises'
import { SHELL_TEST_CHROMIUM_FLAGS } from '../fixtures/chromium-flags'
import { expect, test } from '../fixtures/test'

test('a killed Chromium is restarted and reconnects to the host', async ({ rig }) => {
  const shell = await rig.shell({ chromium: 'headless' })
  const first = await shell.waitForLog((r) => r.message === 'chromium started')
  // The test-only flags reach the shell's Chromium from the test side (--chromium-arg), not from product code.
  const commandLine = (await readFile(`/proc/${first.pid as number}/cmdline`, 'utf8')).split('\0')
  for (const flag of SHELL_TEST_CHROMIUM_FLAGS) expect(commandLine).toContain(flag)
  await shell.waitForLog((r) => r.message === 'screen ready', 30_000)
  process.kill(first.pid as number, 'SIGKILL')

  await shell.waitForLog((r) => r.message === 'chromium exited; restarting')
  await expect.poll(() => shell.count((r) => r.message === 'chromium started'), { timeout: 20_000 }).toBe(2)
  await expect.poll(() => shell.count((r) => r.message === 'screen ready'), { timeout: 30_000 }).toBe(2)
  const second = shell.log.filter((r) => r.message === 'chromium started')[1]!
  expect(second.pid).not.toBe(first.pid)
})
