// What a technician and a new board see: the status overlay (Ctrl+Alt+I) with the real status from
// the core, the first-sync progress bar while the first content downloads, and the remote set-volume
// and reload commands, all through the browser shell and the reference source server.
import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type { Page } from '@playwright/test'
import jpeg from 'jpeg-js'
import type { TestServer } from '../../server/testing/test-server'
import type { BrowserShell } from '../fixtures/browser-shell'
import type { Rig } from '../fixtures/rig'
import { ScreenPage } from '../pages/screen-page'
import { expect, test } from '../fixtures/test'

const run = promisify(execFile)

interface Board {
  server: TestServer
  shell: BrowserShell
  deviceId: string
  screen: ScreenPage
}

/** A reference server with one device and `manifest` published, and a browser shell paired to it (on the rig). */
async function startBoard(rig: Rig, page: Page, name: string, manifest: object, files = new Map<string, Buffer>(), beforeShell?: (server: TestServer) => void): Promise<Board> {
  const server = await rig.server()
  const device = server.addDevice(name, `token-${name}-0123456789`)
  server.publish(manifest, files)
  beforeShell?.(server)
  const shell = await rig.shell({ server, device })
  return { server, shell, deviceId: device.deviceId, screen: new ScreenPage(page) }
}

function manifestOf(version: string, items: object[], assets: object[] = []): object {
  return { schema: 'bangtin.manifest/v1', version, board: { name: 'UBND xã Phú An' }, playlists: [{ id: 'main', name: 'Chính', items }], assets }
}

const notice = { id: 'tin-1', kind: 'text', title: 'Lịch tiếp công dân', body: 'Chủ tịch Ủy ban nhân dân xã tiếp công dân vào sáng thứ Năm hằng tuần.', durationSec: 600 }

function assetFor(bytes: Buffer, mime: string, url: string): { sha256: string; size: number; mime: string; url: string } {
  return { sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length, mime, url }
}

/** A real JPEG of ~3 MB (seeded noise compresses badly), so a throttled download takes a while. */
function bigJpeg(): Buffer {
  const width = 1600
  const height = 1000
  const data = Buffer.alloc(width * height * 4)
  let x = 1
  for (let i = 0; i < data.length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) & 0x7fffffff
    data[i] = x >> 23
  }
  return Buffer.from(jpeg.encode({ data, width, height }, 90).data)
}

/**
 * Every element matching `selector`, and every line of text in it, that is not wholly inside the
 * viewport (or is cut by an ancestor that hides overflow): what a viewer would miss.
 */
function cutOff(page: Page, selector: string): Promise<string[]> {
  return page.evaluate((sel) => {
    const problems: string[] = []
    const elements = [...document.querySelectorAll(sel)]
    if (elements.length === 0) return [`nothing matches ${sel}`]
    const inside = (r: DOMRect, box: { left: number; top: number; right: number; bottom: number }): boolean =>
      r.left >= box.left - 0.5 && r.top >= box.top - 0.5 && r.right <= box.right + 0.5 && r.bottom <= box.bottom + 0.5
    const viewport = { left: 0, top: 0, right: window.innerWidth, bottom: window.innerHeight }
    for (const element of elements) {
      const boxes = [viewport]
      for (let up = element.parentElement; up; up = up.parentElement) if (getComputedStyle(up).overflow !== 'visible') boxes.push(up.getBoundingClientRect())
      const rects = [element.getBoundingClientRect()]
      const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT)
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const range = document.createRange()
        range.selectNodeContents(node)
        rects.push(...[...range.getClientRects()].filter((r) => r.width > 0))
      }
      for (const r of rects) {
        if (!boxes.every((box) => inside(r, box))) problems.push(`${(element.textContent ?? '').slice(0, 40)} at ${Math.round(r.left)},${Math.round(r.top)} ${Math.round(r.width)}×${Math.round(r.height)}`)
      }
    }
    return problems.slice(0, 10)
  }, selector)
}

/** Full HD, portrait, and the wide, short LED strips. */
const SIZES = [
  [1920, 1080],
  [1080, 1920],
  [1920, 384],
  [768, 192]
] as const

const fontSizeOf = (page: Page, selector: string): Promise<number> => page.locator(selector).evaluate((el) => parseFloat(getComputedStyle(el).fontSize))

