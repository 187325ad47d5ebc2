// Screen truth: every screen the player can show, at 1920×1080, 1080×1920, 1920×384 and 768×192,
// captured from the real browser shell's page and checked in pixels — read back by OCR, nothing
// drawn across the edges, glyphs of a legible size, never blank. Contact sheets of every capture go
// to test-results/screen-truth/ for a person to look at.
import { readFileSync } from 'node:fs'
import { readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { Locator, Page } from '@playwright/test'
import type { BrowserShell } from '../fixtures/browser-shell'
import { assetOf, DEMO_DIR, textOnlyManifest } from '../fixtures/content'
import type { Rig, ShellStart } from '../fixtures/rig'
import { checkEveryResolution, glyphFloor, OUT_DIR, writeContactSheets, type Crop, type Expectation } from '../fixtures/screen-truth'
import { expect, test } from '../fixtures/test'

const ALL_EDGES = ['top', 'bottom', 'left', 'right'] as const
/**
 * Glyph floors, as the median height of a word's ink (marks included), which is ~0.8–0.95 of the font
 * size for Vietnamese words. A notice: at least 1/42 of the short side (26 px on full HD, the ink of
 * the renderer's smallest size there, 28 px; the 10 px floor on a strip). An emergency title, set at least
 * 1/12 of the short side (90 px on full HD, 16 px on a 768×192 strip) to read from across a square:
 * at least 1/16 in ink (68 px on full HD; lower-case words measure 71–73 px there, OCR boxes ±2 px).
 */
const NOTICE_GLYPH = 1 / 42
/**
 * A header or ticker band: the notice floor, unless the band the layout gives is too short for it;
 * then its ink must be at least 35 % of the band (its text is 45 % / 62 % of the band's height). On a
 * 768×192 strip a 12 % header is 23 px and its letters 9 px: whole and inside, but the layout, not
 * the player, decides that they are small.
 */
const bandGlyphPx = (band: Crop, viewport: { width: number; height: number }): number => Math.min(glyphFloor(NOTICE_GLYPH, viewport), 0.35 * band.height)
const EMERGENCY_TITLE_GLYPH = 1 / 16

// OCR of every page at four sizes takes minutes, not seconds: bounded work, not a race.
test.describe.configure({ mode: 'serial', timeout: 10 * 60_000 })
test.beforeAll(async () => rm(OUT_DIR, { recursive: true, force: true }))
test.afterAll(async ({ browser }) => writeContactSheets(browser))

const demo = JSON.parse(readFileSync(join(DEMO_DIR, 'manifest.json'), 'utf8')) as { board: { name: string }; playlists: { items: { title: string; body: string }[] }[] }
const demoNotice = demo.playlists[0]!.items[0]!

/** The visible text of an element as the DOM holds it: what the pixels must say. */
const domText = (page: Page, selector: string): Promise<string> => page.locator(selector).first().innerText()

/** An element's box in whole screen pixels, inside the viewport: a region to read. */
async function boxOf(element: Locator, viewport: { width: number; height: number }, within?: Crop): Promise<Crop> {
  const box = (await element.boundingBox())!
  // A text's box grows by 0.35 em (marks stacked past the line box, and the margin tesseract wants), inside `within`.
  const margin = within ? 0.35 * (await element.evaluate((el) => parseFloat(getComputedStyle(el).fontSize))) : 0
  const bounds = within ?? { x: 0, y: 0, width: viewport.width, height: viewport.height }
  const x = Math.max(bounds.x, Math.floor(box.x - margin))
  const y = Math.max(bounds.y, Math.floor(box.y - margin))
  return { x, y, width: Math.min(bounds.x + bounds.width, Math.ceil(box.x + box.width + margin)) - x, height: Math.min(bounds.y + bounds.height, Math.ceil(box.y + box.height + margin)) - y }
}

/** One screen on its own shell, stopped before the next starts (the rig stops it anyway if `body` fails). */
async function withShell(rig: Rig, start: ShellStart, body: (shell: BrowserShell) => Promise<void>): Promise<void> {
  const shell = await rig.shell(start)
  await body(shell)
  await shell.stop()
}

test('text notices: a long one (paged where needed) and a title alone', async ({ page, rig }, testInfo) => {
  await withShell(rig, { args: ['--content', await rig.content(textOnlyManifest(demoNotice.title, demoNotice.body))] }, async (shell) => {
    await checkEveryResolution(page, testInfo, 'notice', {
      open: () => page.goto(shell.screenUrl).then(() => undefined),
      ready: page.locator('.slide[data-active="true"] [data-testid="text-content"]'),
      pagedText: page.locator('.slide[data-active="true"] [data-testid="text-content"]'),
      want: () => ({ text: `${demoNotice.title}\n${demoNotice.body}`, minGlyph: NOTICE_GLYPH, cleanEdges: ALL_EDGES })
    })
  })
  const title = 'Thông báo: tạm ngừng cấp điện sáng thứ Bảy'
  await withShell(rig, { args: ['--content', await rig.content(textOnlyManifest(title, ' '))] }, async (shell) => {
    await checkEveryResolution(page, testInfo, 'notice-title-only', {
      open: () => page.goto(shell.screenUrl).then(() => undefined),
      ready: page.locator('.slide[data-active="true"] [data-testid="text-content"]'),
      want: () => ({ text: title, minGlyph: NOTICE_GLYPH, cleanEdges: ALL_EDGES })
    })
  })
})

/** About 2,000 characters of evacuation instructions, as a district would send before a storm. */
const LONG_BODY = (() => {
  const sentences = [
    'Bão số 3 đang di chuyển nhanh vào vùng biển ven bờ, gió giật cấp 12, mưa rất to kèm dông lốc.',
    'Người dân vùng trũng thấp, ven sông và ven biển khẩn trương sơ tán đến nhà văn hóa thôn và trường học theo hướng dẫn của tổ trưởng tổ dân cư.',
    'Tuyệt đối không ra khơi, không neo đậu tàu thuyền ở cửa sông; chằng chống nhà cửa, cắt điện khi nước dâng.',
    'Mang theo giấy tờ tùy thân, thuốc men, nước uống và lương thực đủ dùng trong ba ngày.',
    'Người già, trẻ em, phụ nữ có thai và người khuyết tật được ưu tiên đưa đi trước bằng xe của xã.',
    'Mọi trường hợp khẩn cấp gọi ngay Ban Chỉ huy phòng chống thiên tai xã hoặc đường dây nóng của huyện.'
  ]
  let text = ''
  for (let i = 0; text.length < 1900; i++) text += (i % 3 === 0 && text ? '\n\n' : text ? ' ' : '') + sentences[i % sentences.length]
  return text
})()

test('emergencies: a title alone, the docs example, and a long notice', async ({ page, rig }, testInfo) => {
  const { server, shell, deviceId } = await rig.pairedBoard('bang-truth', textOnlyManifest('Bản tin thường', 'Lịch tiếp công dân tuần này.'))
  await page.goto(shell.screenUrl)
  await expect.poll(() => server.connectedDevices()).toContain(deviceId)
  const cases = [
    { screen: 'emergency-title-only', title: 'CẢNH BÁO', body: '' },
    { screen: 'emergency', title: 'Cảnh báo bão số 3', body: 'Người dân không ra khơi' },
    { screen: 'emergency-long', title: 'Khẩn cấp: sơ tán ngay khỏi vùng trũng thấp ven sông Trà Khúc trước 17 giờ hôm nay', body: LONG_BODY }
  ]
  for (const notice of cases) {
    const sent = server.emergency({ title: notice.title, body: notice.body, ttlSec: 3600 }) as { id: string }
    const overlay = page.locator(`[data-testid="emergency"][data-emergency-id="${sent.id}"]`)
    await expect(overlay).toBeVisible()
    // A short notice is one fitted block; a long body pages below the title's own area.
    const body = overlay.locator('.emergency-body-area')
    const text = overlay.locator('.emergency-body-area, .emergency-title-area.alone').getByTestId('text-content')
    await checkEveryResolution(page, testInfo, notice.screen, {
      open: () => page.reload().then(() => undefined),
      ready: text,
      pagedText: text,
      want: async (viewport): Promise<Expectation> => {
        const split = (await body.count()) > 0
        const band = await boxOf(overlay.locator('.emergency-band'), viewport)
        const area = await boxOf(overlay.locator('.emergency-text-area'), viewport)
        const title = overlay.locator('.emergency-title-area .text-title')
        const textPx = await title.evaluate((el) => parseFloat(getComputedStyle(el).fontSize))
        const heading = { text: notice.title, crop: await boxOf(title, viewport, area), minGlyph: EMERGENCY_TITLE_GLYPH, textPx }
        const main = split ? { text: notice.body, crop: await boxOf(body, viewport) } : { text: `${notice.title}\n${notice.body}`, crop: area }
        return {
          ...main,
          minGlyph: NOTICE_GLYPH,
          also: [{ text: 'KHẨN CẤP · EMERGENCY', crop: band }, heading],
          cleanEdges: ALL_EDGES,
          // The yellow band meets the red body once on each side.
          edgeBoundaries: { left: 1, right: 1 }
        }
      }
    })
    server.clearEmergency(sent.id)
    await expect(overlay).toBeHidden()
  }
})

test('header and ticker zones around a notice', async ({ page, rig }, testInfo) => {
  const ticker = 'Lịch cắt điện: thôn Đông từ 7 giờ đến 11 giờ thứ Bảy · Tiêm chủng mở rộng tại Trạm Y tế xã sáng thứ Hai · '
  const manifest = {
    schema: 'bangtin.manifest/v1',
    version: 'zones',
    board: { name: 'UBND xã Phú An' },
    layout: {
      id: 'three',
      zones: [
        { id: 'header', role: 'header', x: 0, y: 0, width: 1, height: 0.12 },
        { id: 'main', role: 'main', x: 0, y: 0.12, width: 1, height: 0.76 },
        { id: 'ticker', role: 'ticker', x: 0, y: 0.88, width: 1, height: 0.12 }
      ]
    },
    playlists: [
      { id: 'p', name: 'p', items: [{ id: 'tin', kind: 'text', title: 'Lịch tiếp công dân', body: 'Sáng thứ Năm hằng tuần tại trụ sở Ủy ban nhân dân xã.', durationSec: 600 }] },
      { id: 't', name: 't', zone: 'ticker', items: [{ id: 'chay-chu', kind: 'ticker', text: ticker, speed: 1, durationSec: 600 }] }
    ],
    assets: []
  }
  await withShell(rig, { args: ['--content', await rig.content(manifest)] }, async (shell) => {
    const band = (top: number, { width, height }: { width: number; height: number }) => ({ x: 0, y: Math.round(top * height), width, height: Math.round(0.12 * height) })
    await checkEveryResolution(page, testInfo, 'header', {
      open: () => page.goto(shell.screenUrl).then(() => undefined),
      ready: page.getByTestId('header-zone'),
      want: async (viewport) => ({ text: await domText(page, '[data-testid="header-zone"]'), crop: band(0, viewport), minGlyphPx: bandGlyphPx(band(0, viewport), viewport), cleanEdges: ['top', 'left', 'right'] })
    })
    await checkEveryResolution(page, testInfo, 'ticker', {
      open: async () => {
        await page.goto(shell.screenUrl)
        // The crawl enters from the right and leaves at the left: read it while its text covers most
        // of the band (it moves a band height a second, so it stays there for seconds).
        const crawl = page.locator('.zone-ticker .slide[data-active="true"] .ticker-text')
        const covered = () => crawl.evaluate((el) => {
          const { left, right } = el.getBoundingClientRect()
          return (Math.min(right, innerWidth) - Math.max(left, 0)) / innerWidth
        })
        await expect.poll(covered, { timeout: 120_000 }).toBeGreaterThan(0.6)
      },
      ready: page.locator('.zone-ticker .slide[data-active="true"]'),
      // The crawl enters and leaves at the sides by design; top and bottom stay clean.
      want: (viewport) => ({ text: ticker.repeat(3), window: true, crop: band(0.88, viewport), minGlyphPx: bandGlyphPx(band(0.88, viewport), viewport), cleanEdges: ['bottom'] })
    })
  })
})

test('fallback slide, image and video', async ({ page, rig }, testInfo) => {
  const empty = { schema: 'bangtin.manifest/v1', version: 'empty', board: { name: 'UBND xã Phú An' }, playlists: [], assets: [] }
  await withShell(rig, { args: ['--content', await rig.content(empty)] }, async (shell) => {
    await checkEveryResolution(page, testInfo, 'fallback', {
      open: () => page.goto(shell.screenUrl).then(() => undefined),
      ready: page.getByTestId('fallback-slide'),
      want: async () => ({ text: await domText(page, '[data-testid="fallback-slide"]'), minGlyph: NOTICE_GLYPH, cleanEdges: ALL_EDGES })
    })
  })
  for (const [kind, file, mime] of [
    ['image', 'poster.jpg', 'image/jpeg'],
    ['video', 'clip.mp4', 'video/mp4']
  ] as const) {
    const asset = await assetOf(join(DEMO_DIR, file), mime, file)
    const item = kind === 'image' ? { id: 'anh', kind, asset: asset.sha256, durationSec: 600 } : { id: 'phim', kind, asset: asset.sha256, loops: 100 }
    const manifest = { schema: 'bangtin.manifest/v1', version: kind, playlists: [{ id: 'p', name: 'p', items: [item] }], assets: [asset] }
    await withShell(rig, { args: ['--content', await rig.content(manifest, { [file]: join(DEMO_DIR, file) })] }, async (shell) => {
      await checkEveryResolution(page, testInfo, kind, {
        open: () => page.goto(shell.screenUrl).then(() => undefined),
        ready: page.locator(`.slide[data-active="true"] ${kind === 'image' ? 'img' : 'video'}`),
        want: () => ({}),
        moving: kind === 'video'
      })
    })
  }
})

test('live stream', async ({ page, rig }, testInfo) => {
  const origin = await rig.hlsOrigin(60)
  const url = `${origin.base}/live/index.m3u8`
  const manifest = { schema: 'bangtin.manifest/v1', version: 'stream', playlists: [{ id: 'p', name: 'p', items: [{ id: 'truc-tiep', kind: 'stream', url, durationSec: 600 }] }], assets: [] }
  await withShell(rig, { args: ['--content', await rig.content(manifest)], config: { allowInsecureHttp: true } }, async (shell) => {
    await checkEveryResolution(page, testInfo, 'stream', {
      open: () => page.goto(shell.screenUrl).then(() => undefined),
      ready: page.locator('.slide[data-active="true"] video'),
      want: () => ({}),
      moving: true
    })
  })
})

test('pairing screen, first-sync progress and the status overlay', async ({ page, rig }, testInfo) => {
  const server = await rig.server()
  await withShell(rig, { server }, async (shell) => {
    await checkEveryResolution(page, testInfo, 'pairing', {
      open: () => page.goto(shell.screenUrl).then(() => undefined),
      ready: page.getByTestId('pairing-code'),
      want: async () => ({ text: await domText(page, '.pairing-text'), minGlyph: 1 / 40, cleanEdges: ALL_EDGES })
    })
  })
  // A new board downloading its first content slowly shows how far it has come.
  const picture = await readFile(join(DEMO_DIR, 'poster.jpg'))
  const asset = await assetOf(join(DEMO_DIR, 'poster.jpg'), 'image/jpeg', 'poster.jpg')
  const device = server.addDevice('bang-moi', 'token-bang-moi-0123456789')
  server.publish({ schema: 'bangtin.manifest/v1', version: 'first', playlists: [{ id: 'p', name: 'p', items: [{ id: 'anh', kind: 'image', asset: asset.sha256, durationSec: 60 }] }], assets: [asset] }, new Map([[asset.sha256, picture]]))
  server.faults.assetBytesPerSec = 1_000
  await withShell(rig, { server, device }, async (shell) => {
    await checkEveryResolution(page, testInfo, 'first-sync', {
      open: () => page.goto(shell.screenUrl).then(() => undefined),
      ready: page.getByTestId('first-sync-progress'),
      want: async () => ({ text: await domText(page, '[data-testid="fallback-slide"]'), minGlyph: 1 / 40, cleanEdges: ALL_EDGES })
    })
    await checkEveryResolution(page, testInfo, 'status-overlay', {
      open: async () => {
        await page.goto(shell.screenUrl)
        await expect(page.getByTestId('first-sync-progress')).toBeVisible()
        // Pressed again until the screen, still starting, has its key handler and its first status.
        await expect(async () => {
          if (!(await page.getByTestId('status-overlay').isVisible())) await page.keyboard.press('Control+Alt+KeyI')
          await expect(page.getByTestId('status-overlay')).toBeVisible({ timeout: 2_000 })
        }).toPass({ timeout: 30_000 })
      },
      ready: page.getByTestId('status-overlay'),
      want: async () => ({ text: await domText(page, '[data-testid="status-overlay"]'), cleanEdges: ALL_EDGES })
    })
  })
})
