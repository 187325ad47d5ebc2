// Playback rules on screen, in Debian Chromium: rotation order and durations on a controlled clock,
// priority before normal, layouts with header and ticker zones, a corrupt video skipped without a
// blank frame, and display hours turning the screen off and on (with the power hook).
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { assetOf, DEMO_DIR } from '../fixtures/content'
import { ScreenPage } from '../pages/screen-page'
import { expect, test } from '../fixtures/test'

const text = (id: string, body: string, durationSec: number) => ({ id, kind: 'text', title: id, body, durationSec })

test('priority items play before normal ones, each for its duration, in order', async ({ page, rig }) => {
  const content = await rig.content({
    schema: 'bangtin.manifest/v1',
    version: 'order',
    playlists: [
      { id: 'thuong', name: 'Thường', items: [text('thuong-1', 'Bản tin thường một', 6), text('thuong-2', 'Bản tin thường hai', 4)] },
      { id: 'uu-tien', name: 'Ưu tiên', priority: 'priority', items: [text('uu-tien-1', 'Bản tin ưu tiên', 3)] }
    ],
    assets: []
  })
  const shell = await rig.shell({ args: ['--content', content] })
  // Page time stands still except when the test moves it.
  const t0 = new Date('2026-11-23T08:00:00+07:00')
  await page.clock.install({ time: t0 })
  await page.clock.pauseAt(t0)
  await page.goto(shell.screenUrl)
  const screen = new ScreenPage(page)
  const expectOn = (id: string) => expect(screen.activeSlide).toHaveAttribute('data-item-id', id)
  await expectOn('uu-tien-1')
  await page.clock.runFor(2_900)
  await expectOn('uu-tien-1')
  await page.clock.runFor(200)
  await expectOn('thuong-1')
  await page.clock.runFor(5_800)
  await expectOn('thuong-1')
  await page.clock.runFor(300)
  await expectOn('thuong-2')
  await page.clock.runFor(4_000)
  await expectOn('uu-tien-1')
  await shell.waitForLog((r) => r.message === 'item played' && r.itemId === 'thuong-2')
  const played = shell.log.filter((r) => r.message === 'item played')
  expect(played.map((r) => r.itemId)).toEqual(['uu-tien-1', 'thuong-1', 'thuong-2'])
  // Proof of play carries the real on-screen interval of each turn.
  const first = played[0]!
  expect((first.endedAt as number) - (first.startedAt as number)).toBeGreaterThanOrEqual(2_900)
  expect((first.endedAt as number) - (first.startedAt as number)).toBeLessThanOrEqual(3_200)
})

test('a layout with header and ticker zones: board name and clock on top, crawling text below', async ({ page, rig }) => {
  const content = await rig.content({
    schema: 'bangtin.manifest/v1',
    version: 'zones',
    board: { name: 'UBND xã Phú An' },
    layout: {
      id: 'ba-vung',
      zones: [
        { id: 'top', role: 'header', x: 0, y: 0, width: 1, height: 0.12 },
        { id: 'main', role: 'main', x: 0, y: 0.12, width: 1, height: 0.76 },
        { id: 'bottom', role: 'ticker', x: 0, y: 0.88, width: 1, height: 0.12 }
      ]
    },
    playlists: [
      { id: 'chinh', name: 'Chính', items: [text('tin', 'Lịch tiếp công dân', 30)] },
      { id: 'chu-chay', name: 'Chữ chạy', zone: 'bottom', items: [{ id: 'chay', kind: 'ticker', text: 'Phòng, chống lụt bão — giữ an toàn cho bản thân và gia đình', durationSec: 60 }] }
    ],
    assets: []
  })
  const shell = await rig.shell({ args: ['--content', content] })
  await page.setViewportSize({ width: 1920, height: 1080 })
  await page.goto(shell.screenUrl)
  await expect(page.getByTestId('header-zone')).toContainText('UBND xã Phú An')
  await expect(page.getByTestId('header-zone')).toContainText(/ngày \d+ tháng \d+ năm \d{4}/)
  const headerBox = await page.locator('[data-zone-id="top"]').boundingBox()
  expect(headerBox).toMatchObject({ x: 0, y: 0, width: 1920 })
  expect(Math.round(headerBox!.height)).toBe(130)
  const tickerText = page.locator('[data-zone-id="bottom"] .slide[data-active="true"] [data-testid="ticker-text"]')
  await expect(tickerText).toBeVisible()
  const x1 = (await tickerText.boundingBox())!.x
  await page.waitForTimeout(500)
  const x2 = (await tickerText.boundingBox())!.x
  expect(x2).toBeLessThan(x1) // crawling right to left
  await expect(page.locator('[data-zone-id="main"] .slide[data-active="true"]')).toContainText('Lịch tiếp công dân')
})

