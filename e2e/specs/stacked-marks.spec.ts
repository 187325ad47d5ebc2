// The letters of the Central Highlands languages (Ê Đê, Jrai, Ba Na, Kơ Ho) stack a breve over a horn,
// circumflex or breve (ơ̆ ư̆ ô̆ ŏ̆…). On screen they must come from the bundled faces (never a system font,
// per CDP) and, in pixels, each stacked mark must stand apart from the letter and the other marks.
import type { Page } from '@playwright/test'
import type { BrowserShell } from '../fixtures/browser-shell'
import { textOnlyManifest } from '../fixtures/content'
import { capture, inkBlobs, type InkBlob } from '../fixtures/ink'
import type { Rig } from '../fixtures/rig'
import { expect, test } from '../fixtures/test'

const BREVE = '\u0306'
const BUNDLED = ['Be Vietnam Pro', 'Noto Sans']
/** Wide, unbreakable gaps between letters, so a crop around one letter never takes in its neighbour. */
const GAP = '\u00a0 \u00a0\u00a0'
/** The notice on screen (the next slide is mounted too, hidden). */
const ON_SCREEN = '.slide[data-active="true"] [data-testid="text-content"]'

const LOWER = ['ơ', 'ư', 'ŏ', 'ô', 'ă', 'ĕ', 'ê']
const UPPER = ['Ơ', 'Ư', 'Ŏ', 'Ô', 'Ă', 'Ĕ', 'Ê']
/** Each notice: pairs of (letter, letter + combining breve), in the form the text arrives in. */
const NOTICES: { name: string; bases: string[] }[] = [
  { name: 'lower case, NFC', bases: LOWER.map((b) => b.normalize('NFC')) },
  { name: 'capitals, NFC', bases: UPPER.map((b) => b.normalize('NFC')) },
  { name: 'lower case, NFD', bases: LOWER.map((b) => b.normalize('NFD')) }
]

async function startNotice(rig: Rig, page: Page, body: string): Promise<BrowserShell> {
  const shell = await rig.shell({ args: ['--content', await rig.content(textOnlyManifest('', body))] })
  await page.goto(shell.screenUrl)
  // The player shows text in NFC whatever form it arrives in.
  await expect(page.locator(`${ON_SCREEN} p`)).toHaveText(body.normalize('NFC'))
  await page.evaluate(() => document.fonts.ready)
  // FitText refits once the fonts are in; wait until two frames pass with the same size.
  await page.waitForFunction(
    (selector) =>
      new Promise<boolean>((resolve) => {
        const content = (): HTMLElement | null => document.querySelector<HTMLElement>(selector)
        const size = content()?.dataset.fitSize
        requestAnimationFrame(() => requestAnimationFrame(() => resolve(size !== undefined && size === content()?.dataset.fitSize)))
      }),
    ON_SCREEN
  )
  return shell
}

/** The fonts Chromium used for the text of every element under the notice, from DevTools (per glyph run). */
async function platformFonts(page: Page): Promise<{ familyName: string; isCustomFont: boolean; glyphCount: number }[]> {
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('DOM.enable')
  await cdp.send('CSS.enable')
  const { root } = await cdp.send('DOM.getDocument', { depth: -1 })
  const { nodeIds } = await cdp.send('DOM.querySelectorAll', { nodeId: root.nodeId, selector: `${ON_SCREEN}, ${ON_SCREEN} *` })
  const fonts: { familyName: string; isCustomFont: boolean; glyphCount: number }[] = []
  for (const nodeId of nodeIds) fonts.push(...(await cdp.send('CSS.getPlatformFontsForNode', { nodeId })).fonts)
  await cdp.detach()
  return fonts
}

/**
 * Screen boxes of the body's tokens (by character offsets in its one text node), with the font size and
 * the first face's descent (a text box ends that far below the baseline).
 */
async function tokenBoxes(page: Page, spans: [number, number][]): Promise<{ boxes: { x: number; y: number; width: number; height: number }[]; em: number; descent: number }> {
  return page.locator(`${ON_SCREEN} p`).evaluate((p, spans) => {
    const text = p.firstChild!
    const boxes = spans.map(([start, end]) => {
      const range = document.createRange()
      range.setStart(text, start)
      range.setEnd(text, end)
      const r = range.getBoundingClientRect()
      return { x: r.x, y: r.y, width: r.width, height: r.height }
    })
    const context = document.createElement('canvas').getContext('2d')!
    context.font = getComputedStyle(p).font
    return { boxes, em: parseFloat(getComputedStyle(p).fontSize), descent: context.measureText('o').fontBoundingBoxDescent }
  }, spans)
}

