// Lịch phát's playlists renamed and deleted by an editor: a rename is saved and shown; a delete asks first
// (and "Huỷ" deletes nothing); deleting a playlist an entry plays is refused with the server's words naming
// the entry, right under the action, in Vietnamese and in English; an unused one is deleted. axe and fit
// at 1366×768 and 390×844 with the confirmation and the refusal on screen. Leaving a "Số giây" box unchanged
// sends nothing (an approved entry stays approved); a change that would send it back to draft asks first.
import type { Page } from '@playwright/test'
import { contentKind } from '../../server/library/routes'
import { createEntry, createPlaylist, getEntry, setEntryStatus } from '../../server/programme/store'
import { expectAccessible } from '../fixtures/axe'
import { expect, expectFitsScreen, SCREENS, signIn } from '../fixtures/console'
import { test } from '../fixtures/library-console'

async function checked(page: Page, what: string): Promise<void> {
  for (const screen of ['laptop', 'phone'] as const) {
    await page.setViewportSize(SCREENS[screen])
    await expectFitsScreen(page, `${what} (${screen})`)
    await expectAccessible(page, `${what} (${screen})`)
  }
  await page.setViewportSize(SCREENS.laptop)
}

test('an editor renames a playlist, is refused deleting one a schedule entry plays (naming it), and deletes an unused one after confirming', async ({ page, console: server }) => {
  const district = await server.addUnit(server.rootUnitId, 'Huyện Ninh Phước')
  const editor = await server.addUser(district, 'bientap.ninhphuoc', 'bien-tap')
  await page.setViewportSize(SCREENS.laptop)
  await signIn(page, server, editor.username, editor.password)
  await page.goto(server.consoleUrl('/schedule'))
  await expect(page.getByRole('heading', { level: 1, name: 'Lịch phát' })).toBeVisible({ timeout: 20_000 })
  const editorBox = page.locator('section.playlist-editor')
  for (const name of ['Tin sáng', 'Tin chiều']) {
    await page.getByLabel('Tên danh sách phát mới').fill(name)
    await page.getByRole('button', { name: 'Tạo danh sách phát' }).click()
    await expect(editorBox.getByRole('heading', { name })).toBeVisible({ timeout: 20_000 })
  }
  const pick = page.getByLabel('Danh sách đang sửa')
  const optionId = async (name: string) => (await pick.locator('option', { hasText: name }).getAttribute('value'))!

  // Rename "Tin sáng" in place.
  await pick.selectOption({ value: await optionId('Tin sáng') })
  await editorBox.getByRole('button', { name: 'Đổi tên danh sách Tin sáng' }).click()
  const newName = editorBox.getByLabel('Tên mới cho danh sách Tin sáng')
  await expect(newName).toBeFocused()
  await newName.fill('Tin buổi sáng')
  await editorBox.getByRole('button', { name: 'Lưu', exact: true }).click()
  await expect(editorBox.getByRole('heading', { name: 'Tin buổi sáng' })).toBeVisible({ timeout: 20_000 })
  await expect(pick.locator('option', { hasText: 'Tin buổi sáng' })).toHaveCount(1)
  await expect(pick.locator('option', { hasText: 'Tin sáng' })).toHaveCount(0)

  // A schedule entry plays it (made directly: the entry form is another spec's); the page is reloaded.
  const morningId = await optionId('Tin buổi sáng')
  await createEntry(server.db, { unitId: district, playlistId: morningId, name: 'Lịch phát buổi sáng' })
  await page.reload()
  await pick.selectOption({ value: morningId })

  // "Huỷ" at the confirmation deletes nothing.
  await editorBox.getByRole('button', { name: 'Xoá danh sách Tin buổi sáng' }).click()
  const confirm = editorBox.getByRole('group', { name: 'Xoá danh sách Tin buổi sáng' })
  await expect(confirm).toContainText('Xoá hẳn danh sách phát “Tin buổi sáng”? Không hoàn tác được.')
  await expect(confirm.getByRole('button', { name: 'Huỷ' })).toBeFocused()
  await checked(page, 'schedule, confirm deleting a playlist')
  await confirm.getByRole('button', { name: 'Huỷ' }).click()
  await expect(confirm).toBeHidden()
  await expect(pick.locator('option', { hasText: 'Tin buổi sáng' })).toHaveCount(1)

  // Deleting it is refused: the server's words, naming the entry, under the action; in English too.
  await editorBox.getByRole('button', { name: 'Xoá danh sách Tin buổi sáng' }).click()
  await confirm.getByRole('button', { name: 'Xoá', exact: true }).click()
  const refusal = editorBox.locator('.playlist-heading').getByRole('alert')
  await expect(refusal).toHaveText('Không xoá được: lịch phát “Lịch phát buổi sáng” đang dùng danh sách này. Hãy xoá lịch đó hoặc chọn danh sách khác cho nó trước.', { timeout: 20_000 })
  await checked(page, 'schedule, a playlist in use refused')
  await page.getByRole('button', { name: 'Switch to English' }).click()
  await expect(refusal).toHaveText('Cannot delete: schedule entry “Lịch phát buổi sáng” plays this playlist. Delete the entry or give it another playlist first.')
  await page.getByRole('button', { name: 'Chuyển sang tiếng Việt' }).click()
  await page.reload()
  await expect(pick.locator('option', { hasText: 'Tin buổi sáng' })).toHaveCount(1)

  // The unused one is deleted after confirming; the other is then the one being edited.
  await pick.selectOption({ value: await optionId('Tin chiều') })
  await editorBox.getByRole('button', { name: 'Xoá danh sách Tin chiều' }).click()
  await editorBox.getByRole('group', { name: 'Xoá danh sách Tin chiều' }).getByRole('button', { name: 'Xoá', exact: true }).click()
  await expect(page.getByRole('status').filter({ hasText: 'Đã xoá danh sách phát “Tin chiều”.' })).toBeVisible({ timeout: 20_000 })
  await expect(pick.locator('option', { hasText: 'Tin chiều' })).toHaveCount(0)
  await expect(editorBox.getByRole('heading', { name: 'Tin buổi sáng' })).toBeVisible()

  // An approved entry plays "Tin trưa": focusing its "Số giây" and leaving changes nothing; a change asks
  // first, naming how many entries go back for approval, and "Huỷ" keeps the old value.
  const notice = await contentKind.sample!(server.db, district)
  const noon = await createPlaylist(server.db, { unitId: district, name: 'Tin trưa', items: [{ contentId: notice, durationSec: 30 }] })
  const live = await createEntry(server.db, { unitId: district, playlistId: noon.id, name: 'Lịch trưa', targetUnitIds: [district] })
  await setEntryStatus(server.db, live.id, ['draft'], 'approved')
  await page.reload()
  await pick.selectOption({ value: noon.id })
  const seconds = editorBox.getByLabel('Số giây')
  const puts: string[] = []
  page.on('request', (request) => {
    if (request.method() === 'PUT') puts.push(request.url())
  })
  await seconds.focus()
  await seconds.press('Tab')
  await seconds.fill('45')
  await seconds.press('Tab')
  const ask = editorBox.getByRole('group', { name: 'Vẫn lưu' })
  await expect(ask).toContainText('đưa 1 lịch phát đã gửi duyệt hoặc đã duyệt')
  await checked(page, 'schedule, confirm sending entries back to draft')
  await page.getByRole('button', { name: 'Switch to English' }).click()
  await expect(editorBox.getByRole('group', { name: 'Save anyway' })).toContainText('back to draft: 1.')
  await page.getByRole('button', { name: 'Chuyển sang tiếng Việt' }).click()
  await ask.getByRole('button', { name: 'Huỷ' }).click()
  await expect(seconds).toHaveValue('30')
  expect(puts).toEqual([])
  expect((await getEntry(server.db, live.id))?.status).toBe('approved')
  // "Vẫn lưu": saved, and the officer is told the entry went back to draft.
  await seconds.fill('45')
  await seconds.press('Tab')
  await ask.getByRole('button', { name: 'Vẫn lưu' }).click()
  await expect(editorBox.getByText('Đã lưu. 1 lịch dùng danh sách này trở về nháp và cần gửi duyệt lại.')).toBeVisible({ timeout: 20_000 })
  expect((await getEntry(server.db, live.id))?.status).toBe('draft')
})
