// The console's foundation in real Chromium against the real server and SQLite: the first administrator
// changes the one-time password, builds a district, a commune and an editor; the editor sees only what
// the role allows; errors appear next to their field in the page's language; the language toggle sticks.
import { expectAccessible } from '../fixtures/axe'
import { expect, signIn, test } from '../fixtures/console'

test('the first administrator changes the one-time password, adds a district, a commune and an editor, who sees only an editor’s menu', async ({ page, console: server }) => {
  const former = await server.addUser(server.rootUnitId, 'duyet.cu', 'duyet')
  await signIn(page, server, server.admin.username, server.admin.password)
  // First run: nothing else until the one-time password is changed.
  await expect(page).toHaveURL(/\/console\/change-password$/)
  await expect(page.getByRole('heading', { level: 1, name: 'Đổi mật khẩu' })).toBeVisible()
  await page.getByLabel('Mật khẩu hiện tại (mật khẩu một lần)').fill(server.admin.password)
  await page.getByLabel('Mật khẩu mới', { exact: true }).fill('ngắn')
  await page.getByLabel('Nhập lại mật khẩu mới').fill('ngắn')
  await page.getByRole('button', { name: 'Đổi mật khẩu' }).click()
  // Too short: the server's message, under the field it names.
  await expect(page.getByLabel('Mật khẩu mới', { exact: true })).toHaveAttribute('aria-invalid', 'true')
  await expect(page.locator('.field-error')).toContainText('quá ngắn')
  await page.getByLabel('Mật khẩu mới', { exact: true }).fill('Quản-trị-tỉnh-2026')
  await page.getByLabel('Nhập lại mật khẩu mới').fill('Quản-trị-tỉnh-2026')
  await page.getByRole('button', { name: 'Đổi mật khẩu' }).click()
  await expect(page).toHaveURL(/\/console\/$/)
  await expect(page.getByRole('heading', { level: 1, name: 'Tổng quan' })).toBeVisible()

  const nav = page.getByRole('navigation', { name: 'Điều hướng chính' })
  await nav.getByRole('link', { name: 'Người dùng & đơn vị' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Người dùng & đơn vị' })).toBeVisible()
  const unitForm = page.locator('form', { has: page.getByRole('heading', { name: 'Thêm đơn vị' }) })
  await unitForm.getByLabel('Tên đơn vị').fill('Huyện Đông Sơn')
  await unitForm.getByRole('button', { name: 'Thêm đơn vị' }).click()
  await expect(page.getByRole('status').filter({ hasText: 'Đã tạo đơn vị “Huyện Đông Sơn”.' })).toBeVisible()
  await expect(page.locator('.tree li[data-unit="Huyện Đông Sơn"]')).toBeVisible()
  await unitForm.getByLabel('Thuộc đơn vị').selectOption({ label: '\u00a0\u00a0Huyện Đông Sơn (Huyện)' })
  await unitForm.getByLabel('Tên đơn vị').fill('Xã Đông Hoà')
  await unitForm.getByRole('button', { name: 'Thêm đơn vị' }).click()
  await expect(page.locator('li[data-unit="Huyện Đông Sơn"] li[data-unit="Xã Đông Hoà"]')).toBeVisible()

  // Rename a commune and move it to another district; a wrong level is refused under the field.
  await unitForm.getByLabel('Thuộc đơn vị').selectOption({ label: '\u00a0\u00a0Huyện Đông Sơn (Huyện)' })
  await unitForm.getByLabel('Tên đơn vị').fill('Xã Đông Tiến')
  await unitForm.getByRole('button', { name: 'Thêm đơn vị' }).click()
  await expect(page.locator('li[data-unit="Huyện Đông Sơn"] li[data-unit="Xã Đông Tiến"]')).toBeVisible()
  await unitForm.getByLabel('Thuộc đơn vị').selectOption({ index: 0 })
  await unitForm.getByLabel('Tên đơn vị').fill('Huyện Nông Cống')
  await unitForm.getByRole('button', { name: 'Thêm đơn vị' }).click()
  await expect(page.locator('.tree li[data-unit="Huyện Nông Cống"]')).toBeVisible()
  const editForm = page.locator('form', { has: page.getByRole('heading', { name: 'Đổi tên hoặc chuyển đơn vị' }) })
  await editForm.getByLabel('Đơn vị cần sửa').selectOption({ label: '\u00a0\u00a0\u00a0\u00a0Xã Đông Tiến (Xã)' })
  await expect(editForm.getByLabel('Tên mới')).toHaveValue('Xã Đông Tiến')
  await editForm.getByLabel('Chuyển vào đơn vị').selectOption({ index: 0 })
  await editForm.getByRole('button', { name: 'Lưu đơn vị' }).click()
  await expect(editForm.getByLabel('Chuyển vào đơn vị')).toHaveAttribute('aria-invalid', 'true')
  await expect(editForm.locator('.field-error')).toContainText('cấp trên liền kề')
  await expectAccessible(page, 'users, a move refused')
  await editForm.getByLabel('Tên mới').fill('Xã Tế Lợi')
  await editForm.getByLabel('Chuyển vào đơn vị').selectOption({ label: '\u00a0\u00a0Huyện Nông Cống (Huyện)' })
  await editForm.getByRole('button', { name: 'Lưu đơn vị' }).click()
  await expect(page.getByRole('status').filter({ hasText: 'Đã lưu đơn vị “Xã Tế Lợi”.' })).toBeVisible()
  await expect(page.locator('li[data-unit="Huyện Nông Cống"] li[data-unit="Xã Tế Lợi"]')).toBeVisible()
  await expect(page.locator('li[data-unit="Huyện Đông Sơn"] li[data-unit="Xã Tế Lợi"]')).toHaveCount(0)
  await expect(page.locator('[data-unit="Xã Đông Tiến"]')).toHaveCount(0)

  // An editor in the commune: the one-time password is shown once.
  const userForm = page.locator('form', { has: page.getByLabel('Họ và tên') })
  await userForm.getByLabel('Đơn vị').selectOption({ label: '\u00a0\u00a0\u00a0\u00a0Xã Đông Hoà (Xã)' })
  await userForm.getByLabel('Tên đăng nhập').fill('bientap.donghoa')
  await userForm.getByLabel('Họ và tên').fill('Nguyễn Thị Hoà')
  await userForm.getByLabel('Vai trò').selectOption({ label: 'Biên tập' })
  await userForm.getByRole('button', { name: 'Thêm người dùng' }).click()
  const oneTime = page.getByTestId('one-time-password')
  await expect(oneTime).toBeVisible()
  const editorPassword = (await oneTime.textContent())?.trim() ?? ''
  expect(editorPassword.length).toBeGreaterThanOrEqual(10)
  const row = page.locator('tr[data-user="bientap.donghoa"]')
  await expect(row).toContainText('Biên tập')
  await expect(row).toContainText('Xã Đông Hoà')
  await expect(row).toContainText('Chưa đổi mật khẩu một lần')

  // A username the server refuses: the error sits under that field.
  await userForm.getByLabel('Tên đăng nhập').fill('có dấu')
  await userForm.getByLabel('Họ và tên').fill('Ai Đó')
  await userForm.getByRole('button', { name: 'Thêm người dùng' }).click()
  await expect(userForm.getByLabel('Tên đăng nhập')).toHaveAttribute('aria-invalid', 'true')

  // Disabling asks first, in the row; a disabled account cannot sign in (said under the username).
  await page.locator('tr[data-user="duyet.cu"]').getByRole('button', { name: 'Vô hiệu hoá duyet.cu' }).click()
  const confirm = page.locator('tr[data-user="duyet.cu"]').getByRole('group', { name: /Vô hiệu hoá tài khoản duyet.cu/ })
  await confirm.getByRole('button', { name: 'Vô hiệu hoá' }).click()
  await expect(page.locator('tr[data-user="duyet.cu"]')).toContainText('Đã vô hiệu hoá')

  // Changing a role: chosen, then saved.
  await page.locator('tr[data-user="bientap.donghoa"]').getByRole('button', { name: 'Đổi vai trò của bientap.donghoa' }).click()
  await page.getByLabel('Vai trò mới của bientap.donghoa').selectOption({ label: 'Xem' })
  await page.locator('tr[data-user="bientap.donghoa"]').getByRole('button', { name: 'Lưu' }).click()
  await expect(page.getByRole('status').filter({ hasText: 'Đã đổi vai trò của bientap.donghoa thành Xem.' })).toBeVisible()
  await expect(page.locator('tr[data-user="bientap.donghoa"]')).toContainText('Xem')
  await page.locator('tr[data-user="bientap.donghoa"]').getByRole('button', { name: 'Đổi vai trò của bientap.donghoa' }).click()
  await page.getByLabel('Vai trò mới của bientap.donghoa').selectOption({ label: 'Biên tập' })
  await page.locator('tr[data-user="bientap.donghoa"]').getByRole('button', { name: 'Lưu' }).click()
  await expect(page.locator('tr[data-user="bientap.donghoa"] td').nth(2)).toHaveText('Biên tập')

  // The audit log shows what was done.
  await nav.getByRole('link', { name: 'Nhật ký' }).click()
  await expect(page.locator('tr[data-action="user-created"]')).toContainText('Tạo người dùng')
  await expect(page.locator('tr[data-action="unit-created"]').first()).toBeVisible()

  await page.getByRole('button', { name: 'Đăng xuất' }).click()
  await expect(page).toHaveURL(/\/console\/sign-in$/)
  await page.getByLabel('Tên đăng nhập').fill(former.username)
  await page.getByLabel('Mật khẩu').fill(former.password)
  await page.getByRole('button', { name: 'Đăng nhập' }).click()
  await expect(page.getByLabel('Tên đăng nhập')).toHaveAttribute('aria-invalid', 'true')
  await expect(page.locator('.field-error')).toHaveText('Tài khoản đã bị vô hiệu hoá.')

  // The editor: first run, then an editor's menu only.
  await signIn(page, server, 'bientap.donghoa', editorPassword)
  await expect(page).toHaveURL(/\/console\/change-password$/)
  await page.getByLabel('Mật khẩu hiện tại (mật khẩu một lần)').fill(editorPassword)
  await page.getByLabel('Mật khẩu mới', { exact: true }).fill('Biên-tập-Đông-Hoà-1')
  await page.getByLabel('Nhập lại mật khẩu mới').fill('Biên-tập-Đông-Hoà-1')
  await page.getByRole('button', { name: 'Đổi mật khẩu' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Tổng quan' })).toBeVisible()
  await expect(page.getByText('Đơn vị: Xã Đông Hoà (Biên tập)')).toBeVisible()
  const items = await nav.getByRole('link').allTextContents()
  expect(items).toEqual(['Tổng quan', 'Nội dung', 'Lịch phát', 'Bảng tin', 'Báo cáo'])
  // Typing an address the role may not use shows "not found" with the way back, not a blank page.
  await page.goto(server.consoleUrl('/users'))
  await expect(page.getByRole('heading', { level: 1, name: 'Không tìm thấy trang' })).toBeVisible()
  await page.getByRole('link', { name: 'Về trang Tổng quan' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Tổng quan' })).toBeVisible()
  // Mã API is an administrator's page too.
  await page.goto(server.consoleUrl('/tokens'))
  await expect(page.getByRole('heading', { level: 1, name: 'Không tìm thấy trang' })).toBeVisible()
})

test('a wrong password is shown next to the field, in the page’s language; the language toggle switches and is remembered', async ({ page, console: server }) => {
  await page.goto(server.consoleUrl('/'))
  await expect(page).toHaveURL(/\/console\/sign-in$/)
  await expect(page.locator('html')).toHaveAttribute('lang', 'vi')
  await page.getByLabel('Tên đăng nhập').fill(server.admin.username)
  await page.getByLabel('Mật khẩu').fill('sai-mat-khau')
  await page.getByRole('button', { name: 'Đăng nhập' }).click()
  const password = page.getByLabel('Mật khẩu')
  await expect(password).toHaveAttribute('aria-invalid', 'true')
  const describedBy = (await password.getAttribute('aria-describedby')) ?? ''
  const error = page.locator(`[id="${describedBy}"]`)
  await expect(error).toHaveText('Sai tên đăng nhập hoặc mật khẩu.')

  // English: every string and the error already shown switch; <html lang> follows.
  await page.getByRole('button', { name: 'Switch to English' }).click()
  await expect(page.locator('html')).toHaveAttribute('lang', 'en')
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible()
  await expect(page.getByLabel('Password')).toHaveAttribute('aria-invalid', 'true')
  await expect(error).toHaveText('Wrong username or password.')
  await page.reload()
  await expect(page.locator('html')).toHaveAttribute('lang', 'en')
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible()
  await page.getByRole('button', { name: 'Chuyển sang tiếng Việt' }).click()
  await expect(page.getByRole('button', { name: 'Đăng nhập' })).toBeVisible()
  await expect(page.locator('html')).toHaveAttribute('lang', 'vi')
})

test('a locked account says so, in Vietnamese and English, and until when', async ({ page, console: server }) => {
  const editor = await server.addUser(server.rootUnitId, 'khoa.thu', 'bien-tap')
  await page.goto(server.consoleUrl('/sign-in'))
  await page.getByLabel('Tên đăng nhập').fill(editor.username)
  const password = page.getByLabel('Mật khẩu')
  const submit = page.getByRole('button', { name: 'Đăng nhập' })
  // Five wrong passwords lock the account (the access room's default).
  for (let attempt = 1; attempt <= 5; attempt++) {
    await password.fill(`sai-${attempt}`)
    // Each attempt's answer is awaited, so none is dropped as a double submit.
    const answered = page.waitForResponse((r) => r.url().endsWith('/console/api/session') && r.request().method() === 'POST')
    await submit.click()
    expect((await answered).status()).toBe(attempt < 5 ? 401 : 429)
    await expect(page.locator('.field-error, .form-error')).toBeVisible()
  }
  await password.fill(editor.password)
  await submit.click()
  await expect(page.locator('.field-error, .form-error')).toContainText(/tạm khoá.*Thử lại sau \d+ phút/)
  await page.getByRole('button', { name: 'Switch to English' }).click()
  await expect(page.locator('.field-error, .form-error')).toContainText(/locked.*Try again in \d+ minute/)
})

test('a lost server shows a message with a retry, never a blank page; the page recovers when it is back', async ({ page, console: server }) => {
  const viewer = await server.addUser(server.rootUnitId, 'xem.tinh', 'duyet')
  await signIn(page, server, viewer.username, viewer.password)
  await expect(page.getByRole('heading', { level: 1, name: 'Tổng quan' })).toBeVisible()
  await server.server.stop()
  await page.getByRole('navigation', { name: 'Điều hướng chính' }).getByRole('link', { name: 'Nhật ký' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Nhật ký' })).toBeVisible()
  await expect(page.getByRole('alert')).toContainText('Không kết nối được tới máy chủ')
  await server.server.start()
  await page.getByRole('button', { name: 'Thử lại' }).click()
  await expect(page.locator('tr[data-action="sign-in"]').first()).toBeVisible()
  // An expired or ended session sends the user to sign in, saying why.
  await server.db.deleteFrom('sessions').execute()
  await page.getByRole('navigation', { name: 'Điều hướng chính' }).getByRole('link', { name: 'Tổng quan' }).click()
  await expect(page).toHaveURL(/\/console\/sign-in$/)
  await expect(page.getByRole('status')).toContainText('Phiên đăng nhập đã hết hạn')
})

test('an answer of the wrong shape, or a page that fails while drawing, shows a bilingual message and a way back', async ({ page, console: server }) => {
  const approver = await server.addUser(server.rootUnitId, 'duyet.tinh', 'duyet')
  await signIn(page, server, approver.username, approver.password)
  await expect(page.getByRole('heading', { level: 1, name: 'Tổng quan' })).toBeVisible()
  // The boards card gets nonsense: its own message, the rest of the page stands.
  await page.route('**/console/api/boards', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: '{"boards":"nonsense"}' }))
  await page.reload()
  await expect(page.locator('[data-slot="boards"]').getByRole('alert')).toContainText('Máy chủ trả lời không đúng định dạng.')
  await expect(page.getByRole('heading', { level: 1, name: 'Tổng quan' })).toBeVisible()
  // An audit entry with an impossible time makes the page throw while drawing: the boundary catches it.
  await page.route('**/console/api/audit?*', (route) =>
    route.fulfill({
      status: 200,
      contentType: 'application/json',
      body: JSON.stringify({ entries: [{ id: 1, at: 'không phải ngày', userId: null, unitId: null, targetUnitId: null, address: 'x', via: null, action: 'x', target: null, detail: null }] })
    })
  )
  await page.getByRole('navigation', { name: 'Điều hướng chính' }).getByRole('link', { name: 'Nhật ký' }).click()
  const crash = page.locator('.crash')
  await expect(crash).toContainText('Đã có lỗi khi hiển thị trang này')
  await expect(crash).toContainText('Something went wrong showing this page')
  // The menu is still there, and leaving the page recovers.
  await page.getByRole('navigation', { name: 'Điều hướng chính' }).getByRole('link', { name: 'Tổng quan' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Tổng quan' })).toBeVisible()
  await expect(crash).toBeHidden()
})

test('keyboard only: sign in, skip to the content, move through the menu', async ({ page, console: server }) => {
  const editor = await server.addUser(server.rootUnitId, 'ban.phim', 'bien-tap')
  await page.goto(server.consoleUrl('/sign-in'))
  // The username field has the focus on arrival (once the app has drawn the page).
  await expect(page.getByLabel('Tên đăng nhập')).toBeFocused()
  await page.keyboard.type(editor.username)
  await page.keyboard.press('Tab')
  await page.keyboard.type(editor.password)
  await page.keyboard.press('Enter')
  await expect(page.getByRole('heading', { level: 1, name: 'Tổng quan' })).toBeVisible()
  // The page's heading takes the focus after an in-app navigation; after a full load the first Tab is the skip link.
  await expect(page.getByRole('heading', { level: 1, name: 'Tổng quan' })).toBeFocused()
  await page.goto(server.consoleUrl('/'))
  await expect(page.getByRole('heading', { level: 1, name: 'Tổng quan' })).toBeVisible()
  await page.keyboard.press('Tab')
  await expect(page.getByRole('link', { name: 'Bỏ qua, tới nội dung chính' })).toBeFocused()
  // Tab on to the menu and open "Nội dung" with Enter.
  const target = page.getByRole('navigation', { name: 'Điều hướng chính' }).getByRole('link', { name: 'Nội dung' })
  for (let i = 0; i < 12 && !(await target.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab')
  await expect(target).toBeFocused()
  await page.keyboard.press('Enter')
  await expect(page.getByRole('heading', { level: 1, name: 'Nội dung' })).toBeFocused()
  await expect(target).toHaveAttribute('aria-current', 'page')
})
