// "The preview is the board" (issue 14): a notice typed into the console's notice form is previewed by the
// player's own renderer (console/preview.html, framed at each board's size and scaled down). For a short
// notice with every Vietnamese tone mark and a long one the LED strips show in several pages, at
// 1920×1080, 1080×1920, 1920×384 and 768×192, the preview at its real size (the "Xem cỡ thật" view: the
// same page the frames hold, unscaled) is compared pixel by pixel, page by page, with the screenshot of
// a real browser-shell board playing the same notice, and both are read back with tesseract (vie).
//
// Why the real-size view and not the scaled frame: the frame is the same document with a CSS scale on
// top; comparing at the board's own pixels is the strict test (every glyph, line break and page break),
// and the framed preview is checked to report the same pages and type size as the real-size one.
//
// Tolerance (stated, per page): mean absolute difference ≤ 0.5 levels (of 255, over R, G, B) and at most
// 0.1 % of pixels differing by more than 32 levels in any channel. Both are the same Chromium drawing the
// same DOM with the same fonts, so the expected difference is 0; the slack allows for text antialiasing
// that may differ between two renderer processes. OCR: the two readings agree (similarity ≥ 0.9) and
// together the pages read back the notice (similarity ≥ 0.85 with the board's OCR fold, as screen-truth).
import { writeFileSync, mkdirSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Page, TestInfo } from '@playwright/test'
import { DEMO_DIR, textOnlyManifest } from '../fixtures/content'
import { expect, signIn } from '../fixtures/console'
import { test } from '../fixtures/library-console'
import { decodePng, ocr, ocrFold, similarity, type Image } from '../fixtures/pixels'
import { ScreenPage } from '../pages/screen-page'
import { ROOT } from '../fixtures/browser-shell'

const SIZES: [number, number][] = [
  [1920, 1080],
  [1080, 1920],
  [1920, 384],
  [768, 192]
]
const MAX_MEAN_ABS_DIFF = 0.5
const MAX_DIFFERING_SHARE = 0.001
const DIFFERING_LEVELS = 32
const MIN_OCR_AGREEMENT = 0.9
const MIN_OCR_SIMILARITY = 0.85
const OUT_DIR = join(ROOT, 'test-results', 'console-preview')

const SHORT = {
  name: 'short',
  title: 'Thông báo họp dân: Kỹ thuật chăm sóc lúa vụ Đông Xuân',
  body: 'Ủy ban nhân dân xã Phước Hậu mời đại diện mỗi hộ gia đình đến dự buổi tập huấn lúc 7 giờ 30 sáng thứ Bảy tại hội trường thôn. Những ai vắng mặt đề nghị báo trước với trưởng ấp; được nghỉ ở nhà cần gửi lời cảm ơn.'
}

export interface Comparison {
  meanAbsDiff: number
  differingShare: number
}

function compare(a: Image, b: Image): Comparison {
  expect(a.width).toBe(b.width)
  expect(a.height).toBe(b.height)
  let sum = 0
  let differing = 0
  const pixels = a.width * a.height
  for (let i = 0; i < pixels; i++) {
    let worst = 0
    for (let c = 0; c < 3; c++) {
      const d = Math.abs(a.rgb[i * 3 + c]! - b.rgb[i * 3 + c]!)
      sum += d
      if (d > worst) worst = d
    }
    if (worst > DIFFERING_LEVELS) differing++
  }
  return { meanAbsDiff: sum / (pixels * 3), differingShare: differing / pixels }
}

/** The better of tesseract's two readings (as is, and dark ink on light), by agreement with the notice. */
async function read(image: Image, expected: string): Promise<string> {
  const [grey, dark] = (await Promise.all([ocr(image), ocr(image, undefined, 'dark-ink')])).map((r) => r.text) as [string, string]
  return similarity(expected, grey, ocrFold) >= similarity(expected, dark, ocrFold) ? grey : dark
}

