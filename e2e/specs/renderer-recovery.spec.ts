// Headful (Xvfb + openbox): the screen's renderer process is killed, or stopped (a hang), under the
// real browser shell's Chromium; the shell notices and the real screen shows moving content again.
import type { TestInfo } from '@playwright/test'
import { isAlive, screenRendererOf } from '../fixtures/chromium-processes'
import { LIVE_MANIFEST, noticeDrawn, tickerChange, tickerMoved } from '../fixtures/live-screen'
import type { Rig } from '../fixtures/rig'
import type { XDisplay } from '../fixtures/x-display'
import { expect, test } from '../fixtures/test'

const WIDTH = 1280
const HEIGHT = 720

interface Look {
  live: boolean
  changed: number
  notice: boolean
}

/** Two captures of the real screen: live means the ticker moved between them and the notice is drawn. */
async function look(x: XDisplay, png: string): Promise<Look> {
  const first = await x.capture(png)
  const second = await x.capture(png)
  const changed = tickerChange(first, second, WIDTH, HEIGHT)
  const notice = noticeDrawn(second, WIDTH, HEIGHT)
  return { live: tickerMoved(first, second, WIDTH, HEIGHT) && notice, changed, notice }
}

async function recoveryTest(rig: Rig, signal: 'SIGKILL' | 'SIGSTOP', expectedLog: string, name: string, testInfo: TestInfo): Promise<void> {
  const x = await rig.xDisplay(WIDTH, HEIGHT)
  const shell = await rig.shell({ chromium: 'window', args: ['--content', await rig.content(LIVE_MANIFEST)], env: { DISPLAY: x.display } })
  let renderer: number | null = null
  // A stopped renderer the shell did not end would otherwise outlive the test.
  rig.defer('end a stopped renderer', () => renderer !== null && isAlive(renderer) && process.kill(renderer, 'SIGKILL'))
  const chromium = await shell.waitForLog((r) => r.message === 'chromium started')
  await shell.waitForLog((r) => r.message === 'screen ready', 30_000)
  const before = testInfo.outputPath(`${name}-before.png`)
  await expect.poll(async () => (await look(x, before)).live, { timeout: 30_000 }).toBe(true)
  await testInfo.attach(`${name}-before`, { path: before, contentType: 'image/png' })

  renderer = await screenRendererOf(chromium.pid as number)
  process.kill(renderer, signal)

  // The shell says what it saw and what it did, then the screen moves again.
  await shell.waitForLog((r) => r.message === expectedLog, 30_000)
  await shell.waitForLog((r) => r.message === 'screen back', 30_000)
  const after = testInfo.outputPath(`${name}-after.png`)
  let last: Look | null = null
  await expect
    .poll(async () => (last = await look(x, after)).live, { timeout: 30_000, message: `screen not live again: ${JSON.stringify(last)}` })
    .toBe(true)
  await testInfo.attach(`${name}-after`, { path: after, contentType: 'image/png' })
  // The same Chromium: the page was brought back without restarting the browser.
  expect(shell.count((r) => r.message === 'chromium started')).toBe(1)
  expect(isAlive(renderer)).toBe(false)
}

test('a killed screen renderer is reported by the browser and its page reloaded: the real screen moves again', async ({ rig }, testInfo) => {
  await recoveryTest(rig, 'SIGKILL', 'screen renderer gone; reloading it', 'killed', testInfo)
})

test('a stopped (hung) screen renderer is found by its unanswered pings, ended and reloaded: the real screen moves again', async ({ rig }, testInfo) => {
  await recoveryTest(rig, 'SIGSTOP', 'screen renderer not answering; reloading it', 'hung', testInfo)
})
