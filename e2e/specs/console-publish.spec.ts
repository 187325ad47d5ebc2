// Issue 14, publishing a notice as officers do, in the console: the product started by its command, an
// administrator sets up two districts with a commune each, an editor and an approver (Người dùng & đơn vị);
// two browser-shell boards paired on screen into the communes; the editor uploads a picture and writes the
// notice on Nội dung, then schedules them for one commune
// on weekdays 07:00–17:00 with priority (Lịch phát) and submits it; the approver reads its preview, is told
// a send-back needs a reason, sends it back with one; the editor reads the reason and resubmits; the
// approver approves (Duyệt). The commune's board shows it (OCR of its pixels), the
// other district's board does not, and the board's week (Lịch phát) shows the window. axe on both pages.
// Time: the product's and boards' clocks are moved together to a weekday morning in Vietnam when the spec
// runs outside one (e2e/fixtures/weekday-morning.ts); the console's browser keeps the real clock.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Locator, Page } from '@playwright/test'
import { expectAccessible } from '../fixtures/axe'
import { expectFitsScreen, SCREENS } from '../fixtures/console'
import { solidPng } from '../fixtures/images'
import { decodePng, detail, ocr, ocrFold, recall } from '../fixtures/pixels'
import { Console, startProductServer } from '../fixtures/product'
import { expect, test } from '../fixtures/test'
import { offsetToWeekdayMorning, shiftedClockEnv, vnDate } from '../fixtures/weekday-morning'

const TITLE = 'Lịch tiêm chủng mở rộng tháng Mười Hai'
const BODY = 'Trạm y tế xã tiêm vắc-xin sởi – rubella cho trẻ từ 9 tháng tuổi vào sáng thứ Bảy, mang theo sổ tiêm chủng.'
const screenshotDir = process.env.CONSOLE_SCREENSHOTS ?? null

async function noticeRead(page: Page): Promise<number> {
  const read = await ocr(await decodePng(await page.screenshot()))
  return Math.min(recall(TITLE, read.text, ocrFold), recall(BODY, read.text, ocrFold))
}

async function codeOnScreen(page: Page): Promise<string> {
  await expect(page.getByTestId('pairing')).toBeVisible({ timeout: 30_000 })
  return (await page.getByTestId('pairing-code').textContent())!.trim()
}

/** Clicks (and choices in a list) the officer makes, counted for the closing note. */
class Officer {
  clicks = 0
  constructor(readonly page: Page) {}
  async click(target: Locator): Promise<void> {
    this.clicks++
    await target.click()
  }
  async choose(target: Locator, option: { value?: string; label?: string }): Promise<void> {
    this.clicks++
    await target.selectOption(option)
  }
}

async function check(page: Page, name: string, screen: keyof typeof SCREENS): Promise<void> {
  await page.evaluate(() => document.fonts.ready)
  await expectFitsScreen(page, `${name} (${screen})`)
  await expectAccessible(page, `${name} (${screen})`)
  if (screenshotDir) {
    mkdirSync(screenshotDir, { recursive: true })
    await page.screenshot({ path: join(screenshotDir, `${name}-${screen}.png`), fullPage: true })
  }
}

