// Nội dung (library) in real Chromium against the server with the product's rooms: an editor uploads a
// picture (file picker) and a real video made by ffmpeg (dropped on the area), each with its progress bar
// reaching 100 %; a file that is not a picture shows the server's refusal next to its name; a notice is
// written (the four board previews lay it out) and appears in the list with the uploads; renaming works;
// deleting an item a playlist uses shows the playlist's name. axe on the page.
import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { expectAccessible } from '../fixtures/axe'
import { expect, expectFitsScreen, SCREENS, signIn } from '../fixtures/console'
import { bombPng, stripedPng } from '../fixtures/images'
import { test } from '../fixtures/library-console'

const screenshotDir = process.env.CONSOLE_SCREENSHOTS ?? null

async function screenshot(page: Page, name: string): Promise<void> {
  if (!screenshotDir) return
  mkdirSync(screenshotDir, { recursive: true })
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true })
}

/** Drops files on an element as a person dragging them from the desktop would (a DataTransfer with Files). */
async function dropFiles(page: Page, testId: string, files: { name: string; mime: string; bytes: Buffer }[]): Promise<void> {
  const payload = files.map((f) => ({ name: f.name, mime: f.mime, base64: f.bytes.toString('base64') }))
  await page.getByTestId(testId).evaluate((zone, list) => {
    const transfer = new DataTransfer()
    for (const f of list) {
      const bytes = Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0))
      transfer.items.add(new File([bytes], f.name, { type: f.mime }))
    }
    zone.dispatchEvent(new DragEvent('dragover', { bubbles: true, cancelable: true, dataTransfer: transfer }))
    zone.dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: transfer }))
  }, payload)
}