test('stacked breves of the Central Highlands letters are drawn in the bundled faces, each mark apart', async ({ page, rig }, testInfo) => {
  await page.setViewportSize({ width: 1920, height: 1080 })
  for (const notice of NOTICES) {
    const tokens = notice.bases.flatMap((base) => [base, base + BREVE])
    const body = tokens.join(GAP)
    // Where each letter is in the text as shown (NFC).
    const shown = tokens.map((t) => t.normalize('NFC'))
    const spans: [number, number][] = []
    for (let i = 0, at = 0; i < shown.length; at += shown[i]!.length + GAP.length, i++) spans.push([at, at + shown[i]!.length])
    const shell = await startNotice(rig, page, body)
    const fonts = await platformFonts(page)
    await testInfo.attach(`${notice.name}: platform fonts`, { body: JSON.stringify(fonts, null, 2), contentType: 'application/json' })
    expect(fonts.length, 'DevTools reports the fonts of the notice').toBeGreaterThan(0)
    const faults = fonts
      .filter((font) => !font.isCustomFont || !BUNDLED.includes(font.familyName))
      .map((font) => `${font.glyphCount} glyphs drawn in ${font.familyName}${font.isCustomFont ? '' : ', a system font'}`)

    const { image, jpeg } = await capture(page)
    await testInfo.attach(`${notice.name}.jpg`, { body: jpeg, contentType: 'image/jpeg' })
    const { boxes, em, descent } = await tokenBoxes(page, spans)
    expect(em, `${notice.name}: letters large enough to tell the marks apart`).toBeGreaterThanOrEqual(60)
    // Crop from just under the baseline up 1.3 em (the line above's letters, none with a descender, sit
    // on a baseline 1.35 em higher), 0.35 em either side (the gap between letters is about 1 em).
    const crop = (box: (typeof boxes)[number]) => {
      const baseline = box.y + box.height - descent
      return { x: box.x - 0.35 * em, y: baseline - 1.3 * em, width: box.width + 0.7 * em, height: 1.33 * em }
    }
    const report: string[] = [`font size ${em}px`]
    const top = (blobs: InkBlob[]): number => Math.min(...blobs.map((b) => b.top))
    const describe = (blobs: InkBlob[]): string => blobs.map((b) => `[${b.left},${b.top}–${b.right},${b.bottom}]`).join(' ')
    for (let i = 0; i < notice.bases.length; i++) {
      const baseCrop = crop(boxes[2 * i]!)
      const stackedCrop = crop(boxes[2 * i + 1]!)
      const base = inkBlobs(image, baseCrop)
      const stacked = inkBlobs(image, stackedCrop)
      const letter = tokens[2 * i + 1]!
      const name = `${letter} (${[...letter].map((c) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`).join(' ')})`
      report.push(`${name}: ${base.length} → ${stacked.length} blobs; top ${top(base)} → ${top(stacked)} px; ${describe(base)} → ${describe(stacked)}`)
      if (base.length === 0) faults.push(`${tokens[2 * i]}: not drawn`)
      // One more blob: the breve is there and touches neither the letter nor its other mark.
      if (stacked.length !== base.length + 1) faults.push(`${name}: ${stacked.length} blobs, expected ${base.length + 1} (breve missing or touching)`)
      // Stacked above the other marks, not beside or into them.
      if (!(top(stacked) < top(base) - 0.05 * em)) faults.push(`${name}: the breve does not rise above the other marks`)
      // Nothing reaches the crop's top or sides: no mark cut off, no neighbour taken in.
      if (stacked.some((b) => b.top === 0 || b.left === 0 || b.right >= Math.floor(stackedCrop.width) - 1)) faults.push(`${name}: ink reaches the crop's edge`)
    }
    await testInfo.attach(`${notice.name}: blobs`, { body: report.join('\n'), contentType: 'text/plain' })
    expect(faults, `${notice.name}\n${report.join('\n')}`).toEqual([])
    await shell.stop()
  }
})

test('every combining mark U+0300–U+036F is drawn in a bundled face', async ({ page, rig }, testInfo) => {
  await page.setViewportSize({ width: 1920, height: 1080 })
  const marks = Array.from({ length: 0x70 }, (_, i) => String.fromCodePoint(0x300 + i))
  const body = marks.map((mark) => `o${mark}`).join(' ')
  await startNotice(rig, page, body)
  const fonts = await platformFonts(page)
  await testInfo.attach('platform fonts', { body: JSON.stringify(fonts, null, 2), contentType: 'application/json' })
  await testInfo.attach('all-marks.jpg', { body: (await capture(page)).jpeg, contentType: 'image/jpeg' })
  for (const font of fonts) expect(font.isCustomFont, `${font.glyphCount} glyphs drawn in the system font ${font.familyName}`).toBe(true)
  expect([...new Set(fonts.map((f) => f.familyName))].sort(), 'the marks Be Vietnam Pro lacks come from the bundled Noto Sans').toEqual([...BUNDLED].sort())
})
