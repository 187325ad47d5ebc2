// An emergency pushed from the district centre (the reference server) takes the screen, survives a
// reload of the player, is acknowledged with the time it was shown, and clears.
import { ScreenPage } from '../pages/screen-page'
import { expect, test } from '../fixtures/test'

const manifest = {
  schema: 'bangtin.manifest/v1',
  version: 'v1',
  playlists: [{ id: 'main', name: 'Chính', items: [{ id: 'tin', kind: 'text', title: 'Bản tin thường', body: 'Lịch tiếp công dân tuần này.', durationSec: 30 }] }],
  assets: []
}

test('an emergency appears at once, survives a reload, is acknowledged, and clears', async ({ page, rig }) => {
  const { server, shell, deviceId } = await rig.pairedBoard('bang-khan-cap', manifest)
  await page.goto(shell.screenUrl)
  const screen = new ScreenPage(page)
  await expect(screen.activeSlide).toContainText('Bản tin thường')
  await expect.poll(() => server.connectedDevices()).toContain(deviceId)

  const emergency = server.emergency({ title: 'Cảnh báo bão số 3', body: 'Người dân khẩn trương sơ tán khỏi vùng trũng thấp, ven sông.', ttlSec: 600 }) as { id: string }
  const overlay = page.getByTestId('emergency')
  await expect(overlay).toBeVisible()
  await expect(overlay).toContainText('Cảnh báo bão số 3')
  await expect(overlay).toContainText('KHẨN CẤP')
  // Acknowledged to the server with the moment it was first painted.
  await expect.poll(() => server.acks.map((a) => a.ack as { kind: string; id: string })).toContainEqual(expect.objectContaining({ kind: 'emergency-start', id: emergency.id }))

  await page.reload()
  await expect(overlay).toBeVisible()
  await expect(overlay).toHaveAttribute('data-emergency-id', emergency.id)

  server.clearEmergency(emergency.id)
  await expect(overlay).toBeHidden()
  await expect(screen.activeSlide).toContainText('Bản tin thường')
  await expect.poll(() => server.acks.map((a) => (a.ack as { kind: string }).kind)).toContain('emergency-clear')
})
