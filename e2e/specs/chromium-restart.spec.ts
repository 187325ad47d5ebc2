// The browser shell restarts Chromium when it dies, and the new Chromium shows the screen again.
import { BrowserShell } from '../fixtures/browser-shell'
import { expect, test } from '../fixtures/test'

test('a killed Chromium is restarted and reconnects to the host', async ({}, testInfo) => {
  const shell = await BrowserShell.start(['--headless', '--chromium-arg=--disable-gpu'])
  try {
    const first = await shell.waitForLog((r) => r.message === 'chromium started')
    await shell.waitForLog((r) => r.message === 'screen ready', 30_000)
    process.kill(first.pid as number, 'SIGKILL')

    await shell.waitForLog((r) => r.message === 'chromium exited; restarting')
    await expect.poll(() => shell.count((r) => r.message === 'chromium started'), { timeout: 20_000 }).toBe(2)
    await expect.poll(() => shell.count((r) => r.message === 'screen ready'), { timeout: 30_000 }).toBe(2)
    const second = shell.log.filter((r) => r.message === 'chromium started')[1]!
    expect(second.pid).not.toBe(first.pid)
  } finally {
    if (testInfo.status !== testInfo.expectedStatus) {
      await testInfo.attach('browser-shell.log', { body: shell.logText(), contentType: 'text/plain' })
    }
    await shell.stop()
  }
})
