// Bad files on screen, in Debian Chromium through the browser shell: broken items are skipped without
// restarting the playlist (every good item in order, each for its full turn), an image bomb is refused
// before anything decodes it, and proof of play starts at the frame that paints the picture.
import type { Page } from '@playwright/test'
import jpeg from 'jpeg-js'
import type { BrowserShell, LogRecord } from '../fixtures/browser-shell'
import { assetFor, bombPng, garbled, solidPng, stripedPng, truncated } from '../fixtures/images'
import { ScreenPage } from '../pages/screen-page'
import { expect, test } from '../fixtures/test'

const text = (id: string, durationSec: number) => ({ id, kind: 'text', title: id, body: `Bản tin ${id}`, durationSec })
const image = (id: string, sha256: string, durationSec: number) => ({ id, kind: 'image', asset: sha256, durationSec, fit: 'contain' })
const played = (shell: BrowserShell): LogRecord[] => shell.log.filter((r) => r.message === 'item played')
const failed = (shell: BrowserShell): LogRecord[] => shell.log.filter((r) => r.message === 'item failed on screen')

/** The colour at the centre of what the page shows now (a real capture of the rendered page). */
async function centreColour(page: Page): Promise<[number, number, number]> {
  const shot = jpeg.decode(await page.screenshot({ type: 'jpeg', quality: 95 }), { useTArray: true })
  const i = (Math.floor(shot.height / 2) * shot.width + Math.floor(shot.width / 2)) * 4
  return [shot.data[i]!, shot.data[i + 1]!, shot.data[i + 2]!]
}

const near = (colour: number[], expected: number[]): boolean => colour.every((c, i) => Math.abs(c - expected[i]!) <= 24)

test('broken files are skipped: every good item plays in order for its full turn, the playlist never restarts', async ({ page, rig }, testInfo) => {
  const red = solidPng(320, 180, [220, 30, 30])
  const green = solidPng(320, 180, [30, 200, 60])
  const cut = truncated(stripedPng(640, 360))
  const mangled = garbled(stripedPng(480, 270))
  const corruptVideo = Buffer.concat([Buffer.from('\x00\x00\x00\x18ftypmp42'), Buffer.alloc(50_000, 7)])
  const assets = {
    red: assetFor(red, 'image/png', 'red.png'),
    green: assetFor(green, 'image/png', 'green.png'),
    cut: assetFor(cut, 'image/png', 'cut.png'),
    mangled: assetFor(mangled, 'image/png', 'mangled.png'),
    video: assetFor(corruptVideo, 'video/mp4', 'broken.mp4')
  }
  const items = [
    text('tin-1', 1.5),
    image('do', assets.red.sha256, 1.5),
    { id: 'video-hong', kind: 'video', asset: assets.video.sha256 },
    text('tin-2', 1.5),
    image('anh-cut', assets.cut.sha256, 1.5),
    image('xanh', assets.green.sha256, 1.5),
    image('anh-rac', assets.mangled.sha256, 1.5),
    text('tin-3', 1.5)
  ]
  const good = ['tin-1', 'do', 'tin-2', 'xanh', 'tin-3']
  const content = await rig.content(
    { schema: 'bangtin.manifest/v1', version: 'bad-files', playlists: [{ id: 'p', name: 'p', items }], assets: Object.values(assets) },
    { 'red.png': red, 'green.png': green, 'cut.png': cut, 'mangled.png': mangled, 'broken.mp4': corruptVideo }
  )
  const shell = await rig.shell({ args: ['--content', content] })
  await page.setViewportSize({ width: 1280, height: 720 })
  await page.goto(shell.screenUrl)
  // Each failure makes the core set the file aside and send a new program: the rotation must go on.
  const screen = new ScreenPage(page)
  await expect(screen.activeSlide).toHaveAttribute('data-item-id', 'xanh', { timeout: 30_000 })
  // A picture, not only a DOM node: the green image is what is on screen.
  await expect.poll(async () => near(await centreColour(page), [30, 200, 60]), { timeout: 10_000 }).toBe(true)
  await page.screenshot({ path: testInfo.outputPath('good-item-on-screen.png') })
  // Two full rounds of the good items, whatever the timing of each failure.
  await expect.poll(() => played(shell).length, { timeout: 60_000 }).toBeGreaterThanOrEqual(good.length * 2)
  const records = played(shell)
  expect(records.map((r) => r.itemId)).toEqual(Array.from({ length: records.length }, (_, i) => good[i % good.length]))
  for (const record of records) {
    // Turns are timed from the first painted frame and end on a later frame: never short.
    expect((record.endedAt as number) - (record.startedAt as number), `turn of ${String(record.itemId)}`).toBeGreaterThanOrEqual(1500 - 2)
  }
  const failures = failed(shell)
  expect(new Set(failures.map((f) => f.itemId))).toEqual(new Set(['video-hong', 'anh-cut', 'anh-rac']))
  expect(failures.every((f) => f.cause === 'broken')).toBe(true)
  expect(failures.find((f) => f.itemId === 'anh-cut')?.reason).toMatch(/image is damaged/)
})

