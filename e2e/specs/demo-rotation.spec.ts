// The bundled demo plays through the browser shell in Debian Chromium: text, image, video in rotation,
// each reported back to the host as played.
import { ScreenPage } from '../pages/screen-page'
import { expect, test } from '../fixtures/test'

test('demo content rotates text → image → video → text, with the video really playing', async ({ page, shell }) => {
  await page.setViewportSize({ width: 1920, height: 1080 })
  // Durations run on a controlled clock; the video's own playback still runs in real time.
  await page.clock.install()
  await page.goto(shell.screenUrl)
  const screen = new ScreenPage(page)

  await expect(screen.activeSlide).toHaveAttribute('data-item-kind', 'text')
  await expect(screen.activeSlide).toHaveAttribute('data-item-id', 'thong-bao')
  await expect(screen.activeSlide).toContainText('Ủy ban nhân dân xã')
  // The long notice is auto-fitted: wholly inside its box at 1920×1080, at a readable size.
  await page.evaluate(() => document.fonts.ready)
  const layout = await screen.textLayout()
  expect(layout).toMatchObject({ pages: 1, strayLines: [] })
  expect(layout.fontSize).toBeGreaterThanOrEqual(28)
  // The next item (the poster) is already mounted underneath, loading.
  await expect(page.locator('.slide[data-item-id="poster"][data-active="false"]')).toHaveCount(1)

  await page.clock.runFor(20_000)
  await expect(screen.activeSlide).toHaveAttribute('data-item-kind', 'image')
  const image = screen.activeSlide.locator('img')
  await expect.poll(() => image.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBe(1920)

  await page.clock.runFor(8_000)
  await expect(screen.activeSlide).toHaveAttribute('data-item-kind', 'video')
  // Frames advance: currentTime moves forward in real time.
  await expect.poll(() => screen.videoTime(), { timeout: 10_000 }).toBeGreaterThan(0.5)
  const t1 = await screen.videoTime()
  await page.waitForTimeout(1000)
  expect(await screen.videoTime()).toBeGreaterThan(t1)

  // The video plays to its end, then the greeting follows.
  await expect(screen.activeSlide).toHaveAttribute('data-item-id', 'loi-chao', { timeout: 20_000 })

  // The host heard each turn end, in order, over the real WebSocket.
  await shell.waitForLog((r) => r.message === 'item played' && r.itemId === 'clip')
  const played = shell.log.filter((r) => r.message === 'item played').map((r) => r.itemId)
  expect(played).toEqual(['thong-bao', 'poster', 'clip'])
})

test('no cursor and no scrollbars on the screen', async ({ page, shell }) => {
  await page.goto(shell.screenUrl)
  const screen = new ScreenPage(page)
  await expect(screen.activeSlide).toBeVisible()
  const style = await screen.activeSlide.evaluate((el) => ({
    cursor: getComputedStyle(el).cursor,
    overflowX: document.documentElement.scrollWidth - window.innerWidth,
    overflowY: document.documentElement.scrollHeight - window.innerHeight
  }))
  expect(style).toEqual({ cursor: 'none', overflowX: 0, overflowY: 0 })
})
