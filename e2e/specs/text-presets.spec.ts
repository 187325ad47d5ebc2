// Text notice presets (the manifest item's style: colour scheme and size) as a browser-shell board draws
// them at 1920×1080, 1080×1920, 1920×384 and 768×192: read back by OCR, nothing across an edge, the
// background sampled from the capture is the scheme's, and `vua` sets smaller glyphs than `lon`.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { TEXT_SCHEME_COLOURS, type TextSchemeName } from '../../renderer/src/text-schemes'
import type { BrowserShell } from '../fixtures/browser-shell'
import { textOnlyManifest } from '../fixtures/content'
import { decodePng, median, ocr, type Image } from '../fixtures/pixels'
import type { Rig } from '../fixtures/rig'
import { checkEveryResolution, OUT_DIR, RESOLUTIONS, writeContactSheets } from '../fixtures/screen-truth'
import { expect, test } from '../fixtures/test'

const ALL_EDGES = ['top', 'bottom', 'left', 'right'] as const
/** The notice floor of screen-truth.spec.ts: glyph ink at least 1/42 of the short side (10 px minimum). */
const NOTICE_GLYPH = 1 / 42
const TITLE = 'Cảnh báo lũ trên sông Ba'
const BODY = 'Nước sông đang lên nhanh. Không qua ngầm tràn; đưa người già và trẻ em lên chỗ cao.'
/** A screenshot's colour may differ from the CSS one by rounding and gradient dithering. */
const COLOUR_TOLERANCE = 4

test.describe.configure({ mode: 'serial', timeout: 10 * 60_000 })
test.afterAll(async ({ browser }) => writeContactSheets(browser))

interface Seen {
  resolution: string
  topLeft: number[]
  bottomRight: number[]
  fitPx: number
  glyphPx: number
}

const hex = (colour: string): number[] => [1, 3, 5].map((i) => parseInt(colour.slice(i, i + 2), 16))
const pixel = (img: Image, x: number, y: number): number[] => [...img.rgb.subarray((y * img.width + x) * 3, (y * img.width + x) * 3 + 3)]
const near = (a: number[], b: number[]): boolean => a.every((v, i) => Math.abs(v - b[i]!) <= COLOUR_TOLERANCE)

/** What the board shows now: its corners' colours, the fitted size, and the median height of the words OCR is sure of. */
async function look(page: Page): Promise<Seen> {
  const { width, height } = page.viewportSize()!
  const image = await decodePng(await page.screenshot())
  const read = await ocr(image, undefined, 'dark-ink')
  const sure = read.words.filter((w) => w.confidence >= 60).map((w) => w.height)
  const fitPx = Number(await page.locator('.slide[data-active="true"] [data-testid="text-content"]').getAttribute('data-fit-size'))
  return { resolution: `${width}x${height}`, topLeft: pixel(image, 1, 1), bottomRight: pixel(image, width - 2, height - 2), fitPx, glyphPx: sure.length ? median(sure) : 0 }
}

/** One notice in one preset on its own shell, checked at every resolution; what it looked like, by resolution. */
async function showPreset(page: Page, rig: Rig, testInfo: Parameters<typeof checkEveryResolution>[1], scheme: TextSchemeName, size: 'lon' | 'vua'): Promise<Seen[]> {
  const manifest = textOnlyManifest(TITLE, BODY) as { playlists: { items: Record<string, unknown>[] }[] }
  manifest.playlists[0]!.items[0]!.style = { scheme, size }
  const shell: BrowserShell = await rig.shell({ args: ['--content', await rig.content(manifest)] })
  const seen: Seen[] = []
  await checkEveryResolution(page, testInfo, `preset-${scheme}-${size}`, {
    open: () => page.goto(shell.screenUrl).then(() => undefined),
    // The active slide: a one-item playlist can hold the same notice in two slides around a hand-over.
    ready: page.locator(`.slide[data-active="true"] .text-scheme[data-scheme="${scheme}"][data-size="${size}"] [data-testid="text-content"]`),
    pagedText: page.locator('.slide[data-active="true"] [data-testid="text-content"]'),
    want: async () => {
      seen.push(await look(page))
      return { text: `${TITLE}\n${BODY}`, minGlyph: NOTICE_GLYPH, cleanEdges: ALL_EDGES }
    }
  })
  await shell.stop()
  return seen
}

function expectSchemeColours(scheme: TextSchemeName, seen: Seen[]): void {
  const colours = TEXT_SCHEME_COLOURS[scheme]
  for (const s of seen) {
    // The gradient runs from the top-left corner to the bottom-right one (flat where both ends are the same).
    expect(near(s.topLeft, hex(colours.background)), `${scheme} ${s.resolution}: top-left ${s.topLeft} is ${colours.background}`).toBe(true)
    expect(near(s.bottomRight, hex(colours.background2)), `${scheme} ${s.resolution}: bottom-right ${s.bottomRight} is ${colours.background2}`).toBe(true)
  }
}

for (const scheme of Object.keys(TEXT_SCHEME_COLOURS) as TextSchemeName[]) {
  test(`scheme ${scheme}: readable, inside the screen, in its colours`, async ({ page, rig }, testInfo) => {
    const seen = await showPreset(page, rig, testInfo, scheme, 'lon')
    expect(seen.map((s) => s.resolution)).toEqual(RESOLUTIONS.map(([w, h]) => `${w}x${h}`))
    expectSchemeColours(scheme, seen)
  })
}

test('size vua: the same notice in smaller glyphs than lon, at every resolution', async ({ page, rig }, testInfo) => {
  const large = await showPreset(page, rig, testInfo, 'trang-trong', 'lon')
  const medium = await showPreset(page, rig, testInfo, 'trang-trong', 'vua')
  expectSchemeColours('trang-trong', medium)
  const report = large.map((l, i) => ({ resolution: l.resolution, lonFit: l.fitPx, vuaFit: medium[i]!.fitPx, lonGlyph: l.glyphPx, vuaGlyph: medium[i]!.glyphPx }))
  // Kept beside the contact sheets for a person to read (attachments are dropped when the test passes).
  mkdirSync(OUT_DIR, { recursive: true })
  writeFileSync(join(OUT_DIR, 'preset-sizes.json'), JSON.stringify(report, null, 2))
  for (const r of report) {
    expect(r.vuaFit, `${r.resolution}: fitted size`).toBeLessThan(r.lonFit)
    expect(r.vuaGlyph, `${r.resolution}: glyphs measured in the capture`).toBeGreaterThan(0)
    expect(r.vuaGlyph, `${r.resolution}: glyphs measured in the capture`).toBeLessThan(r.lonGlyph)
  }
})