test('the status overlay opens on Ctrl+Alt+I with the real status, fits the screen, and closes', async ({ page, rig }, testInfo) => {
  const board = await startBoard(rig, page, 'bang-trang-thai', manifestOf('v1', [notice]))
  const { screen, server, deviceId } = board
  await page.setViewportSize({ width: 1920, height: 1080 })
  await page.clock.install()
  await page.goto(board.shell.screenUrl)
  await expect(screen.activeSlide).toContainText('Lịch tiếp công dân')
  await expect(screen.statusOverlay).toHaveCount(0)

  await page.keyboard.press('Control+Alt+KeyI')
  await expect(screen.statusOverlay).toBeVisible()
  await expect(screen.statusRow('device')).toContainText('Mã thiết bị / Device ID')
  await expect(screen.statusRow('device')).toContainText(deviceId)
  await expect(screen.statusRow('server')).toContainText('Máy chủ / Server')
  await expect(screen.statusRow('server')).toContainText(server.url)
  await expect(screen.statusRow('network')).toContainText('Đã kết nối / Connected')
  await expect(screen.statusRow('version')).toContainText('v1')
  await expect(screen.statusRow('now')).toContainText('Đang chiếu / On screen now')
  await expect(screen.statusRow('now')).toContainText('tin-1')
  // The full version from the client hints, not the reduced user agent's "156.0.0.0".
  await expect(screen.statusRow('browser')).toContainText(/Chromium \d+\.\d+\.[1-9]\d*\.\d+/)
  await page.evaluate(() => document.fonts.ready)

  // Every row, every line of it, inside the screen on every shape of board (1920×1080 first: as opened).
  const fonts: string[] = []
  for (const [width, height] of SIZES) {
    await page.setViewportSize({ width, height })
    await expect.poll(() => cutOff(page, '[data-testid="status-row"]'), { message: `${width}×${height}: rows cut off` }).toEqual([])
    const font = await fontSizeOf(page, '[data-testid="status-overlay"]')
    expect(font, `${width}×${height}: type too small`).toBeGreaterThanOrEqual(7)
    fonts.push(`${width}×${height}: ${font}px`)
    await testInfo.attach(`overlay-${width}x${height}`, { body: await page.screenshot(), contentType: 'image/png' })
  }
  testInfo.annotations.push({ type: 'overlay type size', description: fonts.join(', ') })

  await page.keyboard.press('Escape')
  await expect(screen.statusOverlay).toHaveCount(0)
  // The chord toggles; left open, the overlay hides by itself after two minutes.
  await page.keyboard.press('Control+Alt+KeyI')
  await expect(screen.statusOverlay).toBeVisible()
  await page.keyboard.press('Control+Alt+KeyI')
  await expect(screen.statusOverlay).toHaveCount(0)
  await page.keyboard.press('Control+Alt+KeyI')
  await expect(screen.statusOverlay).toBeVisible()
  await page.clock.fastForward(119_000)
  await expect(screen.statusOverlay).toBeVisible()
  await page.clock.fastForward(2_000)
  await expect(screen.statusOverlay).toHaveCount(0)
})

test('a new board shows first-sync progress while its content downloads, then the content', async ({ page, rig }, testInfo) => {
  const picture = bigJpeg()
  const asset = assetFor(picture, 'image/jpeg', 'anh-lon.jpg')
  const manifest = manifestOf('v1', [{ id: 'anh-lon', kind: 'image', asset: asset.sha256, durationSec: 600 }], [asset])
  // Throttled from the first byte (~25 s for the whole file, lifted once the bar is checked): the
  // board has nothing else to play meanwhile.
  const board = await startBoard(rig, page, 'bang-moi', manifest, new Map([[asset.sha256, picture]]), (server) => (server.faults.assetBytesPerSec = 120_000))
  const { screen, server } = board
  await page.setViewportSize({ width: 1920, height: 1080 })
  await page.goto(board.shell.screenUrl)
  const progress = screen.firstSyncProgress
  await expect(progress).toBeVisible()
  await expect(progress).toContainText('Đang tải nội dung lần đầu… / Downloading content for the first time…')
  await expect(progress).toContainText(/\d+ % · 0\/1 mục · [\d,]+ (B|kB|MB) \/ 3(,\d)? MB/)
  const first = Number(await progress.getAttribute('aria-valuenow'))
  await expect.poll(async () => Number(await progress.getAttribute('aria-valuenow')), { message: 'the percent rises' }).toBeGreaterThan(first)
  expect(Number(await progress.getAttribute('aria-valuenow'))).toBeLessThan(100)

  for (const [width, height] of SIZES) {
    await page.setViewportSize({ width, height })
    await expect(progress).toBeVisible()
    expect(await cutOff(page, '[data-testid="fallback-slide"] > *'), `${width}×${height}: fallback cut off`).toEqual([])
    await testInfo.attach(`first-sync-${width}x${height}`, { body: await page.screenshot(), contentType: 'image/png' })
  }

  // Full speed: the download completes and the content replaces the fallback and its bar.
  server.faults.assetBytesPerSec = null
  await expect(page.locator('.slide[data-item-id="anh-lon"][data-active="true"] img')).toBeVisible({ timeout: 20_000 })
  await expect(progress).toHaveCount(0)
})

