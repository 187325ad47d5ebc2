// Báo cáo names what played and where: plays a board sent (over the device API) for a library notice show
// the notice's title and the board's name in the page's table, not the manifest item id or the device id;
// the CSV keeps both. axe at 1366×768 and 390×844.
import { createLibrary } from '../../server/library/library'
import { createTextNotice } from '../../server/library/content'
import { expectAccessible } from '../fixtures/axe'
import { expect, SCREENS, signIn } from '../fixtures/console'
import { test } from '../fixtures/library-console'

test('the plays report shows the notice title and the board name, the CSV has the ids beside them', async ({ page, console: server }) => {
  const district = await server.addUnit(server.rootUnitId, 'Huyện Ninh Phước')
  const viewer = await server.addUser(district, 'xem.ninhphuoc', 'xem')
  const deviceId = 'bang-cho-ninh-phuoc'
  const { token } = server.server.addDevice(deviceId)
  await server.db.insertInto('board_placements').values({ device_id: deviceId, unit_id: district, display_name: 'Bảng chợ Phước Dân', tags: '[]', updated_at: new Date().toISOString() }).execute()
  const library = createLibrary({ db: server.db, mediaRoot: `${server.dir}/media` })
  const notice = await createTextNotice(library, { id: 'seed', scope: new Set([district]) }, { unitId: district, title: 'Tiêm chủng tháng 12', body: 'Mời bà con đưa trẻ đi tiêm.' })
  const itemId = `lich-59cdbece19d5.0.${notice.id}`
  const now = Date.now()
  const entries = [0, 1, 2].map((i) => ({ id: `p${i}`, seq: i + 1, itemId, programVersion: 'v', startedAt: now - (i + 1) * 60_000, endedAt: now - (i + 1) * 60_000 + 10_000 }))
  const sent = await fetch(`${server.server.url}/api/v1/devices/${deviceId}/reports`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ kind: 'plays', batch: { batchId: 'b1', entries, dropped: { entries: 0, segments: 0 } } })
  })
  expect(sent.status).toBeLessThan(300)

  await page.setViewportSize(SCREENS.laptop)
  await signIn(page, server, viewer.username, viewer.password)
  await page.goto(server.consoleUrl('/reports'))
  await expect(page.getByRole('heading', { level: 1, name: 'Báo cáo' })).toBeVisible({ timeout: 20_000 })
  await page.getByLabel('Nhóm lượt phát theo').selectOption('item')
  const plays = page.getByTestId('report-plays')
  await expect(plays.getByRole('cell', { name: 'Tiêm chủng tháng 12' })).toBeVisible({ timeout: 20_000 })
  await expect(plays.getByRole('columnheader', { name: 'Tên nội dung' })).toBeVisible()
  await expect(plays).not.toContainText(notice.id)
  await expectAccessible(page, 'reports grouped by item')

  await page.getByLabel('Nhóm lượt phát theo').selectOption('board')
  await expect(plays.getByRole('cell', { name: 'Bảng chợ Phước Dân' })).toBeVisible({ timeout: 20_000 })
  await expect(plays).not.toContainText(deviceId)
  await page.setViewportSize(SCREENS.phone)
  await expectAccessible(page, 'reports grouped by board (phone)')

  const download = page.waitForEvent('download')
  await plays.getByTestId('plays-csv').click()
  const csv = await (await download).createReadStream().then(async (stream) => {
    let text = ''
    for await (const chunk of stream) text += String(chunk)
    return text
  })
  expect(csv.split('\r\n')[0]).toBe('\uFEFFMã bảng tin,Tên bảng tin,Số lượt phát,Thời lượng phát (giây)')
  expect(csv).toContain(`${deviceId},Bảng chợ Phước Dân,3,30`)
})
