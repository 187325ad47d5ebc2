// Attack findings 5 and 9 on a real screen (the browser shell, Debian Chromium, the signed reference
// server): a programme larger than the screen takes never keeps an emergency off it, and an emergency's
// image bomb is refused from its header (never drawn) and reported, the notice's text staying on screen.
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { generateSigningKey } from '../../main/core/protocol/signing'
import type { TestServer } from '../../server/testing/test-server'
import { assetFor, bombPng } from '../fixtures/images'
import { decodePng, ocr, ocrFold, recall } from '../fixtures/pixels'
import type { Rig } from '../fixtures/rig'
import { expect, test } from '../fixtures/test'

const KEY = generateSigningKey()
const TITLE = 'LŨ QUÉT SƠ TÁN NGAY'
const texts = (prefix: string, count: number) =>
  Array.from({ length: count }, (_, i) => ({ id: `${prefix}-${i}`, kind: 'text', title: `Tin ${i}`, body: `Bản tin số ${i}`, durationSec: 30 }))
const always = { validFrom: '2020-01-01T00:00:00Z' }

/** A signing reference server with `manifest` published and the browser shell paired to it, trusting its key. */
async function signedBoard(rig: Rig, manifest: object, files = new Map<string, string>()): Promise<{ server: TestServer; screenUrl: string }> {
  const server = await rig.server({ signingKey: { keyId: 'tinh', privateKeyPem: KEY.privateKeyPem } })
  const device = server.addDevice('bang-tan-cong', 'token-bang-tan-cong-0123456789')
  server.publish(manifest, files)
  const shell = await rig.shell({ server, device, config: { trustedKeys: [{ keyId: 'tinh', publicKey: KEY.publicKeyPem }] } })
  return { server, screenUrl: shell.screenUrl }
}

/** How much of the title the screen shows, read from its pixels. */
async function titleRead(page: Page): Promise<number> {
  const read = await ocr(await decodePng(await page.screenshot()))
  return recall(TITLE, read.text, ocrFold)
}

/** A screenshot kept with the test's output (to be looked at), returning its path. */
async function shot(page: Page, path: string): Promise<string> {
  await page.screenshot({ path })
  return path
}

const refusals = (server: TestServer) => () =>
  server.problems.map((p) => p.problem as { kind: string; detail: string }).filter((p) => p.kind === 'screen-refused').map((p) => p.detail)

test('a zone of 11,001 items (a playlist of 1,001 and one of 10,000) and a pushed emergency: the emergency is on screen, the cut is reported', async ({ page, rig }, testInfo) => {
  const manifest = {
    schema: 'bangtin.manifest/v1',
    version: 'qua-lon',
    playlists: [
      { id: 'a', name: 'a', schedule: always, items: texts('a', 1001) },
      { id: 'b', name: 'b', schedule: always, items: texts('b', 10_000) }
    ],
    assets: []
  }
  const { server, screenUrl } = await signedBoard(rig, manifest)
  await page.setViewportSize({ width: 1280, height: 720 })
  await page.goto(screenUrl)
  await expect.poll(() => server.connectedDevices(), { timeout: 20_000 }).toContain('bang-tan-cong')

  const flood = server.emergency({ title: TITLE, body: 'Di chuyển ngay lên vùng cao.', ttlSec: 600 })
  await expect(page.getByTestId('emergency')).toBeVisible({ timeout: 20_000 })
  // On screen in pixels, not only in the DOM.
  await expect.poll(() => titleRead(page), { timeout: 20_000 }).toBeGreaterThanOrEqual(0.75)
  await expect.poll(refusals(server), { timeout: 20_000 }).toContainEqual(expect.stringMatching(/zone main has 11001 items to play; the screen takes 10000/))
  await testInfo.attach('emergency-over-a-large-zone.png', { path: await shot(page, testInfo.outputPath('emergency-over-a-large-zone.png')), contentType: 'image/png' })
  // Cleared: the programme (cut to what the screen takes) plays.
  server.clearEmergency(flood.id)
  await expect(page.getByTestId('emergency')).toBeHidden({ timeout: 20_000 })
  await expect(page.getByTestId('text-content').first()).toContainText('Tin 0', { timeout: 20_000 })
})

