// Issue 13 as a district centre and a commune see it: the source server started by its documented command
// (`npm run server -- --data-dir DIR`), two boards paired on screen and approved into communes of two
// districts through the console API, an image and a Vietnamese notice uploaded, scheduled, approved and
// published — read back from the first board's pixels — and never shown on the other district's board; an
// emergency from a template reaches the first board's screen and its delivery says so.
import type { Page } from '@playwright/test'
import { solidPng } from '../fixtures/images'
import { decodePng, ocr, ocrFold, recall } from '../fixtures/pixels'
import { Console, startProductServer } from '../fixtures/product'
import { expect, test } from '../fixtures/test'

const TITLE = 'Lịch tiêm chủng tháng Mười Hai'
const BODY = 'Trạm y tế xã tiêm vắc-xin sởi cho trẻ vào sáng thứ Bảy.'

/** How much of the notice a screen shows, read from its pixels. */
async function noticeRead(page: Page): Promise<number> {
  const read = await ocr(await decodePng(await page.screenshot()))
  return Math.min(recall(TITLE, read.text, ocrFold), recall(BODY, read.text, ocrFold))
}

/** The code an unpaired board shows on its screen. */
async function codeOnScreen(page: Page): Promise<string> {
  await expect(page.getByTestId('pairing')).toBeVisible({ timeout: 60_000 })
  const code = (await page.getByTestId('pairing-code').textContent())!.trim()
  expect(code).toMatch(/^[A-HJ-NP-Z2-9]{6}$/)
  return code
}