async function settledBoard(board: Page): Promise<ScreenPage> {
  const screen = new ScreenPage(board)
  await expect(screen.activeSlide.locator('[data-testid="text-content"]')).toBeVisible({ timeout: 20_000 })
  await board.evaluate(() => document.fonts.ready)
  // Two frames after the fonts: the renderer re-fits on font load (FitText) before it is final.
  await board.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))))
  return screen
}

async function showPreviewPage(preview: Page, url: string, pageIndex: number): Promise<void> {
  const at = new URL(url)
  const notice = JSON.parse(decodeURIComponent(at.hash.slice(1))) as { title: string; body: string }
  at.hash = encodeURIComponent(JSON.stringify({ ...notice, page: pageIndex }))
  if (preview.url() === 'about:blank') await preview.goto(at.toString())
  else await preview.evaluate((hash) => (window.location.hash = hash), at.hash)
  await expect(preview.locator(`body[data-preview-ready="true"][data-preview-page="${pageIndex}"]`)).toBeAttached({ timeout: 20_000 })
  await preview.evaluate(() => document.fonts.ready)
  await preview.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))))
}

async function attach(testInfo: TestInfo, name: string, png: Buffer): Promise<void> {
  mkdirSync(OUT_DIR, { recursive: true })
  writeFileSync(join(OUT_DIR, `${name}.png`), png)
  await testInfo.attach(name, { body: png, contentType: 'image/png' })
}