test('set-volume applies to the playing video at once, without restarting it', async ({ page, rig }) => {
  // A 20 s clip with a tone: long enough that it cannot loop back during the test.
  const dir = await rig.tempDir('bangtin-volume-')
  const file = join(dir, 'tone.mp4')
  const tone = ['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000', '-c:a', 'aac']
  await run('ffmpeg', ['-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=25', ...tone, '-t', '20', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-movflags', '+faststart', file])
  const clip = await readFile(file)
  const asset = assetFor(clip, 'video/mp4', 'tone.mp4')
  const manifest = manifestOf('v1', [{ id: 'phim', kind: 'video', asset: asset.sha256, muted: false, volume: 0.8, durationSec: 600 }], [asset])
  const board = await startBoard(rig, page, 'bang-am-luong', manifest, new Map([[asset.sha256, clip]]))
  const { screen, server } = board
  await page.goto(board.shell.screenUrl)
  const video = screen.activeSlide.locator('video')
  await expect.poll(() => screen.videoTime(), { timeout: 15_000 }).toBeGreaterThan(0.5)
  expect(await video.evaluate((v) => (v as HTMLVideoElement).volume)).toBeCloseTo(0.8, 5)
  await video.evaluate((v) => ((v as HTMLVideoElement & { marked?: boolean }).marked = true))
  const before = await screen.videoTime()

  await expect.poll(() => server.connectedDevices()).toContain(board.deviceId)
  const command = server.command('set-volume', { volume: 0.3 })
  await expect.poll(() => video.evaluate((v) => (v as HTMLVideoElement).volume)).toBeCloseTo(0.24, 5)
  // The same element, still running from where it was: no reload, no restart.
  expect(await video.evaluate((v) => (v as HTMLVideoElement & { marked?: boolean }).marked === true && !(v as HTMLVideoElement).paused)).toBe(true)
  const after = await screen.videoTime()
  expect(after).toBeGreaterThan(before)
  await expect.poll(() => screen.videoTime()).toBeGreaterThan(after)
  await expect
    .poll(() => server.acks.map((a) => a.ack as { kind: string; id: string; ok: boolean }))
    .toContainEqual(expect.objectContaining({ kind: 'command', id: command.id, ok: true }))
})

test('reload reloads the screen page, which comes back with its content', async ({ page, rig }) => {
  const board = await startBoard(rig, page, 'bang-tai-lai', manifestOf('v1', [notice]))
  const { screen, server } = board
  await page.goto(board.shell.screenUrl)
  await expect(screen.activeSlide).toContainText('Lịch tiếp công dân')
  await expect.poll(() => server.connectedDevices()).toContain(board.deviceId)
  await page.evaluate(() => ((window as Window & { beforeReload?: boolean }).beforeReload = true))

  const loaded = page.waitForEvent('load')
  const command = server.command('reload')
  await loaded
  expect(await page.evaluate(() => (window as Window & { beforeReload?: boolean }).beforeReload ?? false)).toBe(false)
  await expect(screen.activeSlide).toContainText('Lịch tiếp công dân')
  await expect
    .poll(() => server.acks.map((a) => a.ack as { kind: string; id: string; ok: boolean }))
    .toContainEqual(expect.objectContaining({ kind: 'command', id: command.id, ok: true }))
})