test('an image bomb is refused before it is decoded, reported, and the next item shows', async ({ page, rig }) => {
  const bomb = bombPng(16_000)
  const blue = solidPng(320, 180, [30, 60, 220])
  const assets = { bomb: assetFor(bomb, 'image/png', 'bomb.png'), blue: assetFor(blue, 'image/png', 'blue.png') }
  const content = await rig.content(
    {
      schema: 'bangtin.manifest/v1',
      version: 'bomb',
      playlists: [{ id: 'p', name: 'p', items: [text('truoc', 2), image('bom', assets.bomb.sha256, 2), image('xanh-duong', assets.blue.sha256, 2)] }],
      assets: Object.values(assets)
    },
    { 'bomb.png': bomb, 'blue.png': blue }
  )
  const shell = await rig.shell({ args: ['--content', content] })
  await page.setViewportSize({ width: 1280, height: 720 })
  await page.goto(shell.screenUrl)
  const failure = await shell.waitForLog((r) => r.message === 'item failed on screen' && r.itemId === 'bom', 30_000)
  expect(failure.cause).toBe('broken')
  expect(failure.reason).toMatch(/image too large to show: 16000×16000 px/)
  expect(failure.reason).toMatch(/ảnh quá lớn/)
  await expect(new ScreenPage(page).activeSlide).toHaveAttribute('data-item-id', 'xanh-duong', { timeout: 30_000 })
  await expect.poll(async () => near(await centreColour(page), [30, 60, 220]), { timeout: 10_000 }).toBe(true)
  await expect.poll(() => played(shell).length, { timeout: 30_000 }).toBeGreaterThanOrEqual(3)
  const records = played(shell)
  expect(records.slice(0, 3).map((r) => r.itemId)).toEqual(['truoc', 'xanh-duong', 'truoc'])
  for (const record of records) expect((record.endedAt as number) - (record.startedAt as number)).toBeGreaterThanOrEqual(2000 - 2)
  expect(records.some((r) => r.itemId === 'bom')).toBe(false)
})

test('proof of play of the first item starts when its picture is painted, not when its turn began', async ({ page, rig }) => {
  const green = solidPng(320, 180, [30, 200, 60])
  const asset = assetFor(green, 'image/png', 'green.png')
  const content = await rig.content(
    {
      schema: 'bangtin.manifest/v1',
      version: 'first',
      playlists: [{ id: 'p', name: 'p', items: [image('dau-tien', asset.sha256, 1), text('sau', 1)] }],
      assets: [asset]
    },
    { 'green.png': green }
  )
  const shell = await rig.shell({ args: ['--content', content] })
  // The image's bytes are held back until the turn has visibly begun; they arrive at `releasedAt`.
  let release: () => void = () => undefined
  const held = new Promise<void>((resolve) => (release = resolve))
  let releasedAt = Infinity
  await page.route(`**/media/${asset.sha256}`, async (route) => {
    await held
    await route.continue()
  })
  // Not waiting for the load event: the page's own first picture is among what it waits for.
  await page.goto(shell.screenUrl, { waitUntil: 'domcontentloaded' })
  await expect(new ScreenPage(page).activeSlide).toHaveAttribute('data-item-id', 'dau-tien')
  // Frames go by with the turn begun and nothing of the image to show.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(resolve, 300)))))
  releasedAt = Date.now()
  release()
  const first = await shell.waitForLog((r) => r.message === 'item played' && r.itemId === 'dau-tien', 30_000)
  expect(first.startedAt as number).toBeGreaterThanOrEqual(releasedAt)
  expect((first.endedAt as number) - (first.startedAt as number)).toBeGreaterThanOrEqual(1000 - 2)
})
