// Every console page this foundation builds, on a laptop (1366×768) and a phone (390×844): no serious or
// critical axe violation, no sideways scroll, nothing cut off; the phone's menu opens and closes; an API
// token made (secret shown once, copied), used and revoked (Mã API). With
// CONSOLE_SCREENSHOTS=DIR (`npm run console-screenshots` gives docs/console) each page is saved as a PNG.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { placeBoard } from '../../server/access/boards'
import { expectAccessible } from '../fixtures/axe'
import { expect, expectFitsScreen, SCREENS, signIn, test, type ConsoleServer } from '../fixtures/console'

const screenshotDir = process.env.CONSOLE_SCREENSHOTS ?? null

/** A province with some life in it, so the pages show real rows. */
async function furnish(server: ConsoleServer): Promise<void> {
  const district = await server.addUnit(server.rootUnitId, 'Huyện Đông Sơn')
  const commune = await server.addUnit(district, 'Xã Đông Hoà')
  await server.addUnit(district, 'Thị trấn Rừng Thông')
  await server.addUnit(server.rootUnitId, 'Thành phố Sầm Sơn')
  await server.addUser(commune, 'bientap.donghoa', 'bien-tap')
  await server.addUser(district, 'duyet.dongson', 'duyet')
  await server.addUser(district, 'xem.dongson', 'xem')
  await placeBoard(server.db, { deviceId: 'bang-tin-uy-ban-dong-hoa', unitId: commune, displayName: 'Trụ sở UBND xã Đông Hoà', tags: ['trụ sở UBND'] }, Date.now())
  await placeBoard(server.db, { deviceId: 'led-cho-dong-son', unitId: district, displayName: 'LED chợ Đông Sơn', tags: ['LED ngoài trời'] }, Date.now())
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

for (const screen of ['laptop', 'phone'] as const) {
  test(`console pages on a ${screen} (${SCREENS[screen].width}×${SCREENS[screen].height}): accessible, nothing cut off`, async ({ page, console: server }) => {
    await page.setViewportSize(SCREENS[screen])
    await furnish(server)
    // Nothing from another origin, and nothing the CSP has to block, on any page.
    const elsewhere: string[] = []
    page.on('request', (request) => {
      if (!request.url().startsWith(server.server.url) && !request.url().startsWith('data:')) elsewhere.push(request.url())
    })
    await page.addInitScript(() => {
      const seen: string[] = []
      ;(window as unknown as { cspViolations: string[] }).cspViolations = seen
      document.addEventListener('securitypolicyviolation', (event) => seen.push(`${event.effectiveDirective} ${event.blockedURI}`))
    })
    await page.goto(server.consoleUrl('/sign-in'))
    await expect(page.getByRole('heading', { level: 1, name: 'Đăng nhập' })).toBeVisible()
    await check(page, 'sign-in', screen)

    await signIn(page, server, server.admin.username, server.admin.password)
    await expect(page.getByRole('heading', { level: 1, name: 'Đổi mật khẩu' })).toBeVisible()
    await check(page, 'change-password', screen)
    await page.getByLabel('Mật khẩu hiện tại (mật khẩu một lần)').fill(server.admin.password)
    await page.getByLabel('Mật khẩu mới', { exact: true }).fill('Quản-trị-tỉnh-2026')
    await page.getByLabel('Nhập lại mật khẩu mới').fill('Quản-trị-tỉnh-2026')
    await page.getByRole('button', { name: 'Đổi mật khẩu' }).click()

    await expect(page.getByRole('heading', { level: 1, name: 'Tổng quan' })).toBeVisible()
    await expect(page.getByTestId('boards-count')).toHaveText('2')
    await check(page, 'overview', screen)

    const nav = page.getByRole('navigation', { name: 'Điều hướng chính' })
    const menu = page.getByRole('button', { name: 'Mở trình đơn' })
    const open = async (label: string) => {
      if (screen === 'phone') {
        await expect(nav.getByRole('link', { name: label })).toBeHidden()
        await menu.click()
        await expect(page.getByRole('button', { name: 'Đóng trình đơn' })).toHaveAttribute('aria-expanded', 'true')
      }
      await nav.getByRole('link', { name: label }).click()
      // The phone's menu closes itself once a page is chosen.
      if (screen === 'phone') await expect(menu).toHaveAttribute('aria-expanded', 'false')
    }
    if (screen === 'phone') {
      await menu.click()
      await expect(nav.getByRole('link', { name: 'Nhật ký' })).toBeVisible()
      await check(page, 'menu', screen)
      await page.keyboard.press('Escape')
      await expect(nav.getByRole('link', { name: 'Nhật ký' })).toBeHidden()
      await expect(menu).toBeFocused()
      await menu.click()
      await page.getByRole('button', { name: 'Đóng trình đơn' }).click()
    } else {
      await expect(menu).toBeHidden()
    }

    await open('Người dùng & đơn vị')
    await expect(page.locator('tr[data-user="bientap.donghoa"]')).toBeVisible()
    await page.locator('tr[data-user="xem.dongson"]').getByRole('button', { name: 'Cấp lại mật khẩu cho xem.dongson' }).click()
    await expect(page.getByTestId('one-time-password')).toBeVisible()
    await check(page, 'users', screen)
    // The row's inline forms (change role, confirm disabling) pass too.
    const row = page.locator('tr[data-user="duyet.dongson"]')
    await row.getByRole('button', { name: 'Đổi vai trò của duyet.dongson' }).click()
    await expect(page.getByLabel('Vai trò mới của duyet.dongson')).toBeFocused()
    await expectFitsScreen(page, `users, role form (${screen})`)
    await expectAccessible(page, `users, role form (${screen})`)
    await row.getByRole('button', { name: 'Huỷ' }).click()
    await row.getByRole('button', { name: 'Vô hiệu hoá duyet.dongson' }).click()
    await expectFitsScreen(page, `users, confirm disabling (${screen})`)
    await expectAccessible(page, `users, confirm disabling (${screen})`)
    await row.getByRole('button', { name: 'Huỷ' }).click()

    // Mã API: a token made, its secret shown once with a copy button; it works; revoked after a confirmation.
    await open('Mã API')
    await expect(page.getByRole('heading', { level: 1, name: 'Mã API' })).toBeVisible()
    await expect(page.getByText('Chưa có mã API nào.')).toBeVisible()
    await page.getByLabel('Tên mã (dùng cho việc gì)').fill('Tập lệnh sao lưu hằng đêm')
    await page.getByRole('button', { name: 'Tạo mã API' }).click()
    const secret = page.getByTestId('token-secret')
    await expect(secret).toContainText('Bạn sẽ không xem lại được mã này.')
    const token = await secret.getByLabel('Mã API (chỉ hiện một lần)').inputValue()
    expect(token).toMatch(/^bt_/)
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.server.url })
    await secret.getByRole('button', { name: 'Sao chép mã' }).click()
    await expect(secret).toContainText('Đã sao chép mã vào bộ nhớ tạm.')
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token)
    const asScript = () => fetch(`${server.server.url}/console/api/me`, { headers: { authorization: `Bearer ${token}` } })
    const used = await asScript()
    expect(used.status).toBe(200)
    expect(((await used.json()) as { via: string }).via).toBe('token')
    const tokenRow = page.locator('tr[data-token="Tập lệnh sao lưu hằng đêm"]')
    await expect(tokenRow).toContainText('Quản trị · Tỉnh Thử Nghiệm')
    await check(page, 'tokens', screen)
    await page.getByRole('button', { name: 'Switch to English' }).click()
    await expect(secret).toContainText('You will not see this token again.')
    await expect(page.getByRole('heading', { level: 1, name: 'API tokens' })).toBeVisible()
    await page.getByRole('button', { name: 'Chuyển sang tiếng Việt' }).click()
    // Shown once: after a reload the secret is nowhere on the page; the token's last use is.
    await page.reload()
    await expect(tokenRow).toBeVisible({ timeout: 20_000 })
    await expect(secret).toHaveCount(0)
    expect(await page.content()).not.toContain(token)
    await expect(tokenRow.locator('td').nth(3)).not.toHaveText('Chưa dùng')
    await tokenRow.getByRole('button', { name: 'Thu hồi mã Tập lệnh sao lưu hằng đêm' }).click()
    const confirmRevoke = tokenRow.getByRole('group', { name: 'Thu hồi mã Tập lệnh sao lưu hằng đêm' })
    await expect(confirmRevoke.getByRole('button', { name: 'Huỷ' })).toBeFocused()
    await expectFitsScreen(page, `tokens, confirm revoking (${screen})`)
    await expectAccessible(page, `tokens, confirm revoking (${screen})`)
    await confirmRevoke.getByRole('button', { name: 'Thu hồi', exact: true }).click()
    await expect(page.getByRole('status').filter({ hasText: 'Đã thu hồi mã “Tập lệnh sao lưu hằng đêm”.' })).toBeVisible({ timeout: 20_000 })
    await expect(tokenRow).toHaveAttribute('data-state', 'revoked')
    expect((await asScript()).status).toBe(401)

    await open('Nhật ký')
    await expect(page.locator('tr[data-action="password-reset"]')).toBeVisible()
    await check(page, 'audit', screen)

    // Sections still to come say so, accessibly.
    await open('Bảng tin')
    await expect(page.getByRole('heading', { level: 1, name: 'Bảng tin' })).toBeVisible()
    await expectAccessible(page, `boards placeholder (${screen})`)

    await page.goto(server.consoleUrl('/khong-co-trang-nay'))
    await expect(page.getByRole('heading', { level: 1, name: 'Không tìm thấy trang' })).toBeVisible()
    await check(page, 'not-found', screen)

    // The same overview in English.
    await page.goto(server.consoleUrl('/'))
    await page.getByRole('button', { name: 'Switch to English' }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible()
    await check(page, 'overview-en', screen)
    expect(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)).toEqual([])
    expect(elsewhere).toEqual([])
  })
}