test('an editor uploads a picture and a video, writes a notice, and sees them in the library; a wrong file is refused next to its name', async ({ page, console: server, rig }) => {
  test.setTimeout(120_000)
  const district = await server.addUnit(server.rootUnitId, 'Huyện Ninh Phước')
  const commune = await server.addUnit(district, 'Xã Phước Hậu')
  const editor = await server.addUser(commune, 'bientap.phuochau', 'bien-tap')
  const dir = await rig.tempDir('bangtin-content-spec-')
  const video = join(dir, 'Họp dân.mp4')
  execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=25', '-t', '3', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-movflags', '+faststart', video])

  // Nothing the CSP must block, in the page or in the framed board previews (init scripts run in frames too).
  const violations: string[] = []
  await page.exposeFunction('reportCspViolation', (text: string) => violations.push(text))
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => void (window as unknown as { reportCspViolation(t: string): void }).reportCspViolation(`${location.pathname}: ${event.effectiveDirective} ${event.blockedURI}`))
  })
  await page.setViewportSize(SCREENS.laptop)
  await signIn(page, server, editor.username, editor.password)
  await page.getByRole('link', { name: 'Nội dung', exact: true }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Nội dung' })).toBeVisible()

  // A picture through the file picker (what a keyboard user reaches with the button), a wrong file with it.
  await page.getByTestId('file-picker').setInputFiles([
    { name: 'Ảnh hội nghị.png', mimeType: 'image/png', buffer: stripedPng(640, 360) },
    { name: 'thong-bao.png', mimeType: 'image/png', buffer: Buffer.from('<html><body>không phải ảnh</body></html>'.repeat(20)) },
    { name: 'ban-do-khong-lo.png', mimeType: 'image/png', buffer: bombPng(12_000) }
  ])
  // The video dropped on the area.
  await dropFiles(page, 'drop-zone', [{ name: 'Họp dân.mp4', mime: 'video/mp4', bytes: readFileSync(video) }])

  const picture = page.locator('[data-upload="Ảnh hội nghị.png"]')
  const wrong = page.locator('[data-upload="thong-bao.png"]')
  const clip = page.locator('[data-upload="Họp dân.mp4"]')
  for (const row of [picture, clip]) {
    await expect(row).toHaveAttribute('data-state', 'done', { timeout: 30_000 })
    await expect(row.getByRole('progressbar')).toHaveAttribute('value', '100')
    await expect(row).toContainText('Đã tải lên')
  }
  await expect(wrong).toHaveAttribute('data-state', 'failed', { timeout: 30_000 })
  await expect(wrong.getByRole('alert')).toContainText('Không tải lên được')
  // The server's own words (sniffed type), in Vietnamese, next to the file.
  const refusal = await wrong.getByRole('alert').innerText()
  expect(refusal.length).toBeGreaterThan(30)
  // Too many pixels for a board to decode: the server says how many, next to that file.
  const huge = page.locator('[data-upload="ban-do-khong-lo.png"]')
  await expect(huge).toHaveAttribute('data-state', 'failed', { timeout: 30_000 })
  await expect(huge.getByRole('alert')).toContainText('12000×12000')
  // Too large (a picture is at most 50 MB): refused while it streams, the server's words next to it.
  const heavy = join(dir, 'anh-qua-nang.png')
  writeFileSync(heavy, Buffer.concat([stripedPng(64, 64), Buffer.alloc(51 * 1024 * 1024)]))
  await page.getByTestId('file-picker').setInputFiles(heavy)
  const tooBig = page.locator('[data-upload="anh-qua-nang.png"]')
  await expect(tooBig).toHaveAttribute('data-state', 'failed', { timeout: 60_000 })
  await expect(tooBig.getByRole('alert')).toContainText('50 MB')

  // A notice with full diacritics.
  const title = 'THÔNG BÁO Lịch tiêm chủng mở rộng tháng Mười Một'
  const body = 'Trạm Y tế xã Phước Hậu tổ chức tiêm chủng cho trẻ dưới 5 tuổi vào sáng thứ Bảy, từ 7 giờ đến 11 giờ.\n\nĐề nghị phụ huynh mang theo sổ tiêm chủng và căn cước công dân.'
  await page.getByLabel('Tiêu đề').fill(title)
  await page.getByLabel('Nội dung thông báo').fill(body)
  // The four boards lay it out (the renderer answers with its pages and type size).
  for (const size of ['1920×1080', '1080×1920', '1920×384', '768×192']) {
    await expect(page.locator(`[data-preview-size="${size}"]`)).toHaveAttribute('data-font-px', /^[1-9]\d*$/, { timeout: 20_000 })
  }
  // A colour and size preset: the framed board shows the warning colours and smaller type.
  const landscape = page.locator('[data-preview-size="1920×1080"]').frameLocator('iframe')
  const shownText = landscape.locator('.slide[data-active="true"] [data-testid="text-content"]')
  await expect(shownText).toContainText('sổ tiêm chủng', { timeout: 20_000 })
  const largePx = Number(await shownText.getAttribute('data-fit-size'))
  await page.getByLabel('Màu', { exact: true }).selectOption('canh-bao')
  await page.getByLabel('Cỡ chữ', { exact: true }).selectOption('vua')
  await expect(landscape.locator('.text-scheme')).toHaveAttribute('data-scheme', 'canh-bao', { timeout: 20_000 })
  await expect(landscape.locator('.text-scheme')).toHaveCSS('background-image', /rgb\(255, 179, 0\)/)
  await expect.poll(async () => Number(await shownText.getAttribute('data-fit-size')), { timeout: 20_000 }).toBeLessThan(largePx)
  await screenshot(page, 'content-notice-preset')
  await page.getByRole('button', { name: 'Lưu thông báo' }).click()
  await expect(page.getByText(/Đã lưu “THÔNG BÁO Lịch tiêm chủng/)).toBeVisible()
  await page.getByLabel('Màu', { exact: true }).selectOption('thuong')
  await page.getByLabel('Cỡ chữ', { exact: true }).selectOption('lon')

  // All three in the library, with what each is.
  const list = page.locator('table')
  await expect(list.locator('tr[data-kind="text"]', { hasText: 'THÔNG BÁO Lịch tiêm chủng' })).toBeVisible()
  // The notice's preset is shown in its row and changed there (the row reads what the server stored).
  const noticeRow = list.locator('tr[data-kind="text"]', { hasText: 'THÔNG BÁO Lịch tiêm chủng' })
  await expect(noticeRow).toContainText('Cảnh báo · Chữ vừa')
  await noticeRow.getByRole('button', { name: /^Đổi màu, cỡ chữ của / }).click()
  const presetForm = noticeRow.getByRole('form', { name: /^Đổi màu, cỡ chữ của / })
  await expect(presetForm.getByLabel('Màu', { exact: true })).toHaveValue('canh-bao')
  await expect(presetForm.getByLabel('Cỡ chữ', { exact: true })).toHaveValue('vua')
  await expectAccessible(page, 'content, a notice’s preset in the list')
  await presetForm.getByLabel('Màu', { exact: true }).selectOption('trang-trong')
  await presetForm.getByLabel('Cỡ chữ', { exact: true }).selectOption('lon')
  await presetForm.getByRole('button', { name: 'Lưu', exact: true }).click()
  await expect(page.getByText(/Đã đổi màu, cỡ chữ của “THÔNG BÁO Lịch tiêm chủng/)).toBeVisible({ timeout: 20_000 })
  await expect(noticeRow).toContainText('Trang trọng · Chữ lớn', { timeout: 20_000 })
  await expect(presetForm).toHaveCount(0)
  await expect(list.locator('tr[data-kind="image"][data-item="Ảnh hội nghị"]')).toContainText('640×360')
  await expect(list.locator('tr[data-kind="video"][data-item="Họp dân"]')).toContainText('320×240')
  await expect(list.locator('tr[data-kind="video"][data-item="Họp dân"]')).toContainText('3 giây')
  // The picture's thumbnail is the picture (served to its unit's users).
  const thumb = list.locator('tr[data-item="Ảnh hội nghị"] img.thumb')
  await expect.poll(() => thumb.evaluate((img) => (img as HTMLImageElement).naturalWidth), { timeout: 20_000 }).toBe(640)

  // A ticker at a speed preset, and a live stream whose wrong address is refused under its field.
  await page.getByRole('button', { name: 'Chữ chạy', exact: true }).click()
  await page.getByLabel('Dòng chữ chạy').fill('Lịch cắt điện: thứ Năm, từ 8 giờ đến 16 giờ, khu vực thôn Hậu Sanh.')
  await page.getByLabel('Tốc độ').selectOption({ label: 'Nhanh' })
  await page.getByRole('button', { name: 'Lưu chữ chạy' }).click()
  await expect(list.locator('tr[data-kind="ticker"]', { hasText: 'Lịch cắt điện' })).toBeVisible()
  await page.getByRole('button', { name: 'Luồng trực tiếp', exact: true }).click()
  await page.getByLabel('Tên luồng').fill('Truyền hình tỉnh')
  const url = page.getByLabel('Địa chỉ luồng HLS (.m3u8)')
  await url.fill('https://truyenhinh.example.vn/kenh1/trang-chu.html')
  await page.getByRole('button', { name: 'Lưu luồng trực tiếp' }).click()
  await expect(url).toHaveAttribute('aria-invalid', 'true')
  await expect(page.locator('.field', { has: url }).locator('.field-error')).toContainText('.m3u8')
  await url.fill('https://truyenhinh.example.vn/kenh1/index.m3u8')
  await page.getByRole('button', { name: 'Lưu luồng trực tiếp' }).click()
  await expect(list.locator('tr[data-kind="stream"][data-item="Truyền hình tỉnh"]')).toContainText('index.m3u8')
  await page.getByRole('button', { name: 'Thông báo', exact: true }).click()

  // A long draft (several pages on the LED strips) for the page's picture and checks.
  await page.getByLabel('Tiêu đề').fill('Kế hoạch phòng, chống bão số 9')
  await page.getByLabel('Nội dung thông báo').fill(`${body}\n\n${body}\n\nỦy ban nhân dân xã đề nghị các hộ gia đình ở vùng trũng thấp chủ động di dời người, tài sản đến nơi an toàn trước 17 giờ.`)
  await expect(page.locator('[data-preview-size="768×192"]')).toHaveAttribute('data-pages', /^[2-9]|\d\d+$/, { timeout: 20_000 })
  // The officer steps to the next page: the framed board shows it.
  const small = page.locator('[data-preview-size="768×192"]')
  await page.getByRole('button', { name: 'Trang sau (768×192)' }).click()
  await expect(small).toHaveAttribute('data-page', '1')
  await expect(small.frameLocator('iframe').locator('body')).toHaveAttribute('data-preview-page', '1')
  await expect(small.frameLocator('iframe').locator('.slide[data-active="true"] [data-testid="text-content"]')).toHaveCSS('transform', /matrix\(1, 0, 0, 1, -\d+/)
  await page.evaluate(() => document.fonts.ready)
  await expectAccessible(page, 'content (laptop)')
  await expectFitsScreen(page, 'content (laptop)')
  await screenshot(page, 'content-laptop')

  // Rename the picture in its row.
  await page.getByRole('button', { name: 'Đổi tên Ảnh hội nghị' }).click()
  await page.getByLabel('Tên mới cho Ảnh hội nghị').fill('Ảnh hội nghị tổng kết')
  await page.getByRole('button', { name: 'Lưu', exact: true }).click()
  await expect(list.locator('tr[data-item="Ảnh hội nghị tổng kết"]')).toBeVisible()

  // A playlist uses the video: deleting it is refused, naming the playlist.
  const me = await (await page.request.get(server.consoleUrl('/api/me'))).json()
  const items = await (await page.request.get(server.consoleUrl('/api/library/items?kind=video'))).json()
  const made = await page.request.post(server.consoleUrl('/api/playlists'), {
    headers: { 'X-CSRF-Token': me.csrfToken, Origin: server.server.url },
    data: { unitId: commune, name: 'Buổi sáng', items: [{ contentId: items.items[0].id }] }
  })
  expect(made.status(), await made.text()).toBe(201)
  await page.getByRole('button', { name: 'Xoá Họp dân' }).click()
  await list.locator('tr[data-item="Họp dân"]').getByRole('button', { name: 'Xoá', exact: true }).click()
  await expect(list.locator('tr[data-item="Họp dân"]').getByRole('alert')).toContainText('“Buổi sáng”')
  await expect(list.locator('tr[data-item="Họp dân"]')).toBeVisible()

  expect(violations, 'CSP violations').toEqual([])

  // English: the refusal and the page follow the toggle.
  await page.getByRole('button', { name: 'Switch to English' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Content' })).toBeVisible()
  await expect(wrong.getByRole('alert')).toContainText('Not uploaded')
})

test('the library page on a phone: accessible, nothing cut off', async ({ page, console: server }) => {
  const district = await server.addUnit(server.rootUnitId, 'Huyện Ninh Phước')
  const editor = await server.addUser(district, 'bientap.ninhphuoc', 'bien-tap')
  await page.setViewportSize(SCREENS.phone)
  await signIn(page, server, editor.username, editor.password)
  await page.goto(server.consoleUrl('/content'))
  await expect(page.getByRole('heading', { level: 1, name: 'Nội dung' })).toBeVisible()
  await page.getByLabel('Tiêu đề').fill('Thông báo mất điện')
  await page.getByLabel('Nội dung thông báo').fill('Điện lực huyện Ninh Phước thông báo tạm ngừng cấp điện từ 8 giờ đến 16 giờ ngày thứ Năm.')
  await expect(page.locator('[data-preview-size="768×192"]')).toHaveAttribute('data-font-px', /^[1-9]\d*$/, { timeout: 20_000 })
  await page.evaluate(() => document.fonts.ready)
  await expectFitsScreen(page, 'content (phone)')
  await expectAccessible(page, 'content (phone)')
  await screenshot(page, 'content-phone')
})
