// A board whose token the source system revokes (the operator forgets it) shows its pairing code again,
// with why, Vietnamese first, read back from the screen's pixels; approved again, it plays again.
import { writeFile } from 'node:fs/promises'
import { decodePng, ocr, ocrFold, recall } from '../fixtures/pixels'
import { checkEveryResolution } from '../fixtures/screen-truth'
import { ScreenPage } from '../pages/screen-page'
import { expect, test } from '../fixtures/test'

const notice = (version: string, title: string) => ({
  schema: 'bangtin.manifest/v1',
  version,
  playlists: [{ id: 'p', name: 'p', items: [{ id: `t-${version}`, kind: 'text', title, body: 'Bảng tin đã nhận nội dung từ hệ thống thông tin nguồn.', durationSec: 30 }] }],
  assets: []
})
const WHY_VI = 'Hệ thống thông tin nguồn đã thu hồi quyền của bảng tin này: cần ghép nối lại.'
const WHY_EN = 'The source system revoked this board’s access: pair it again.'

test('a revoked board shows its pairing code again and why, then plays once approved again', async ({ page, rig }, testInfo) => {
  test.setTimeout(120_000)
  const server = await rig.server()
  server.publish(notice('v1', 'Đã ghép nối'), new Map())
  const shell = await rig.shell({ server })
  await page.setViewportSize({ width: 1920, height: 1080 })
  await page.goto(shell.screenUrl)
  const pairing = page.getByTestId('pairing')
  const code = async () => (await page.getByTestId('pairing-code').textContent())!.trim()
  await expect(pairing).toBeVisible({ timeout: 20_000 })
  await expect(page.getByTestId('pairing-revoked')).toHaveCount(0)
  expect(server.approvePairing(await code(), 'phu-an-01', 'UBND xã Phú An')).not.toBeNull()
  await expect(new ScreenPage(page).activeSlide).toContainText('Đã ghép nối', { timeout: 20_000 })

  // The operator forgets the board: its token is refused from now on.
  expect(server.removeDevice('phu-an-01')).toBe(true)
  const why = page.getByTestId('pairing-revoked')
  await expect(why).toBeVisible({ timeout: 30_000 })
  await expect(page.getByTestId('pairing-code')).toHaveText(/^[A-HJ-NP-Z2-9]{6}$/)
  await page.evaluate(() => document.fonts.ready)
  const shot = await page.screenshot()
  await writeFile(testInfo.outputPath('revoked-pairing.png'), shot)
  await testInfo.attach('revoked-pairing', { body: shot, contentType: 'image/png' })
  // Read from the pixels: both lines of why, Vietnamese first.
  const box = (await why.boundingBox())!
  const read = await ocr(await decodePng(shot), { x: Math.floor(box.x), y: Math.floor(box.y), width: Math.ceil(box.width), height: Math.ceil(box.height) }, 'dark-ink')
  expect(recall(WHY_VI, read.text, ocrFold), read.text).toBeGreaterThanOrEqual(0.75)
  expect(recall(WHY_EN, read.text, ocrFold), read.text).toBeGreaterThanOrEqual(0.75)
  expect(read.text.toLowerCase().indexOf('thu h')).toBeLessThan(read.text.toLowerCase().indexOf('revoked'))
  expect(shell.log.some((r) => r.level === 'error' && r.message.startsWith('token revoked'))).toBe(true)

  server.publish(notice('v2', 'Ghép nối lại xong'), new Map())
  expect(server.approvePairing(await code(), 'phu-an-02', 'UBND xã Phú An')).not.toBeNull()
  await expect(pairing).toBeHidden({ timeout: 20_000 })
  await expect(new ScreenPage(page).activeSlide).toContainText('Ghép nối lại xong', { timeout: 20_000 })
})

test('the revoked pairing screen reads whole, inside the screen, at every resolution', async ({ page, rig }, testInfo) => {
  test.setTimeout(180_000)
  const server = await rig.server()
  server.publish(notice('v1', 'Đã ghép nối'), new Map())
  // A provisioned board whose token the server no longer knows: it finds out at its first request.
  const device = server.addDevice('cap-san-01', 'token-cap-san-01-0123456789')
  server.removeDevice(device.deviceId)
  const shell = await rig.shell({ server, device })
  // The board finds out at its first request and confirms it a few seconds later: wait for that, however long.
  await page.goto(shell.screenUrl)
  await expect(page.getByTestId('pairing-revoked')).toBeVisible({ timeout: 30_000 })
  const code = (await page.getByTestId('pairing-code').textContent())?.trim()
  await checkEveryResolution(page, testInfo, 'pairing-revoked', {
    open: () => page.goto(shell.screenUrl).then(() => undefined),
    ready: page.getByTestId('pairing-revoked'),
    // The notice is what this screen adds; the random six-letter code is read back by the pairing screen's
    // own check (screen-truth.spec) — here one misread letter of it decided the run at 768×192.
    want: async () => ({
      text: (await page.locator('.pairing-text').first().innerText())
        .split('\n')
        .filter((line) => line.trim() !== (code ?? ''))
        .join('\n'),
      minGlyph: 1 / 40,
      cleanEdges: ['top', 'bottom', 'left', 'right']
    })
  })
})
