// Issue 14's operations pages on the real product: two browser-shell boards, one approved through the Bảng
// tin page reached by its QR code's link (/console/boards?pair=CODE); an emergency written from a template on
// the Khẩn cấp page appears on both boards (read from their pixels) and the live delivery list shows both as
// shown; clearing it returns both to their programme (pixels again); the Báo cáo page's CSV export counts the
// same plays as the server's proof-of-play records for those boards. axe on every page it opens.
import { mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { expectAccessible } from '../fixtures/axe'
import { expectFitsScreen, SCREENS } from '../fixtures/console'
import { solidPng } from '../fixtures/images'
import { decodePng, ocr, ocrFold, precision, recall } from '../fixtures/pixels'
import { Console, startProductServer } from '../fixtures/product'
import { expect, test } from '../fixtures/test'

const NOTICE = 'Lịch tiêm chủng tháng Mười Hai'
const NOTICE_BODY = 'Trạm y tế xã tiêm vắc-xin sởi cho trẻ vào sáng thứ Bảy.'
const STORM_TITLE = 'CẢNH BÁO BÃO SỐ 9'

const screenshotDir = process.env.CONSOLE_SCREENSHOTS ?? null

/** The page as it is, at 1366×768 and 390×844: nothing cut off, axe clean; saved to docs/console with CONSOLE_SCREENSHOTS. */
async function onBothScreens(page: Page, name: string): Promise<void> {
  for (const screen of ['phone', 'laptop'] as const) {
    await page.setViewportSize(SCREENS[screen])
    await page.evaluate(() => document.fonts.ready)
    await expectFitsScreen(page, `${name} (${screen})`)
    await expectAccessible(page, `${name} (${screen})`)
    if (screenshotDir) {
      mkdirSync(screenshotDir, { recursive: true })
      await page.screenshot({ path: join(screenshotDir, `${name}-${screen}.png`), fullPage: true })
    }
  }
}

/** How much of `text` a screen shows, read from its pixels. */
async function readOnScreen(page: Page, text: string): Promise<number> {
  const read = await ocr(await decodePng(await page.screenshot()))
  return recall(text, read.text, ocrFold)
}

/** The programme's notice is on screen and nothing else is: most of it read, and most of what is read is it. */
async function onlyTheNotice(page: Page): Promise<boolean> {
  const read = await ocr(await decodePng(await page.screenshot()))
  return recall(NOTICE, read.text, ocrFold) >= 0.75 && precision(`${NOTICE} ${NOTICE_BODY}`, read.text, ocrFold) >= 0.8
}

async function codeOnScreen(page: Page): Promise<string> {
  await expect(page.getByTestId('pairing')).toBeVisible({ timeout: 30_000 })
  return (await page.getByTestId('pairing-code').textContent())!.trim()
}

/** Plays per board in a CSV export (columns named in Vietnamese: "Bảng tin", "Số lượt phát"). */
function playsPerBoard(csv: string): Record<string, number> {
  const [header, ...lines] = csv.replace(/^\uFEFF/, '').trim().split(/\r\n/)
  const columns = header!.split(',')
  const board = columns.indexOf('Mã bảng tin')
  const plays = columns.indexOf('Số lượt phát')
  const out: Record<string, number> = {}
  for (const line of lines) {
    const cells = line.split(',')
    out[cells[board]!] = (out[cells[board]!] ?? 0) + Number(cells[plays])
  }
  return out
}

/** The server's own proof-of-play records for one board (the admin route's daily CSV: date,itemId,plays,seconds). */
async function serverPlays(url: string, adminToken: string, deviceId: string): Promise<number> {
  const res = await fetch(`${url}/admin/plays.csv?deviceId=${encodeURIComponent(deviceId)}`, { headers: { authorization: `Bearer ${adminToken}` } })
  const lines = (await res.text()).trim().split(/\r?\n/).slice(1)
  return lines.reduce((sum, line) => sum + Number(line.split(',')[2] ?? 0), 0)
}

test('emergency from the console on two boards (pixels), delivery list, clear back to the programme, report export = proof of play; pairing approved on the boards page', async ({ page, rig, browser }, testInfo) => {
  test.setTimeout(8 * 60_000)
  const product = await startProductServer(rig)
  const url = product.url

  const admin = await Console.firstSignIn(url, product.firstAdmin.username, product.firstAdmin.password, 'quản-trị-tỉnh-2026')
  const province = (await admin.ok<{ unit: { id: string } }>('GET', '/console/api/me')).unit.id
  const district = await admin.ok<{ id: string }>('POST', '/console/api/units', { parentId: province, name: 'Huyện Ninh Phước' })
  const communeA = await admin.ok<{ id: string }>('POST', '/console/api/units', { parentId: district.id, name: 'Xã Phước Hậu' })
  const communeB = await admin.ok<{ id: string }>('POST', '/console/api/units', { parentId: district.id, name: 'Xã Phước Thuận' })
  const editorMade = await admin.ok<{ password: string }>('POST', '/console/api/users', { unitId: district.id, username: 'bientap', displayName: 'Biên tập viên', role: 'bien-tap' })
  const approverMade = await admin.ok<{ password: string }>('POST', '/console/api/users', { unitId: district.id, username: 'duyet', displayName: 'Người duyệt', role: 'duyet' })
  const editor = await Console.firstSignIn(url, 'bientap', editorMade.password, 'biên-tập-viên-2026')
  const approver = await Console.firstSignIn(url, 'duyet', approverMade.password, 'người-duyệt-2026')

  // Two boards show pairing codes.
  const config = { serverUrl: url, allowInsecureHttp: true }
  const shellA = await rig.shell({ config })
  const shellB = await rig.shell({ config })
  await page.setViewportSize({ width: 1280, height: 720 })
  await page.goto(shellA.screenUrl)
  const boardPageB = await page.context().newPage()
  await boardPageB.setViewportSize({ width: 1280, height: 720 })
  await boardPageB.goto(shellB.screenUrl)
  const codeA = await codeOnScreen(page)
  const codeB = await codeOnScreen(boardPageB)

  // Board A is approved through the API; board B through the page its QR code leads to, the code filled in:
  // the approver, not yet signed in in this browser, follows the QR code's link, signs in, and is taken there.
  const boardA = await approver.ok<{ deviceId: string }>('POST', '/console/api/pairings/approve', { code: codeA, unitId: communeA.id, displayName: 'Bảng UBND xã Phước Hậu' })
  const officer = await (await browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage()
  await officer.goto(`${url}/console/boards?pair=${codeB}`)
  await expect(officer).toHaveURL(/\/console\/sign-in$/, { timeout: 20_000 })
  await officer.getByLabel('Tên đăng nhập').fill('duyet')
  await officer.getByLabel('Mật khẩu', { exact: true }).fill('người-duyệt-2026')
  await officer.getByRole('button', { name: 'Đăng nhập' }).click()
  await expect(officer).toHaveURL(new RegExp(`/console/boards\\?pair=${codeB}$`), { timeout: 20_000 })
  const form = officer.getByTestId('pairing-form')
  await expect(form.getByLabel('Mã ghép nối')).toHaveValue(codeB)
  await onBothScreens(officer, 'boards-pairing')
  await form.getByLabel('Đơn vị').selectOption(communeB.id)
  await form.getByLabel('Tên bảng tin').fill('Bảng chợ Phước Thuận')
  await form.getByRole('button', { name: 'Duyệt ghép nối' }).click()
  await expect(officer.getByText('Đã ghép nối “Bảng chợ Phước Thuận” vào Xã Phước Thuận.')).toBeVisible()
  await expect(officer.getByTestId('board-list').getByRole('row')).toHaveCount(3)
  const boardB = (await approver.ok<{ boards: { deviceId: string; displayName: string }[] }>('GET', '/console/api/boards')).boards.find((b) => b.displayName === 'Bảng chợ Phước Thuận')!
  await expect(page.getByTestId('pairing')).toBeHidden({ timeout: 30_000 })
  await expect(boardPageB.getByTestId('pairing')).toBeHidden({ timeout: 30_000 })
  await officer.getByRole('button', { name: 'Theo đơn vị' }).click()
  await expect(officer.getByTestId('board-tree')).toContainText('Bảng chợ Phước Thuận')
  await expectAccessible(officer, 'boards page, tree')

  // Both communes get a programme: an image and a notice, approved and published.
  const image = await editor.ok<{ item: { id: string } }>('POST', `/console/api/library/uploads?unitId=${district.id}&fileName=anh.png`, undefined, solidPng(320, 180, [30, 90, 160]))
  const notice = await editor.ok<{ id: string }>('POST', '/console/api/library/text-notices', { unitId: district.id, title: NOTICE, body: NOTICE_BODY })
  const playlist = await editor.ok<{ id: string }>('POST', '/console/api/playlists', { unitId: district.id, name: 'Tin y tế', items: [{ contentId: image.item.id, durationSec: 5 }, { contentId: notice.id, durationSec: 10 }] })
  const entry = await editor.ok<{ id: string }>('POST', '/console/api/schedule-entries', { unitId: district.id, playlistId: playlist.id, name: 'Tiêm chủng', priority: 'uu-tien', targetUnitIds: [communeA.id, communeB.id] })
  await editor.ok('POST', `/console/api/schedule-entries/${entry.id}/submit`)
  const submission = await editor.ok<{ id: number }>('POST', '/console/api/approvals', { kind: 'schedule-entry', subjectId: entry.id })
  await approver.ok('POST', `/console/api/approvals/${submission.id}/approve`)
  for (const board of [page, boardPageB]) await expect.poll(() => readOnScreen(board, NOTICE), { timeout: 90_000, intervals: [2_000] }).toBeGreaterThanOrEqual(0.75)

  // The emergency, written from the storm template on the Khẩn cấp page for the whole district.
  await officer.getByRole('link', { name: 'Khẩn cấp' }).click()
  await expect(officer.getByRole('heading', { level: 1, name: 'Khẩn cấp' })).toBeVisible()
  await officer.getByLabel('Mẫu bản tin').selectOption('bao')
  await officer.getByRole('button', { name: 'Xem lại trước khi gửi' }).click()
  await expect(officer.getByText('Chưa nhập "Tên, số hiệu cơn bão".')).toBeVisible()
  await officer.getByLabel('Tên, số hiệu cơn bão').fill('số 9')
  await officer.getByLabel('Địa bàn', { exact: true }).fill('các xã ven biển')
  await officer.getByLabel('Thời gian', { exact: true }).fill('14 giờ ngày 30/11')
  await officer.getByLabel('Số điện thoại trực ban').fill('0259 3822 113')
  await officer.getByRole('checkbox', { name: /Huyện Ninh Phước/ }).check()
  await expect(officer.getByText('2 bảng tin thuộc các đơn vị đã chọn.')).toBeVisible()
  await onBothScreens(officer, 'emergency')
  await officer.getByRole('button', { name: 'Xem lại trước khi gửi' }).click()
  await expect(officer.getByTestId('emergency-confirm')).toHaveText('2 bảng tin sẽ hiện ngay bản tin này, thay cho chương trình đang phát, trong 24 giờ hoặc tới khi bạn gỡ.')
  await onBothScreens(officer, 'emergency-confirm')
  await officer.getByRole('button', { name: 'Gửi ngay tới 2 bảng tin' }).click()

  // The live delivery list: both boards reach "shown", with times; both screens show it in pixels.
  const list = officer.getByTestId('delivery-list')
  await expect(list.locator(`tr[data-device="${boardA.deviceId}"]`)).toHaveAttribute('data-state', 'shown', { timeout: 30_000 })
  await expect(list.locator(`tr[data-device="${boardB.deviceId}"]`)).toHaveAttribute('data-state', 'shown', { timeout: 30_000 })
  await expect(officer.getByTestId('delivery-summary')).toContainText('Đã hiển thị trên 2/2 bảng tin.')
  await expect(list.getByRole('row', { name: /Bảng chợ Phước Thuận/ })).toContainText('Đang hiển thị')
  await onBothScreens(officer, 'emergency-delivery')
  for (const [board, name] of [[page, 'a'], [boardPageB, 'b']] as const) {
    await expect(board.getByTestId('emergency')).toBeVisible({ timeout: 30_000 })
    await expect.poll(() => readOnScreen(board, STORM_TITLE), { timeout: 60_000, intervals: [2_000] }).toBeGreaterThanOrEqual(0.75)
    await board.screenshot({ path: testInfo.outputPath(`board-${name}-emergency.png`) })
  }
  await officer.screenshot({ path: testInfo.outputPath('delivery.png'), fullPage: true })

  // Cleared on every board: both return to their programme (pixels again).
  await officer.getByRole('button', { name: 'Gỡ trên tất cả bảng tin' }).click()
  await expect(officer.getByText('Đã gửi lệnh gỡ tới 2 bảng tin.')).toBeVisible()
  for (const board of [page, boardPageB]) {
    await expect(board.getByTestId('emergency')).toBeHidden({ timeout: 30_000 })
    await expect.poll(() => onlyTheNotice(board), { timeout: 90_000, intervals: [2_000] }).toBe(true)
  }
  await expect(officer.getByText('Không có tin khẩn cấp nào đang phát.')).toBeVisible({ timeout: 20_000 })

  // Tổng quan: both boards online, no emergency on screen.
  await officer.getByRole('link', { name: 'Tổng quan' }).click()
  await expect(officer.getByTestId('boards-online')).toHaveText('2', { timeout: 20_000 })
  await expect(officer.getByTestId('emergencies-count')).toHaveText('0')
  await onBothScreens(officer, 'overview-ops')

  // Bảng tin: each board's status; one board's details; commands sent with the board's results. ("Chụp màn
  // hình ngay" is sent and its answer shown: these rig boards run without a Chromium the shell can capture,
  // so the board says so; the picture's path is covered by test/server/store/status-routes.test.ts.)
  await officer.getByRole('link', { name: 'Bảng tin', exact: true }).click()
  await expect(officer.getByTestId('board-list').getByText('Trực tuyến')).toHaveCount(2, { timeout: 20_000 })
  await officer.getByRole('link', { name: 'Bảng chợ Phước Thuận' }).click()
  const detail = officer.getByTestId('board-detail')
  await expect(detail.getByRole('heading', { name: 'Bảng chợ Phước Thuận' })).toBeVisible()
  await expect(detail.getByTestId('board-problems')).toHaveText('Không có', { timeout: 20_000 })
  await officer.getByRole('button', { name: 'Lấy chương trình mới ngay' }).click()
  await expect(detail.getByTestId('board-commands').locator('tr[data-command="resync"]')).toContainText('Đã thực hiện', { timeout: 30_000 })
  await officer.getByRole('button', { name: 'Chụp màn hình ngay' }).click()
  await expect(detail.getByTestId('board-commands').locator('tr[data-command="screenshot"]')).toContainText(/Đã thực hiện|Không thực hiện được/, { timeout: 30_000 })
  await officer.screenshot({ path: testInfo.outputPath('board-detail.png'), fullPage: true })
  await onBothScreens(officer, 'boards')
  await officer.screenshot({ path: testInfo.outputPath('board-detail.png'), fullPage: true })

  // Báo cáo: the CSV the page's button downloads counts, per board, what the server's proof-of-play holds.
  await officer.getByRole('link', { name: 'Báo cáo' }).click()
  await expect(officer.getByRole('heading', { level: 1, name: 'Báo cáo' })).toBeVisible()
  await expectAccessible(officer, 'reports page')
  let last = ''
  await expect
    .poll(
      async () => {
        const download = officer.waitForEvent('download')
        await officer.getByTestId('plays-csv').click()
        const exported = playsPerBoard(readFileSync((await (await download).path())!, 'utf8'))
        const held = { a: await serverPlays(url, product.adminToken, boardA.deviceId), b: await serverPlays(url, product.adminToken, boardB.deviceId) }
        last = JSON.stringify({ exported, held })
        return held.a > 0 && held.b > 0 && exported[boardA.deviceId] === held.a && exported[boardB.deviceId] === held.b
      },
      { timeout: 120_000, intervals: [3_000], message: 'the exported plays per board equal the server’s proof of play' }
    )
    .toBe(true)
  testInfo.annotations.push({ type: 'plays', description: last })
  await officer.reload()
  await expect(officer.getByTestId('report-plays').locator('.bar-chart-row').first()).toBeVisible()
  await onBothScreens(officer, 'reports')

  // The same pages in English, one click away.
  await officer.getByRole('button', { name: 'Switch to English' }).click()
  await expect(officer.getByRole('heading', { level: 1, name: 'Reports' })).toBeVisible()
  await expect(officer.getByTestId('report-plays').getByRole('columnheader', { name: 'Plays' })).toBeVisible()
  await officer.getByRole('link', { name: 'Emergency' }).click()
  await expect(officer.getByRole('heading', { name: 'Send a new emergency' })).toBeVisible()
  await expect(officer.getByLabel('Template')).toContainText('Write my own')
  await expectAccessible(officer, 'emergency page in English')
  await officer.screenshot({ path: testInfo.outputPath('reports.png'), fullPage: true })
})