test('a corrupt video is skipped without a blank frame, and reported', async ({ page, rig }) => {
  const corrupt = Buffer.concat([Buffer.from('\x00\x00\x00\x18ftypmp42'), Buffer.alloc(50_000, 7)])
  const poster = await assetOf(join(DEMO_DIR, 'poster.jpg'), 'image/jpeg', 'poster.jpg')
  const broken = { ...(await assetOfBytes(corrupt)), mime: 'video/mp4', url: 'broken.mp4' }
  const content = await rig.content(
    {
      schema: 'bangtin.manifest/v1',
      version: 'corrupt',
      playlists: [
        {
          id: 'p',
          name: 'p',
          items: [text('truoc', 'Trước video hỏng', 4), { id: 'hong', kind: 'video', asset: broken.sha256 }, { id: 'anh', kind: 'image', asset: poster.sha256, durationSec: 5 }]
        }
      ],
      assets: [broken, poster]
    },
    { 'broken.mp4': corrupt, 'poster.jpg': join(DEMO_DIR, 'poster.jpg') }
  )
  const shell = await rig.shell({ args: ['--content', content] })
  await page.clock.install()
  await page.goto(shell.screenUrl)
  const screen = new ScreenPage(page)
  await expect(screen.activeSlide).toHaveAttribute('data-item-id', 'truoc')
  await screen.recordFrames()
  await page.clock.runFor(4_100)
  await expect(screen.activeSlide).toHaveAttribute('data-item-id', 'anh')
  const frames = await screen.recordedFrames()
  expect(frames.length).toBeGreaterThan(0)
  expect(frames.filter((f) => f.blank), 'frames with nothing to show').toEqual([])
  await shell.waitForLog((r) => r.message === 'item failed on screen' && r.itemId === 'hong')
})

test('display hours turn the screen black and the panel off, and back on', async ({ page, rig }, testInfo) => {
  const hookLog = testInfo.outputPath('display-hook.log')
  const server = await rig.server()
  const device = server.addDevice('bang-gio', 'token-bang-gio-0123456789')
  // Display hours that exclude now (in the board's time zone): an hour from now until two hours from now.
  const hhmm = (offsetMin: number) => {
    const d = new Date(Date.now() + offsetMin * 60_000 + 7 * 3_600_000)
    return `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`
  }
  const manifest = (version: string, displayHours?: object) => ({
    schema: 'bangtin.manifest/v1',
    version,
    playlists: [{ id: 'p', name: 'p', items: [text('tin', 'Bản tin', 30)] }],
    assets: [],
    ...(displayHours ? { displayHours } : {})
  })
  server.publish(manifest('off', { on: hhmm(60), off: hhmm(120) }), new Map())
  const shell = await rig.shell({
    server,
    device,
    config: { displayOffCommand: `echo off >> '${hookLog}'`, displayOnCommand: `echo on >> '${hookLog}'` }
  })
  await page.goto(shell.screenUrl)
  await expect(page.getByTestId('display-off')).toBeVisible()
  const background = await page.getByTestId('display-off').evaluate((el) => getComputedStyle(el).backgroundColor)
  expect(background).toBe('rgb(0, 0, 0)')
  server.publish(manifest('on'), new Map())
  await expect(page.getByTestId('display-off')).toBeHidden()
  await expect(new ScreenPage(page).activeSlide).toContainText('Bản tin')
  await expect.poll(async () => (await readFile(hookLog, 'utf8').catch(() => '')).trim().split('\n')).toEqual(['on', 'off', 'on'])
})

async function assetOfBytes(bytes: Buffer): Promise<{ sha256: string; size: number }> {
  const { createHash } = await import('node:crypto')
  return { sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length }
}
