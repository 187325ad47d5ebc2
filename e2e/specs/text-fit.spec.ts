// A long Vietnamese notice on every shape of board: 1920×1080, portrait 1080×1920 and the wide, short
// LED strips 1920×384 and 768×192. Every line is inside the box on some page: nothing is ever clipped.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { DEMO_DIR, textOnlyManifest } from '../fixtures/content'
import { ScreenPage } from '../pages/screen-page'
import { expect, test } from '../fixtures/test'

const SIZES: [number, number][] = [
  [1920, 1080],
  [1080, 1920],
  [1920, 384],
  [768, 192]
]

test('a long notice is fully visible (page by page) at every resolution', async ({ page, rig }, testInfo) => {
  const demo = JSON.parse(await readFile(join(DEMO_DIR, 'manifest.json'), 'utf8'))
  const notice = demo.playlists[0].items[0] as { title: string; body: string }
  const shell = await rig.shell({ args: ['--content', await rig.content(textOnlyManifest(notice.title, notice.body))] })
  for (const [width, height] of SIZES) {
    await page.setViewportSize({ width, height })
    await page.goto(shell.screenUrl)
    const screen = new ScreenPage(page)
    await expect(screen.activeSlide).toContainText('Ủy ban nhân dân')
    await page.evaluate(() => document.fonts.ready)
    await page.waitForTimeout(200)
    const layout = await screen.textLayout()
    expect(layout.fontSize, `${width}×${height} font size`).toBeGreaterThanOrEqual(14)
    expect(layout.strayLines, `${width}×${height}: lines cut by the box or a page edge`).toEqual([])
    expect(layout.lines).toBeGreaterThan(5)
    for (let p = 0; p < layout.pages; p++) {
      await screen.showTextPage(p)
      await testInfo.attach(`${width}x${height}-page-${p + 1}-of-${layout.pages}`, { body: await page.screenshot(), contentType: 'image/png' })
    }
    if (width === 1920 && height === 1080) expect(layout.pages, 'a full HD screen fits the notice on one page').toBe(1)
    if (height <= 384) expect(layout.pages, 'a short LED strip pages the notice').toBeGreaterThan(1)
  }
})