test('an emergency whose image is a PNG bomb: the image is refused from its header and reported, the notice stays on screen', async ({ page, rig }, testInfo) => {
  const bomb = bombPng(20_000)
  const asset = assetFor(bomb, 'image/png', 'bomb.png')
  const now = Date.now()
  const manifest = {
    schema: 'bangtin.manifest/v1',
    version: 'bom-anh',
    playlists: [{ id: 'p', name: 'p', items: texts('t', 2) }],
    emergencies: [{ id: 'lu-quet', issuedAt: new Date(now - 60_000).toISOString(), expiresAt: new Date(now + 3_600_000).toISOString(), title: TITLE, body: 'Di chuyển ngay lên vùng cao.', asset: asset.sha256 }],
    assets: [asset]
  }
  const file = join(await rig.tempDir(), 'bomb.png')
  await writeFile(file, bomb)
  const { server, screenUrl } = await signedBoard(rig, manifest, new Map([[asset.sha256, file]]))
  await page.setViewportSize({ width: 1280, height: 720 })
  await page.goto(screenUrl)
  const overlay = page.getByTestId('emergency')
  await expect(overlay).toBeVisible({ timeout: 30_000 })
  await expect.poll(refusals(server), { timeout: 30_000 }).toContainEqual(expect.stringMatching(/the screen refused: emergency: emergency image .*image too large to show: 20000×20000 px/))
  // Removed, never shown (it stayed hidden until its size was read, so nothing painted or decoded it).
  await expect(page.getByTestId('emergency-image')).toHaveCount(0)
  await expect.poll(() => titleRead(page), { timeout: 20_000 }).toBeGreaterThanOrEqual(0.75)
  await testInfo.attach('emergency-without-its-bomb-image.png', { path: await shot(page, testInfo.outputPath('emergency-without-its-bomb-image.png')), contentType: 'image/png' })
})

test('a host message the screen refuses is reported, never dropped in silence, and the screen keeps what it shows', async ({ page, rig }) => {
  const manifest = { schema: 'bangtin.manifest/v1', version: 'v1', playlists: [{ id: 'p', name: 'p', items: texts('t', 2) }], assets: [] }
  const { server, screenUrl } = await signedBoard(rig, manifest)
  // Between the page and the shell: everything passes, and the test can speak as the host.
  let toPage: ((message: string) => void) | null = null
  await page.routeWebSocket(/\/bridge/, (ws) => {
    ws.connectToServer()
    toPage = (message) => ws.send(message)
  })
  await page.setViewportSize({ width: 1280, height: 720 })
  await page.goto(screenUrl)
  await expect(page.getByTestId('text-content').first()).toContainText('Tin 0', { timeout: 30_000 })
  await expect.poll(() => server.connectedDevices(), { timeout: 20_000 }).toContain('bang-tan-cong')
  // A show whose zone holds more items than the contract takes.
  const tooMany = Array.from({ length: 10_001 }, (_, i) => ({ id: `x${i}`, kind: 'text', body: 'x', durationMs: 1000 }))
  const zone = { id: 'main', role: 'main', x: 0, y: 0, width: 1, height: 1 }
  toPage!(JSON.stringify({ verb: 'show', payload: { board: { name: 'Giả', timeZone: 'Asia/Ho_Chi_Minh' }, displayOn: true, zones: [{ zone, program: { version: 'gia', items: tooMany } }], pairing: null, volume: 1 } }))
  await expect.poll(refusals(server), { timeout: 20_000 }).toContainEqual(expect.stringMatching(/the screen refused: show: zones\.0\.program\.items: /))
  await expect(page.getByTestId('text-content').first()).toContainText('Tin ')
})
