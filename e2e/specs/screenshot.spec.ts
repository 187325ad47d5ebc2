// "Screenshot now" from the district centre: the browser shell captures its own Chromium over CDP,
// uploads the JPEG to the reference server, and its pixels match what Playwright sees on that page.
import { createServer } from 'node:net'
import { chromium } from '@playwright/test'
import jpeg from 'jpeg-js'
import { DEMO_DIR, assetOf } from '../fixtures/content'
import { expect, test } from '../fixtures/test'
import { join } from 'node:path'
import { readFile } from 'node:fs/promises'

interface Rgba {
  width: number
  height: number
  data: Uint8Array
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

/** Box-averages `image` down to `width`×`height` (the shell downscales the same way, near enough). */
function downscale(image: Rgba, width: number, height: number): Rgba {
  const data = new Uint8Array(width * height * 4)
  const sx = image.width / width
  const sy = image.height / height
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const sum = [0, 0, 0]
      let n = 0
      for (let yy = Math.floor(y * sy); yy < Math.min(image.height, Math.ceil((y + 1) * sy)); yy++) {
        for (let xx = Math.floor(x * sx); xx < Math.min(image.width, Math.ceil((x + 1) * sx)); xx++) {
          const i = (yy * image.width + xx) * 4
          sum[0]! += image.data[i]!
          sum[1]! += image.data[i + 1]!
          sum[2]! += image.data[i + 2]!
          n++
        }
      }
      const o = (y * width + x) * 4
      data.set([sum[0]! / n, sum[1]! / n, sum[2]! / n, 255], o)
    }
  }
  return { width, height, data }
}

/** Mean absolute difference per colour channel, 0–255. */
function meanDifference(a: Rgba, b: Rgba): number {
  let total = 0
  for (let i = 0; i < a.data.length; i += 4) {
    for (let c = 0; c < 3; c++) total += Math.abs(a.data[i + c]! - b.data[i + c]!)
  }
  return total / ((a.data.length / 4) * 3)
}

function mirrored(image: Rgba): Rgba {
  const data = new Uint8Array(image.data.length)
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      const from = (y * image.width + x) * 4
      data.set(image.data.subarray(from, from + 4), (y * image.width + (image.width - 1 - x)) * 4)
    }
  }
  return { ...image, data }
}

test('a screenshot-now command yields an uploaded JPEG whose pixels match what the page shows', async ({ rig }, testInfo) => {
  const server = await rig.server()
  const device = server.addDevice('bang-chup-man-hinh', 'token-bang-chup-man-hinh-0123456789')
  const { deviceId } = device
  // A still, colourful picture (the demo poster) for ten minutes: nothing moves between the two captures.
  const posterPath = join(DEMO_DIR, 'poster.jpg')
  const poster = await assetOf(posterPath, 'image/jpeg', 'poster.jpg')
  server.publish(
    {
      schema: 'bangtin.manifest/v1',
      version: 'chup-1',
      playlists: [{ id: 'p', name: 'p', items: [{ id: 'poster', kind: 'image', asset: poster.sha256, fit: 'cover', durationSec: 600 }] }],
      assets: [{ sha256: poster.sha256, size: poster.size, mime: poster.mime, url: poster.url }]
    },
    new Map([[poster.sha256, await readFile(posterPath)]])
  )
  const debugPort = await freePort()
  // The shell drives its Chromium over the pipe; the extra port is only so this test can look too.
  const shell = await rig.shell({
    chromium: 'headless',
    args: [`--chromium-arg=--remote-debugging-port=${debugPort}`, '--chromium-arg=--window-size=1280,807'],
    server,
    device,
    config: { screenshotIntervalSec: 0 }
  })
  await shell.waitForLog((r) => r.message === 'screen ready', 30_000)
  const browser = await chromium.connectOverCDP(`http://127.0.0.1:${debugPort}`)
  rig.defer('disconnect from the shell’s Chromium', () => browser.close().catch(() => {}))
  await expect.poll(() => server.connectedDevices()).toContain(deviceId)
  const page = browser.contexts().flatMap((c) => c.pages()).find((p) => new URL(p.url()).origin === shell.origin)
  expect(page, 'the shell’s Chromium shows the screen page').toBeTruthy()
  await expect(page!.locator('.slide[data-active="true"] img')).toBeVisible({ timeout: 30_000 })
  await page!.waitForTimeout(500)

  const command = server.command('screenshot')
  await expect
    .poll(() => server.acks.map((a) => a.ack as { kind: string; id: string; ok?: boolean; detail?: string }).find((a) => a.id === command.id), { timeout: 20_000 })
    .toMatchObject({ ok: true, detail: expect.stringMatching(/^screenshot shot-/) })
  await expect.poll(() => [...server.uploads.values()].find((u) => u.meta.kind === 'screenshot' && u.meta.commandId === command.id), { timeout: 20_000 }).toBeTruthy()
  const upload = [...server.uploads.values()].find((u) => u.meta.commandId === command.id)!
  const seen = await page!.screenshot({ type: 'jpeg', quality: 95 })
  await testInfo.attach('shell-screenshot.jpg', { body: upload.bytes, contentType: 'image/jpeg' })
  await testInfo.attach('playwright-screenshot.jpg', { body: seen, contentType: 'image/jpeg' })

  const shot = jpeg.decode(upload.bytes, { useTArray: true })
  const reference = jpeg.decode(seen, { useTArray: true })
  // Downscaled to the configured 960 px, aspect ratio kept.
  expect(shot.width).toBe(960)
  expect(upload.meta).toMatchObject({ width: shot.width, height: shot.height })
  expect(Math.abs(shot.width / shot.height - reference.width / reference.height)).toBeLessThan(0.01)
  const expected = downscale(reference, shot.width, shot.height)
  const difference = meanDifference(shot, expected)
  // The same pixels, up to JPEG and scaling noise; a mirrored picture (same colours, wrong places)
  // must score far worse, so the comparison can tell.
  const control = meanDifference(shot, mirrored(expected))
  testInfo.annotations.push({ type: 'pixel difference', description: `${difference.toFixed(2)} (mirrored: ${control.toFixed(2)})` })
  expect(difference).toBeLessThan(6)
  expect(control).toBeGreaterThan(difference * 4)
})