test('the product: boards paired on screen into two districts, content approved through the console API, shown only where it is scheduled', async ({ page, rig }, testInfo) => {
  test.setTimeout(6 * 60_000)
  const product = await startProductServer(rig)
  const url = product.url

  // The first administrator's one-time password, changed at first sign-in; units and people.
  const admin = await Console.firstSignIn(url, product.firstAdmin.username, product.firstAdmin.password, 'quản-trị-tỉnh-2026')
  const province = (await admin.ok<{ unit: { id: string } }>('GET', '/console/api/me')).unit.id
  const districtA = await admin.ok<{ id: string }>('POST', '/console/api/units', { parentId: province, name: 'Huyện Ninh Phước' })
  const districtB = await admin.ok<{ id: string }>('POST', '/console/api/units', { parentId: province, name: 'Huyện Thuận Bắc' })
  const communeA = await admin.ok<{ id: string }>('POST', '/console/api/units', { parentId: districtA.id, name: 'Xã Phước Hậu' })
  const communeB = await admin.ok<{ id: string }>('POST', '/console/api/units', { parentId: districtB.id, name: 'Xã Lợi Hải' })
  const editorMade = await admin.ok<{ password: string }>('POST', '/console/api/users', { unitId: districtA.id, username: 'bientap', displayName: 'Biên tập viên', role: 'bien-tap' })
  const approverMade = await admin.ok<{ password: string }>('POST', '/console/api/users', { unitId: districtA.id, username: 'duyet', displayName: 'Người duyệt', role: 'duyet' })
  const editor = await Console.firstSignIn(url, 'bientap', editorMade.password, 'biên-tập-viên-2026')
  const approver = await Console.firstSignIn(url, 'duyet', approverMade.password, 'người-duyệt-2026')

  // Two boards given only the server's URL show pairing codes; each code is approved into a commune.
  const config = { serverUrl: url, allowInsecureHttp: true }
  const shellA = await rig.shell({ config })
  const shellB = await rig.shell({ config })
  await page.setViewportSize({ width: 1280, height: 720 })
  await page.goto(shellA.screenUrl)
  const pageB = await page.context().newPage()
  await pageB.setViewportSize({ width: 1280, height: 720 })
  await pageB.goto(shellB.screenUrl)
  const codeA = await codeOnScreen(page)
  const codeB = await codeOnScreen(pageB)
  await expect
    .poll(async () => (await admin.ok<{ pairings: { code: string }[] }>('GET', '/console/api/pairings')).pairings.map((p) => p.code).sort(), { timeout: 20_000 })
    .toEqual([codeA, codeB].sort())
  const boardA = await approver.ok<{ deviceId: string }>('POST', '/console/api/pairings/approve', { code: codeA, unitId: communeA.id, displayName: 'Bảng UBND xã Phước Hậu' })
  const boardB = await admin.ok<{ deviceId: string }>('POST', '/console/api/pairings/approve', { code: codeB, unitId: communeB.id, displayName: 'Bảng chợ Lợi Hải' })
  await expect(page.getByTestId('pairing')).toBeHidden({ timeout: 60_000 })
  await expect(pageB.getByTestId('pairing')).toBeHidden({ timeout: 60_000 })

  // The editor uploads an image and writes the notice, schedules it for commune A, submits; the approver approves.
  const image = await editor.ok<{ item: { id: string } }>('POST', `/console/api/library/uploads?unitId=${districtA.id}&fileName=anh.png`, undefined, solidPng(320, 180, [30, 90, 160]))
  const notice = await editor.ok<{ id: string }>('POST', '/console/api/library/text-notices', { unitId: districtA.id, title: TITLE, body: BODY })
  const playlist = await editor.ok<{ id: string }>('POST', '/console/api/playlists', { unitId: districtA.id, name: 'Tin y tế', items: [{ contentId: image.item.id, durationSec: 5 }, { contentId: notice.id, durationSec: 30 }] })
  // All day, every day: the board shows it whenever this spec runs.
  const entry = await editor.ok<{ id: string }>('POST', '/console/api/schedule-entries', { unitId: districtA.id, playlistId: playlist.id, name: 'Tiêm chủng', priority: 'uu-tien', targetUnitIds: [communeA.id] })
  await editor.ok('POST', `/console/api/schedule-entries/${entry.id}/submit`)
  const submission = await editor.ok<{ id: number }>('POST', '/console/api/approvals', { kind: 'schedule-entry', subjectId: entry.id })
  expect((await approver.ok<{ state: string }>('POST', `/console/api/approvals/${submission.id}/approve`)).state).toBe('approved')

  // Board A shows it: in the DOM, then in pixels.
  await expect(page.locator('[data-testid="text-content"]').filter({ hasText: TITLE }).first()).toBeVisible({ timeout: 90_000 })
  await expect.poll(() => noticeRead(page), { timeout: 90_000, intervals: [2_000] }).toBeGreaterThanOrEqual(0.75)
  await page.screenshot({ path: testInfo.outputPath('board-a.png') })
  await testInfo.attach('board-a.png', { path: testInfo.outputPath('board-a.png'), contentType: 'image/png' })

  // Board B, connected to the same server, shows none of it.
  await expect
    .poll(async () => {
      const res = await fetch(`${url}/admin/devices`, { headers: { authorization: `Bearer ${product.adminToken}` } })
      return ((await res.json()) as { devices: { deviceId: string; connected: boolean }[] }).devices.filter((d) => d.connected).map((d) => d.deviceId).sort()
    }, { timeout: 60_000 })
    .toEqual([boardA.deviceId, boardB.deviceId].sort())
  await expect(pageB.locator('[data-testid="text-content"]').filter({ hasText: TITLE })).toHaveCount(0)
  expect(await noticeRead(pageB)).toBeLessThan(0.3)

  // An emergency from the storm template to commune A: on board A's screen, reported shown; not on board B.
  const emergency = await approver.ok<{ id: string }>('POST', '/console/api/emergencies', {
    templateId: 'bao',
    fields: { ten_bao: 'số 3 (YAGI)', dia_ban: 'xã Phước Hậu', thoi_gian: '14 giờ ngày 6/9', dien_thoai: '0259 3822 113' },
    unitIds: [communeA.id],
    ttlSec: 3600
  })
  await expect(page.getByTestId('emergency')).toBeVisible({ timeout: 60_000 })
  await expect
    .poll(async () => (await approver.ok<{ boards: { deviceId: string; state: string }[] }>('GET', `/console/api/emergencies/${emergency.id}/delivery`)).boards.map((x) => [x.deviceId, x.state]), { timeout: 60_000 })
    .toEqual([[boardA.deviceId, 'shown']])
  await expect(pageB.getByTestId('emergency')).toHaveCount(0)
  await page.screenshot({ path: testInfo.outputPath('board-a-emergency.png') })
  await pageB.screenshot({ path: testInfo.outputPath('board-b.png') })
  await testInfo.attach('board-b.png', { path: testInfo.outputPath('board-b.png'), contentType: 'image/png' })
})
