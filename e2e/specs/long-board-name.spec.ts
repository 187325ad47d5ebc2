// A board name of 200 characters without a space (the longest the config and protocol allow) on the
// fallback slide, in a header zone and on the pairing screen, at 1920×1080, 1080×1920, 1920×384 and
// 768×192: it wraps or shrinks but is never cut, and nothing is drawn past the screen's edges.
import type { Page, TestInfo } from '@playwright/test'
import { capture, edgeContrast } from '../fixtures/ink'
import { expect, test } from '../fixtures/test'

const SIZES: [number, number][] = [
  [1920, 1080],
  [1080, 1920],
  [1920, 384],
  [768, 192]
]
/** Tall stacked marks (Ủ, Ấ) in it too: they must not poke out either. */
const LONG_NAME = 'ỦybannhândânxãĐắkPlôngHuyệnKonPlôngTỉnhKonTumBảngTinĐiệnTửCôngCộng'.repeat(4).slice(0, 200)
/** Neighbouring pixels along an edge of the plain stage differ by a few levels; a letter cut by the edge by 100+. */
const EDGE_CONTRAST_MAX = 40

/** No content to play: the main zone shows the fallback slide; `header` adds a header band on top. */
function emptyManifest(header: boolean): object {
  return {
    schema: 'bangtin.manifest/v1',
    version: header ? 'empty-with-header' : 'empty',
    ...(header
      ? {
          layout: {
            id: 'header-main',
            zones: [
              { id: 'top', role: 'header', x: 0, y: 0, width: 1, height: 0.12 },
              { id: 'main', role: 'main', x: 0, y: 0.12, width: 1, height: 0.88 }
            ]
          }
        }
      : {}),
    playlists: [],
    assets: []
  }
}

interface NameLayout {
  text: string
  fontSize: number
  /** Union of the name's line boxes on screen. */
  box: { left: number; top: number; right: number; bottom: number }
  /** Content the element hides (scroll size past its client size), 0 when none. */
  hidden: number
  textOverflow: string
}

async function nameLayout(page: Page, selector: string): Promise<NameLayout> {
  return page.locator(selector).evaluate((element) => {
    const range = document.createRange()
    range.selectNodeContents(element)
    const rects = [...range.getClientRects()].filter((r) => r.width > 0)
    const style = getComputedStyle(element)
    return {
      text: element.textContent ?? '',
      fontSize: parseFloat(style.fontSize),
      box: {
        left: Math.min(...rects.map((r) => r.left)),
        top: Math.min(...rects.map((r) => r.top)),
        right: Math.max(...rects.map((r) => r.right)),
        bottom: Math.max(...rects.map((r) => r.bottom))
      },
      hidden: Math.max(element.scrollWidth - element.clientWidth, element.scrollHeight - element.clientHeight, 0),
      textOverflow: style.textOverflow
    }
  })
}

/** Checks one screen at every size, adding a line per size to `lines` (the report) before checking. */
async function checkAtEverySize(page: Page, testInfo: TestInfo, screen: string, selector: string, lines: string[]): Promise<void> {
  for (const [width, height] of SIZES) {
    await page.setViewportSize({ width, height })
    await page.evaluate(() => document.fonts.ready)
    // The name settles at its size within a few frames of a resize.
    await expect.poll(async () => (await nameLayout(page, selector)).hidden, { message: `${screen} ${width}×${height}: the name hides nothing` }).toBe(0)
    const layout = await nameLayout(page, selector)
    const { image, jpeg } = await capture(page)
    await testInfo.attach(`${screen}-${width}x${height}.jpg`, { body: jpeg, contentType: 'image/jpeg' })
    const edges = edgeContrast(image)
    const where = `${screen} ${width}×${height}`
    lines.push(`${where}: font ${layout.fontSize}px, name box x ${Math.round(layout.box.left)}…${Math.round(layout.box.right)}, y ${Math.round(layout.box.top)}…${Math.round(layout.box.bottom)}; edge contrast ${JSON.stringify(edges)}`)
    expect(layout.text, `${where}: the whole name is there`).toBe(LONG_NAME)
    expect(layout.textOverflow, `${where}: no ellipsis`).not.toBe('ellipsis')
    expect(layout.box.left, `${where}: name starts inside the screen`).toBeGreaterThanOrEqual(0)
    expect(layout.box.top, `${where}: name starts inside the screen`).toBeGreaterThanOrEqual(0)
    expect(layout.box.right, `${where}: name ends inside the screen`).toBeLessThanOrEqual(width)
    expect(layout.box.bottom, `${where}: name ends inside the screen`).toBeLessThanOrEqual(height)
    expect(layout.fontSize, `${where}: still a readable size`).toBeGreaterThanOrEqual(6)
    for (const [edge, contrast] of Object.entries(edges)) expect(contrast, `${where}: something drawn across the ${edge} edge`).toBeLessThanOrEqual(EDGE_CONTRAST_MAX)
  }
}

test('a 200-character board name without spaces stays whole and inside the screen', async ({ page, rig }, testInfo) => {
  const report: string[] = []
  rig.defer('attach the layout report', () => testInfo.attach('layout.txt', { body: report.join('\n'), contentType: 'text/plain' }))
  for (const header of [false, true]) {
    const shell = await rig.shell({ args: ['--board-name', LONG_NAME, '--content', await rig.content(emptyManifest(header))] })
    await page.goto(shell.screenUrl)
    await expect(page.getByTestId('fallback-slide')).toBeVisible()
    await checkAtEverySize(page, testInfo, header ? 'fallback-under-header' : 'fallback', '.fallback-board', report)
    if (header) await checkAtEverySize(page, testInfo, 'header', '.header-board', report)
    await shell.stop()
  }

  const server = await rig.server()
  const shell = await rig.shell({ server, args: ['--board-name', LONG_NAME] })
  await page.goto(shell.screenUrl)
  await expect(page.getByTestId('pairing-code')).toBeVisible()
  await checkAtEverySize(page, testInfo, 'pairing', '.pairing-board', report)
})