async function signIn(page: Page, url: string, username: string, password: string): Promise<void> {
  await page.goto(`${url}/console/sign-in`)
  await page.getByLabel('Tên đăng nhập').fill(username)
  await page.getByLabel('Mật khẩu').fill(password)
  await page.getByRole('button', { name: 'Đăng nhập' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Tổng quan' })).toBeVisible({ timeout: 20_000 })
}

async function signInFirstTime(page: Page, url: string, username: string, oneTime: string, password: string): Promise<void> {
  await page.goto(`${url}/console/sign-in`)
  await page.getByLabel('Tên đăng nhập').fill(username)
  await page.getByLabel('Mật khẩu').fill(oneTime)
  await page.getByRole('button', { name: 'Đăng nhập' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Đổi mật khẩu' })).toBeVisible({ timeout: 20_000 })
  await page.getByLabel('Mật khẩu hiện tại (mật khẩu một lần)').fill(oneTime)
  await page.getByLabel('Mật khẩu mới', { exact: true }).fill(password)
  await page.getByLabel('Nhập lại mật khẩu mới').fill(password)
  await page.getByRole('button', { name: 'Đổi mật khẩu' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Tổng quan' })).toBeVisible({ timeout: 20_000 })
}

/**
 * The approver's preview at a size other than the default: the 1920×384 LED strip chosen; the frame on the
 * page has the strip's shape and holds text (its pixels), and the same page at its real size ("Xem cỡ thật",
 * the board's own pixels) reads back the notice's title (OCR) at the type size the frame reported.
 */
async function stripPreview(page: Page, awaiting: Locator): Promise<void> {
  const choice = awaiting.locator('section.board-preview-choice', { hasText: TITLE })
  await expect(choice.locator('[data-preview-size="1920×1080"]')).toHaveAttribute('data-font-px', /^[1-9]\d*$/, { timeout: 20_000 })
  await choice.getByRole('button', { name: '1920×384' }).click()
  await expect(choice.getByRole('button', { name: '1920×384' })).toHaveAttribute('aria-pressed', 'true')
  const strip = choice.locator('[data-preview-size="1920×384"]')
  await expect(strip).toHaveAttribute('data-font-px', /^[1-9]\d*$/, { timeout: 20_000 })
  await expect(choice.locator('[data-preview-size="1920×1080"]')).toHaveCount(0)
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))))
  const framed = await decodePng(await strip.locator('.board-frame').screenshot())
  expect(Math.abs(framed.width / framed.height - 5), `framed strip ${framed.width}×${framed.height}`).toBeLessThan(0.15)
  expect(detail(framed).varied, 'the framed strip holds text').toBeGreaterThan(0.01)
  const href = await strip.locator('a[data-real-size="1920×384"]').getAttribute('href')
  const real = await page.context().newPage()
  try {
    await real.setViewportSize({ width: 1920, height: 384 })
    await real.goto(new URL(href!, page.url()).toString())
    await expect(real.locator('body[data-preview-ready="true"]')).toBeAttached({ timeout: 20_000 })
    await real.evaluate(() => document.fonts.ready)
    await real.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))))
    const fontPx = await real.locator('.slide[data-active="true"] [data-testid="text-content"]').getAttribute('data-fit-size')
    expect(fontPx).toBe(await strip.getAttribute('data-font-px'))
    const image = await decodePng(await real.screenshot())
    expect([image.width, image.height]).toEqual([1920, 384])
    const read = Math.max(...(await Promise.all((['grey', 'dark-ink'] as const).map(async (mode) => recall(TITLE, (await ocr(image, undefined, mode)).text, ocrFold)))))
    expect(read, 'the strip preview at real size reads the title').toBeGreaterThanOrEqual(0.8)
  } finally {
    await real.close()
  }
}