test('the console preview is the board: the same pixels and the same text at every resolution, page by page', async ({ page, console: server, rig, browser }, testInfo) => {
  test.setTimeout(10 * 60_000)
  const demo = JSON.parse(await readFile(join(DEMO_DIR, 'manifest.json'), 'utf8'))
  const long = { name: 'long', ...(demo.playlists[0].items[0] as { title: string; body: string }) }
  const district = await server.addUnit(server.rootUnitId, 'Huyện Ninh Phước')
  const editor = await server.addUser(district, 'bientap.ninhphuoc', 'bien-tap')
  await page.setViewportSize({ width: 1366, height: 768 })
  await signIn(page, server, editor.username, editor.password)
  await page.goto(server.consoleUrl('/content'))

  const boardPage = await browser.newPage()
  const previewContext = await browser.newContext()
  const results: Record<string, unknown>[] = []
  try {
    for (const notice of [SHORT, long]) {
      await page.getByLabel('Tiêu đề').fill(notice.title)
      await page.getByLabel('Nội dung thông báo').fill(notice.body)
      const shell = await rig.shell({ args: ['--content', await rig.content(textOnlyManifest(notice.title, notice.body))] })
      for (const [width, height] of SIZES) {
        const size = `${width}×${height}`
        const frame = page.locator(`[data-preview-size="${size}"]`)
        // The framed preview has laid this notice out (its link carries the text typed).
        await expect(frame.locator('a[data-real-size]')).toHaveAttribute('href', new RegExp(encodeURIComponent(notice.body.slice(-12)).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')), { timeout: 20_000 })
        await expect(frame).toHaveAttribute('data-font-px', /^[1-9]\d*$/, { timeout: 20_000 })
        const href = await frame.locator('a[data-real-size]').getAttribute('href')
        const framedPages = Number(await frame.getAttribute('data-pages'))
        const framedFont = Number(await frame.getAttribute('data-font-px'))

        await boardPage.setViewportSize({ width, height })
        await boardPage.goto(shell.screenUrl)
        const screen = await settledBoard(boardPage)
        const boardLayout = await screen.textLayout()
        const preview = await previewContext.newPage()
        await preview.setViewportSize({ width, height })
        await showPreviewPage(preview, new URL(href!, server.server.url).toString(), 0)
        const previewFont = Number(await preview.locator('.slide[data-active="true"] [data-testid="text-content"]').getAttribute('data-fit-size'))
        const previewPages = Number(await preview.locator('body').getAttribute('data-preview-pages'))

        // The same layout: the board's, the real-size preview's and the framed preview's.
        expect(previewPages, `${notice.name} ${size}: pages`).toBe(boardLayout.pages)
        expect(framedPages, `${notice.name} ${size}: the framed preview's pages`).toBe(boardLayout.pages)
        expect(previewFont, `${notice.name} ${size}: type size`).toBe(boardLayout.fontSize)
        expect(framedFont, `${notice.name} ${size}: the framed preview's type size`).toBe(boardLayout.fontSize)

        const readings = { board: [] as string[], preview: [] as string[] }
        let firstBoardPage: Image | null = null
        for (let p = 0; p < boardLayout.pages; p++) {
          await screen.showTextPage(p)
          await showPreviewPage(preview, new URL(href!, server.server.url).toString(), p)
          const boardPng = await boardPage.screenshot()
          const previewPng = await preview.screenshot()
          const tag = `${notice.name}-${width}x${height}-page-${p + 1}-of-${boardLayout.pages}`
          await attach(testInfo, `${tag}-board`, boardPng)
          await attach(testInfo, `${tag}-preview`, previewPng)
          const [boardImage, previewImage] = await Promise.all([decodePng(boardPng), decodePng(previewPng)])
          const diff = compare(boardImage, previewImage)
          // The measure tells pages apart: the board's first page against the preview's second differs widely.
          if (p === 0) firstBoardPage = boardImage
          if (p === 1 && firstBoardPage) {
            const control = compare(firstBoardPage, previewImage)
            results.push({ notice: notice.name, size, control: 'board page 1 vs preview page 2', ...control })
            expect(control.differingShare, `${tag}: another page is told apart`).toBeGreaterThan(MAX_DIFFERING_SHARE * 10)
          }
          // Both readings at once: tesseract is single-threaded here, and the machine has two cores.
          const [boardText, previewText] = await Promise.all([read(boardImage, notice.title + notice.body), read(previewImage, notice.title + notice.body)])
          readings.board.push(boardText)
          readings.preview.push(previewText)
          results.push({ notice: notice.name, size, page: p + 1, pages: boardLayout.pages, fontPx: boardLayout.fontSize, ...diff })
          expect(diff.meanAbsDiff, `${tag}: mean absolute difference`).toBeLessThanOrEqual(MAX_MEAN_ABS_DIFF)
          expect(diff.differingShare, `${tag}: share of differing pixels`).toBeLessThanOrEqual(MAX_DIFFERING_SHARE)
        }
        const boardText = readings.board.join('\n')
        const previewText = readings.preview.join('\n')
        const agreement = similarity(boardText, previewText, ocrFold)
        const boardSimilarity = similarity(`${notice.title}\n${notice.body}`, boardText, ocrFold)
        const previewSimilarity = similarity(`${notice.title}\n${notice.body}`, previewText, ocrFold)
        results.push({ notice: notice.name, size, ocrAgreement: agreement, boardOcrSimilarity: boardSimilarity, previewOcrSimilarity: previewSimilarity })
        await testInfo.attach(`${notice.name}-${width}x${height}-ocr`, { body: `board:\n${boardText}\n\npreview:\n${previewText}\n`, contentType: 'text/plain' })
        expect(agreement, `${notice.name} ${size}: board and preview read the same`).toBeGreaterThanOrEqual(MIN_OCR_AGREEMENT)
        expect(previewSimilarity, `${notice.name} ${size}: the preview reads as the notice`).toBeGreaterThanOrEqual(MIN_OCR_SIMILARITY)
        await preview.close()
      }
      await shell.stop()
    }
  } finally {
    mkdirSync(OUT_DIR, { recursive: true })
    writeFileSync(join(OUT_DIR, 'results.json'), JSON.stringify(results, null, 2))
    await testInfo.attach('results', { body: JSON.stringify(results, null, 2), contentType: 'application/json' })
    await previewContext.close()
    await boardPage.close()
  }
  // The long notice needs several pages on the LED strips (what the preview lets the officer step through).
  expect(results.some((r) => r.notice === 'long' && typeof r.pages === 'number' && r.pages > 1)).toBe(true)
})
