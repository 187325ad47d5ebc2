// An item the screen cannot draw — a kind it has no slide for, or a slide that throws — is never a blank
// screen: the board's name stands in, the rotation moves on, and the failure is reported. The contract
// refuses such items before they reach the screen, so a harness page (test/renderer/harness) feeds them.
import { createServer, type Server } from 'node:http'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { extname, join, normalize } from 'node:path'
import type { Page } from '@playwright/test'
import { decodePng, ocr, recall } from '../fixtures/pixels'
import { expect, test } from '../fixtures/test'

const BOARD = 'Bảng tin xã Hòa Bắc'
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.woff2': 'font/woff2' }

let outDir = ''
let server: Server | null = null
let base = ''

test.beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'bangtin-harness-'))
  const { build } = await import('vite')
  const { default: react } = await import('@vitejs/plugin-react')
  const root = join(__dirname, '..', '..', 'test', 'renderer', 'harness')
  await build({ root, base: './', logLevel: 'error', configFile: false, plugins: [react()], build: { outDir, emptyOutDir: true } })
  server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '')
    readFile(join(outDir, path === '/' ? 'index.html' : path)).then(
      (body) => res.writeHead(200, { 'Content-Type': TYPES[extname(path)] ?? 'application/octet-stream' }).end(body),
      () => res.writeHead(404).end()
    )
  })
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/index.html`
})

test.afterAll(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)))
  if (outDir) await rm(outDir, { recursive: true, force: true })
})

async function open(page: Page, which: string): Promise<void> {
  await page.setViewportSize({ width: 1280, height: 720 })
  await page.goto(`${base}?case=${which}`)
}

const failures = (page: Page) => () => page.evaluate(() => (window as unknown as { sent: { verb: string; payload: { itemId: string; reason: string } }[] }).sent.filter((m) => m.verb === 'itemFailed').map((m) => m.payload))

/** How much of `expected` the screen shows, read from its pixels (other text on screen, the clock, is allowed). */
async function reads(page: Page, expected: string): Promise<number> {
  const image = await decodePng(await page.screenshot())
  return recall(expected, (await ocr(image)).text)
}

test('a kind the screen has no slide for: the board name stands in, the failure is reported, the next item plays', async ({ page }) => {
  await open(page, 'alone')
  await expect(page.getByTestId('unrenderable-slide')).toBeVisible()
  expect(await reads(page, BOARD)).toBeGreaterThanOrEqual(0.8)

  await open(page, 'unknown')
  await expect.poll(failures(page), { timeout: 20_000 }).toEqual([{ itemId: 'ba-chieu', programVersion: 'harness/unknown', reason: 'this screen has no slide for items of kind hologram', cause: 'broken' }])
  // Nothing else to play: the fallback slide (board name, clock, date), never an empty stage.
  await expect(page.getByTestId('fallback-slide')).toBeVisible()
  expect(await reads(page, BOARD)).toBeGreaterThanOrEqual(0.8)

  await open(page, 'unknown-then-text')
  await expect(page.locator('.slide[data-active="true"][data-item-id="thong-bao"] .text-content')).toBeVisible({ timeout: 20_000 })
  expect(await failures(page)()).toHaveLength(1)
  expect(await reads(page, 'Thông báo Lịch tiêm chủng tuần này')).toBeGreaterThanOrEqual(0.8)
})

test('a slide that throws takes down only itself: the rotation goes on and the failure is reported', async ({ page }) => {
  await open(page, 'throws')
  await expect(page.locator('.slide[data-active="true"][data-item-id="thong-bao"] .text-content')).toBeVisible({ timeout: 20_000 })
  expect(await failures(page)()).toEqual([expect.objectContaining({ itemId: 'hong', reason: expect.stringMatching(/^the text slide failed to draw: /) })])
  expect(await reads(page, 'Thông báo Lịch tiêm chủng tuần này')).toBeGreaterThanOrEqual(0.8)

  await open(page, 'throws-only')
  await expect(page.getByTestId('fallback-slide')).toBeVisible({ timeout: 20_000 })
  expect(await reads(page, BOARD)).toBeGreaterThanOrEqual(0.8)
})
