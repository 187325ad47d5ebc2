// An installer's first minutes: an unpaired board shows a pairing code and QR code (Vietnamese first),
// the operator approves the code on the reference server, and the board plays the published content.
import { stat } from 'node:fs/promises'
import { join } from 'node:path'
import { ScreenPage } from '../pages/screen-page'
import { expect, test } from '../fixtures/test'

test('an unpaired board shows its code, is approved on the server, then plays the content', async ({ page, rig }, testInfo) => {
  const server = await rig.server()
  server.publish(
    {
      schema: 'bangtin.manifest/v1',
      version: 'v1',
      playlists: [{ id: 'p', name: 'p', items: [{ id: 'chao', kind: 'text', title: 'Đã ghép nối', body: 'Bảng tin đã nhận nội dung từ hệ thống thông tin nguồn.', durationSec: 30 }] }],
      assets: []
    },
    new Map()
  )
  const shell = await rig.shell({ server })
  await page.setViewportSize({ width: 1920, height: 1080 })
  await page.goto(shell.screenUrl)
  const pairing = page.getByTestId('pairing')
  await expect(pairing).toContainText('Ghép nối bảng tin')
  await expect(pairing).toContainText('Pair this board')
  await expect(page.getByTestId('pairing-qr')).toBeVisible()
  const code = (await page.getByTestId('pairing-code').textContent())!.trim()
  expect(code).toMatch(/^[A-HJ-NP-Z2-9]{6}$/)
  expect(server.pendingPairings().map((p) => p.code)).toContain(code)
  await testInfo.attach('pairing-screen', { body: await page.screenshot(), contentType: 'image/png' })

  expect(server.approvePairing(code, 'phu-an-01', 'UBND xã Phú An')).not.toBeNull()
  await expect(pairing).toBeHidden({ timeout: 20_000 })
  await expect(new ScreenPage(page).activeSlide).toContainText('Đã ghép nối')
  // The token is kept for the next start, readable by the player's user only.
  const credentials = await stat(join(shell.dataDir, 'state', 'credentials.json'))
  expect(credentials.mode & 0o777).toBe(0o600)
})
