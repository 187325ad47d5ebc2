// Headful (Xvfb + openbox): the screen's renderer process is killed, or stopped (a hang), under the
// real browser shell's Chromium; the shell notices and the real screen shows moving content again.
import { BrowserShell } from '../fixtures/browser-shell'
import { isAlive, screenRendererOf } from '../fixtures/chromium-processes'
import { contentFolder } from '../fixtures/content'
import { XDisplay } from '../fixtures/x-display'
import { writeFile } from 'node:fs/promises'
import type { TestInfo } from '@playwright/test'
import { expect, test } from '../fixtures/test'

const WIDTH = 1280
const HEIGHT = 720
/** The ticker zone's rows: its text crawls, so two captures of a live screen differ there. */
const TICKER_TOP = Math.round(HEIGHT * 0.85)
const MAIN_BOTTOM = Math.round(HEIGHT * 0.8)

const MANIFEST = {
  schema: 'bangtin.manifest/v1',
  version: 'recovery',
  layout: {
    id: 'chinh-va-chu-chay',
    zones: [
      { id: 'main', role: 'main', x: 0, y: 0, width: 1, height: 0.85 },
      { id: 'bottom', role: 'ticker', x: 0, y: 0.85, width: 1, height: 0.15 }
    ]
  },
  playlists: [
    { id: 'chinh', name: 'Chính', items: [{ id: 'tin', kind: 'text', title: 'Lịch tiếp công dân', body: 'Thứ Hai và thứ Năm hằng tuần.', durationSec: 600 }] },
    {
      id: 'chu-chay',
      name: 'Chữ chạy',
      zone: 'bottom',
      items: [{ id: 'chay', kind: 'ticker', text: 'Phòng, chống lụt bão — giữ an toàn cho bản thân và gia đình', durationSec: 600 }]
    }
  ],
  assets: []
}

/** Pixels (of every 4th in each direction) that changed between two captures in rows [top, bottom). */
function changedPixels(a: Buffer, b: Buffer, top: number, bottom: number): number {
  let changed = 0
  for (let y = top; y < bottom; y += 4) {
    for (let x = 0; x < WIDTH; x += 4) {
      const i = (y * WIDTH + x) * 3
      if (Math.abs(a[i]! - b[i]!) + Math.abs(a[i + 1]! - b[i + 1]!) + Math.abs(a[i + 2]! - b[i + 2]!) > 60) changed++
    }
  }
  return changed
}

/** The notice's text is drawn (bright pixels) on the stage (dark blue), in the main zone. */
function noticeShown(rgb: Buffer): boolean {
  let bright = 0
  let stage = 0
  for (let y = 0; y < MAIN_BOTTOM; y += 2) {
    for (let x = 0; x < WIDTH; x += 2) {
      const i = (y * WIDTH + x) * 3
      const [r, g, b] = [rgb[i]!, rgb[i + 1]!, rgb[i + 2]!]
      if (r + g + b > 600) bright++
      if (b > r && b > g && b >= 50 && b <= 110 && r <= 35 && g <= 65) stage++
    }
  }
  const sampled = (MAIN_BOTTOM / 2) * (WIDTH / 2)
  return bright > 500 && stage > sampled / 2
}

interface Look {
  live: boolean
  changed: number
  notice: boolean
}

/** Two captures of the real screen: live means the ticker moved between them and the notice is drawn. */
async function look(x: XDisplay, png: string): Promise<Look> {
  const first = await x.capture(png)
  const second = await x.capture(png)
  const changed = changedPixels(first, second, TICKER_TOP, HEIGHT)
  const notice = noticeShown(second)
  return { live: changed > 50 && notice, changed, notice }
}

async function recoveryTest(signal: 'SIGKILL' | 'SIGSTOP', expectedLog: string, name: string, testInfo: TestInfo): Promise<void> {
  const x = await XDisplay.start(WIDTH, HEIGHT)
  const content = await contentFolder(MANIFEST)
  const shell = await BrowserShell.start(['--content', content, '--chromium-arg=--disable-gpu'], { DISPLAY: x.display })
  let renderer: number | null = null
  try {
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
  } catch (error) {
    const log = testInfo.outputPath('browser-shell.log')
    await writeFile(log, shell.logText())
    await testInfo.attach('browser-shell.log', { path: log, contentType: 'text/plain' })
    throw error
  } finally {
    // A stopped renderer the shell did not end would otherwise outlive the test.
    if (renderer !== null && isAlive(renderer)) process.kill(renderer, 'SIGKILL')
    await shell.stop()
    await x.stop()
  }
}

test('a killed screen renderer is reported by the browser and its page reloaded: the real screen moves again', async ({}, testInfo) => {
  await recoveryTest('SIGKILL', 'screen renderer gone; reloading it', 'killed', testInfo)
})

test('a stopped (hung) screen renderer is found by its unanswered pings, ended and reloaded: the real screen moves again', async ({}, testInfo) => {
  await recoveryTest('SIGSTOP', 'screen renderer not answering; reloading it', 'hung', testInfo)
})