test('an editor schedules a Vietnamese notice for one commune, weekdays 07:00–17:00 with priority; the approver approves; only that commune’s board shows it', async ({ page, rig }, testInfo) => {
  test.setTimeout(8 * 60_000)
  const offset = offsetToWeekdayMorning()
  const env = shiftedClockEnv(offset)
  const boardDay = vnDate(Date.now() + offset)
  testInfo.annotations.push({ type: 'clock', description: offset ? `product and boards moved ${Math.round(offset / 60_000)} min ahead, to ${new Date(Date.now() + offset).toISOString()}` : 'real time (a weekday morning in Vietnam)' })
  const product = await startProductServer(rig, { env })
  const url = product.url
  await page.setViewportSize(SCREENS.laptop)
  const nav = page.getByRole('navigation', { name: 'Điều hướng chính' })

  // The administrator: first sign-in, two districts with a commune each, an editor and an approver.
  await signInFirstTime(page, url, product.firstAdmin.username, product.firstAdmin.password, 'quản-trị-tỉnh-2026')
  await nav.getByRole('link', { name: 'Người dùng & đơn vị' }).click()
  const unitForm = page.locator('form', { has: page.getByRole('heading', { name: 'Thêm đơn vị' }) })
  const addUnit = async (name: string, parent?: string) => {
    if (parent) await unitForm.getByLabel('Thuộc đơn vị').selectOption({ label: `\u00a0\u00a0${parent} (Huyện)` })
    await unitForm.getByLabel('Tên đơn vị').fill(name)
    await unitForm.getByRole('button', { name: 'Thêm đơn vị' }).click()
    await expect(page.getByRole('status').filter({ hasText: `Đã tạo đơn vị “${name}”.` })).toBeVisible()
  }
  await addUnit('Huyện Ninh Phước')
  await addUnit('Huyện Thuận Bắc')
  await addUnit('Xã Phước Hậu', 'Huyện Ninh Phước')
  await addUnit('Xã Lợi Hải', 'Huyện Thuận Bắc')
  const userForm = page.locator('form', { has: page.getByLabel('Họ và tên') })
  const addUser = async (username: string, displayName: string, role: string): Promise<string> => {
    await userForm.getByLabel('Đơn vị').selectOption({ label: '\u00a0\u00a0Huyện Ninh Phước (Huyện)' })
    await userForm.getByLabel('Tên đăng nhập').fill(username)
    await userForm.getByLabel('Họ và tên').fill(displayName)
    await userForm.getByLabel('Vai trò').selectOption({ label: role })
    await userForm.getByRole('button', { name: 'Thêm người dùng' }).click()
    await expect(page.locator(`tr[data-user="${username}"]`)).toBeVisible()
    return (await page.getByTestId('one-time-password').textContent())!.trim()
  }
  const editorOneTime = await addUser('bientap', 'Nguyễn Thị Biên', 'Biên tập')
  const approverOneTime = await addUser('duyet', 'Trần Văn Duyệt', 'Duyệt')
  const admin = await Console.signIn(url, product.firstAdmin.username, 'quản-trị-tỉnh-2026')
  const units = (await admin.ok<{ units: { id: string; name: string }[] }>('GET', '/console/api/units')).units
  const unitId = (name: string) => units.find((u) => u.name === name)!.id

  // Two boards given only the server's URL show codes; each is approved into a commune (API: the boards
  // page belongs to another branch).
  const config = { serverUrl: url, allowInsecureHttp: true }
  const shellA = await rig.shell({ config, env })
  const shellB = await rig.shell({ config, env })
  const boardPageA = await page.context().newPage()
  const boardPageB = await page.context().newPage()
  for (const [p, shell] of [[boardPageA, shellA], [boardPageB, shellB]] as const) {
    await p.setViewportSize({ width: 1280, height: 720 })
    await p.goto(shell.screenUrl)
  }
  const codeA = await codeOnScreen(boardPageA)
  const codeB = await codeOnScreen(boardPageB)
  await expect.poll(async () => (await admin.ok<{ pairings: { code: string }[] }>('GET', '/console/api/pairings')).pairings.map((p) => p.code).sort(), { timeout: 20_000 }).toEqual([codeA, codeB].sort())
  const boardA = await admin.ok<{ deviceId: string }>('POST', '/console/api/pairings/approve', { code: codeA, unitId: unitId('Xã Phước Hậu'), displayName: 'Bảng UBND xã Phước Hậu' })
  await admin.ok('POST', '/console/api/pairings/approve', { code: codeB, unitId: unitId('Xã Lợi Hải'), displayName: 'Bảng chợ Lợi Hải' })
  await expect(boardPageA.getByTestId('pairing')).toBeHidden({ timeout: 30_000 })
  await expect(boardPageB.getByTestId('pairing')).toBeHidden({ timeout: 30_000 })

  // The editor: first sign-in. From here every click of a first-time officer is counted, starting at Tổng
  // quan: on Nội dung the picture is uploaded with the file picker and the notice written (full diacritics).
  await page.getByRole('button', { name: 'Đăng xuất' }).click()
  await signInFirstTime(page, url, 'bientap', editorOneTime, 'biên-tập-viên-2026')
  const editor = new Officer(page)
  await editor.click(nav.getByRole('link', { name: 'Nội dung', exact: true }))
  await expect(page.getByRole('heading', { level: 1, name: 'Nội dung' })).toBeVisible()
  const chooser = page.waitForEvent('filechooser')
  await editor.click(page.getByRole('button', { name: 'Chọn tệp từ máy…' }))
  await (await chooser).setFiles({ name: 'anh-tiem-chung.png', mimeType: 'image/png', buffer: solidPng(320, 180, [30, 90, 160]) })
  await expect(page.locator('[data-upload="anh-tiem-chung.png"]')).toHaveAttribute('data-state', 'done', { timeout: 30_000 })
  await page.getByLabel('Tiêu đề').fill(TITLE)
  await page.getByLabel('Nội dung thông báo').fill(BODY)
  await editor.click(page.getByRole('button', { name: 'Lưu thông báo' }))
  await expect(page.getByText(`Đã lưu “${TITLE}”.`)).toBeVisible({ timeout: 20_000 })
  const library = page.locator('table')
  await expect(library.locator('tr[data-kind="text"]', { hasText: TITLE })).toBeVisible({ timeout: 20_000 })
  await expect(library.locator('tr[data-kind="image"]')).toContainText('320×180')

  await editor.click(nav.getByRole('link', { name: 'Lịch phát' }))
  await expect(page.getByRole('heading', { level: 1, name: 'Lịch phát' })).toBeVisible()
  await page.getByLabel('Tên danh sách phát mới').fill('Tin y tế tháng 12')
  await editor.click(page.getByRole('button', { name: 'Tạo danh sách phát' }))
  const editorBox = page.locator('section.playlist-editor')
  await expect(editorBox.getByRole('heading', { name: 'Tin y tế tháng 12' })).toBeVisible()
  const pick = editorBox.getByLabel('Thêm từ thư viện')
  for (const kind of ['thông báo chữ', 'ảnh']) {
    const option = pick.locator('option', { hasText: ` · ${kind}` })
    await expect(option).toHaveCount(1, { timeout: 20_000 })
    const id = (await option.getAttribute('value'))!
    await editor.choose(pick, { value: id })
    await editor.click(editorBox.getByRole('button', { name: 'Thêm vào danh sách' }))
    await expect(editorBox.locator(`li[data-content="${id}"]`)).toBeVisible()
  }
  await editor.click(page.getByRole('button', { name: 'Đặt lịch mới' }))
  const form = page.getByRole('form', { name: 'Đặt lịch mới' })
  await form.getByLabel('Tên lịch').fill('Tiêm chủng tháng 12')
  await form.getByLabel('Từ ngày').fill(boardDay)
  await editor.click(form.getByRole('button', { name: 'Thứ Hai – Thứ Sáu' }))
  await editor.click(form.getByRole('button', { name: 'Thêm khung giờ' }))
  await expect(form.getByLabel('Khung 1: từ')).toHaveValue('07:00')
  await expect(form.getByLabel('Khung 1: đến (hh:mm)')).toHaveValue('17:00')
  await editor.click(form.getByRole('radio', { name: 'Ưu tiên' }))
  // A mistyped end time is refused under its own field, in Vietnamese (not counted: a detour).
  await form.getByLabel('Khung 1: đến (hh:mm)').fill('17:60')
  await form.getByRole('button', { name: 'Lưu nháp' }).click()
  await expect(form.getByLabel('Khung 1: đến (hh:mm)')).toHaveAttribute('aria-invalid', 'true')
  const windowError = form.locator('.window-row .field-error')
  await expect(windowError).toHaveText('Giờ phải viết dạng hh:mm, từ 00:00 đến 24:00 (ví dụ 07:30).')
  await form.getByLabel('Khung 1: đến (hh:mm)').fill('17:00')
  await editor.click(form.getByRole('checkbox', { name: 'Xã Phước Hậu (Xã)' }))
  await check(page, 'schedule-form', 'laptop')
  await editor.click(form.getByRole('button', { name: 'Lưu và gửi duyệt' }))
  await expect(page.getByRole('status').filter({ hasText: 'Đã gửi duyệt.' })).toBeVisible({ timeout: 20_000 })
  const row = page.locator('tr[data-entry="Tiêm chủng tháng 12"]')
  await expect(row).toHaveAttribute('data-status', 'submitted')
  await expect(row).toContainText('T2, T3, T4, T5, T6 · 07:00–17:00')
  await expect(row).toContainText('Xã Phước Hậu')
  const editorClicks = editor.clicks

  // The approver: first sign-in, Duyệt; the preview; a send-back needs a reason (in the page's language).
  await page.getByRole('button', { name: 'Đăng xuất' }).click()
  await signInFirstTime(page, url, 'duyet', approverOneTime, 'người-duyệt-2026')
  await nav.getByRole('link', { name: 'Duyệt', exact: true }).click()
  const awaiting = page.locator('article[data-submission="Tiêm chủng tháng 12"]')
  await expect(awaiting).toContainText('Xã Phước Hậu')
  await expect(awaiting).toContainText('Ưu tiên')
  // The picture is seen before it is approved: decoded, with a size, inside the page.
  const picture = awaiting.locator('.preview-picture img')
  await expect(picture).toBeVisible()
  await expect.poll(() => picture.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), { timeout: 20_000 }).toBe(true)
  await stripPreview(page, awaiting)
  // The chosen preview fits a phone too (no screenshot here: approval-phone is taken at the end).
  await page.setViewportSize(SCREENS.phone)
  await expectFitsScreen(page, 'approval with the strip preview (phone)')
  await expectAccessible(page, 'approval with the strip preview (phone)')
  await page.setViewportSize(SCREENS.laptop)
  await page.getByRole('button', { name: 'Trả lại', exact: true }).click()
  await page.getByRole('button', { name: 'Trả lại kèm lý do' }).click()
  const reason = page.getByLabel('Lý do trả lại')
  await expect(reason).toHaveAttribute('aria-invalid', 'true')
  await expect(page.getByText('Phải nêu lý do trả lại.')).toBeVisible()
  await check(page, 'approval', 'laptop')
  await page.getByRole('button', { name: 'Switch to English' }).click()
  await expect(page.getByLabel('Reason for sending back')).toHaveAttribute('aria-invalid', 'true')
  await expect(page.getByText('A reason for sending it back is required.')).toBeVisible()
  await page.getByRole('button', { name: 'Chuyển sang tiếng Việt' }).click()
  // Sent back with a reason: the editor reads it beside the entry and submits it again.
  await reason.fill('Ghi rõ giờ tiêm buổi sáng.')
  await page.getByRole('button', { name: 'Trả lại kèm lý do' }).click()
  await expect(page.getByRole('status').filter({ hasText: 'Đã trả lại cho người soạn.' })).toBeVisible({ timeout: 20_000 })
  await expect(page.locator('li[data-history="Tiêm chủng tháng 12"]')).toContainText('lý do: Ghi rõ giờ tiêm buổi sáng.')
  await page.getByRole('button', { name: 'Đăng xuất' }).click()
  await signIn(page, url, 'bientap', 'biên-tập-viên-2026')
  await nav.getByRole('link', { name: 'Lịch phát' }).click()
  await expect(row).toHaveAttribute('data-status', 'returned')
  await expect(row).toContainText('Lý do trả lại: Ghi rõ giờ tiêm buổi sáng.')
  await row.getByRole('button', { name: 'Gửi duyệt lịch Tiêm chủng tháng 12' }).click()
  await expect(row).toHaveAttribute('data-status', 'submitted')
  await page.getByRole('button', { name: 'Đăng xuất' }).click()

  // The approver approves (counted from Tổng quan).
  await signIn(page, url, 'duyet', 'người-duyệt-2026')
  const approver = new Officer(page)
  await approver.click(nav.getByRole('link', { name: 'Duyệt', exact: true }))
  await approver.click(awaiting.getByRole('button', { name: 'Duyệt và phát hành' }))
  await expect(page.getByRole('status').filter({ hasText: 'Đã duyệt.' })).toBeVisible({ timeout: 30_000 })
  await expect(page.locator('li[data-history="Tiêm chủng tháng 12"]')).toContainText('Đã duyệt')

  // The commune's board shows it: in the DOM, then in pixels (OCR).
  await expect(boardPageA.locator('[data-testid="text-content"]').filter({ hasText: TITLE }).first()).toBeVisible({ timeout: 90_000 })
  await expect.poll(() => noticeRead(boardPageA), { timeout: 90_000, intervals: [2_000] }).toBeGreaterThanOrEqual(0.75)
  await boardPageA.screenshot({ path: testInfo.outputPath('board-phuoc-hau.png') })
  // The other district's board, connected to the same server, shows none of it.
  await expect
    .poll(async () => {
      const res = await fetch(`${url}/admin/devices`, { headers: { authorization: `Bearer ${product.adminToken}` } })
      return ((await res.json()) as { devices: { connected: boolean }[] }).devices.filter((d) => d.connected).length
    }, { timeout: 30_000 })
    .toBe(2)
  await expect(boardPageB.locator('[data-testid="text-content"]').filter({ hasText: TITLE })).toHaveCount(0)
  expect(await noticeRead(boardPageB)).toBeLessThan(0.3)
  await boardPageB.screenshot({ path: testInfo.outputPath('board-loi-hai.png') })

  // The board's week on the schedule page: the weekday window, priority; readable on a laptop and a phone.
  await nav.getByRole('link', { name: 'Lịch phát' }).click()
  await page.getByLabel('Bảng tin', { exact: true }).selectOption({ value: boardA.deviceId })
  await page.getByLabel('Từ ngày', { exact: true }).fill(boardDay)
  const day = page.locator(`li.week-day[data-date="${boardDay}"]`)
  await expect(day.locator('.week-list')).toContainText('07:00–17:00 Tiêm chủng tháng 12')
  await expect(day.locator('.week-list')).toContainText('Ưu tiên')
  await check(page, 'schedule', 'laptop')
  // Sửa → Lưu nháp with nothing changed keeps the approved entry approved (on the boards); a real change asks first, naming it.
  await expect(row).toHaveAttribute('data-status', 'approved')
  await row.getByRole('button', { name: 'Sửa lịch Tiêm chủng tháng 12' }).click()
  const editForm = page.getByRole('form', { name: 'Sửa lịch' })
  await editForm.getByRole('button', { name: 'Lưu nháp' }).click()
  await expect(editForm).toBeHidden({ timeout: 20_000 })
  await expect(row).toHaveAttribute('data-status', 'approved')
  await row.getByRole('button', { name: 'Sửa lịch Tiêm chủng tháng 12' }).click()
  await editForm.getByLabel('Tên lịch').fill('Tiêm chủng tháng 12 (sửa)')
  await editForm.getByRole('button', { name: 'Lưu nháp' }).click()
  await expect(editForm.getByRole('group', { name: 'Vẫn lưu' })).toContainText('Lịch phát “Tiêm chủng tháng 12” đã được duyệt.')
  await editForm.getByRole('group', { name: 'Vẫn lưu' }).getByRole('button', { name: 'Huỷ' }).click()
  await editForm.getByRole('button', { name: 'Huỷ' }).click()
  await expect(row).toHaveAttribute('data-status', 'approved')
  await page.setViewportSize(SCREENS.phone)
  await expect(day.locator('.week-list')).toBeVisible()
  await check(page, 'schedule', 'phone')
  await page.getByRole('button', { name: 'Đặt lịch mới' }).click()
  await expect(page.getByRole('form', { name: 'Đặt lịch mới' })).toBeVisible()
  await check(page, 'schedule-form', 'phone')
  await page.getByRole('button', { name: 'Huỷ' }).click()
  await page.getByRole('button', { name: 'Mở trình đơn' }).click()
  await nav.getByRole('link', { name: 'Duyệt', exact: true }).click()
  await expect(page.locator('li[data-history="Tiêm chủng tháng 12"]')).toBeVisible()
  await check(page, 'approval', 'phone')

  const total = editorClicks + approver.clicks
  testInfo.annotations.push({ type: 'clicks', description: `editor ${editorClicks}, approver ${approver.clicks}, total ${total} (text typed in 5 fields not counted)` })
  console.log(`CLICKS editor=${editorClicks} approver=${approver.clicks} total=${total}`)
})
