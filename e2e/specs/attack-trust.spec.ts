// Attack finding 4 on screen: a board pairing with a server shows the fingerprint of the key it will pin,
// legibly, at every resolution (read back in pixels), for the installer to compare with the province's
// printed one; a board in lab mode says so on the technician's overlay.
import { createPrivateKey } from 'node:crypto'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { keyFingerprint } from '../../main/core/protocol/key-fingerprint'
import { RESOLUTIONS } from '../fixtures/screen-truth'
import { decodePng, ocr, similarity, type OcrResult } from '../fixtures/pixels'
import { ROOT } from '../fixtures/browser-shell'
import { expect, test } from '../fixtures/test'

/** Every capture is kept for a person to look at. */
const OUT = join(ROOT, 'test-results', 'attack-trust')

/**
 * Hex as a person compares it: digits and a–f only (lower case on the board, where B and D would pass for
 * 8 and 0). A letter that is no hex digit can only be tesseract reading a digit as its look-alike (o for 0,
 * i or l for 1, g for 9, s for 5), so it is folded back.
 */
const HEX = '0123456789abcdef'
const MIN_HEX_SIMILARITY = 0.9
/** A fixed province key (an Ed25519 key from a fixed seed), so every run draws and reads the same fingerprint. */
const PROVINCE_KEY = {
  keyId: 'tinh-thu-nghiem',
  privateKeyPem: createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), Buffer.alloc(32, 0x2a)]), format: 'der', type: 'pkcs8' })
    .export({ type: 'pkcs8', format: 'pem' })
    .toString()
}
const hexOf = (text: string): string =>
  text
    .toLowerCase()
    .replace(/o/g, '0')
    .replace(/[il|]/g, '1')
    .replace(/g/g, '9')
    .replace(/s/g, '5')
    .replace(/[^0-9a-f]/g, '')

test('the pairing screen shows the province key fingerprint legibly at every resolution', async ({ page, rig }, testInfo) => {
  const server = await rig.server({ signingKey: PROVINCE_KEY })
  const expected = keyFingerprint(server.publicKeyPem!)
  const shell = await rig.shell({ server })
  const problems: string[] = []
  for (const [width, height] of RESOLUTIONS) {
    await page.setViewportSize({ width, height })
    await page.goto(shell.screenUrl)
    const fingerprint = page.getByTestId('pairing-fingerprint')
    await expect(fingerprint).toHaveText(expected)
    await page.evaluate(() => document.fonts.ready.then(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))))
    const box = (await fingerprint.boundingBox())!
    const png = await page.screenshot()
    await testInfo.attach(`pairing-key-${width}x${height}`, { body: png, contentType: 'image/png' })
    await mkdir(OUT, { recursive: true })
    await writeFile(join(OUT, `pairing-key-${width}x${height}.png`), png)
    if (box.x < 0 || box.y < 0 || box.x + box.width > width || box.y + box.height > height) problems.push(`${width}x${height}: fingerprint outside the screen`)
    const image = await decodePng(png)
    // The fingerprint's own line, a little margin either side (the label beside it stays out).
    const x = Math.max(0, Math.floor(box.x - box.height * 0.5))
    const y = Math.max(0, Math.floor(box.y - box.height * 0.1))
    const crop = { x, y, width: Math.min(width, Math.ceil(box.x + box.width + box.height * 0.5)) - x, height: Math.min(height, Math.ceil(box.y + box.height * 1.1)) - y }
    // Read as hex digits (nothing else may be on that line), both polarities, and enlarged to 40–60 px letters.
    const big = Math.max(2, Math.ceil(60 / box.height))
    const reads: OcrResult[] = []
    for (const [mode, enlarge] of [['grey', undefined], ['dark-ink', undefined], ['dark-ink', big]] as const) reads.push(await ocr(image, crop, mode, enlarge, HEX))
    // Read back as the screen-truth harness judges text (2·LCS over both lengths), on the 32 hex digits:
    // tesseract still slips on a digit now and then (0 read as C), so 0.9 (about three digits in 32);
    // a fingerprint cut at an edge, hidden or overdrawn loses whole groups and scores far below.
    const want = hexOf(expected)
    const legible = reads.some((r) => similarity(want, hexOf(r.text), hexOf) >= MIN_HEX_SIMILARITY)
    if (!legible) problems.push(`${width}x${height}: read ${JSON.stringify(reads.map((r) => r.text.trim()))}, want ${expected}`)
    // A glyph the height of a digit on this screen: at least 10 px of ink, as the screen-truth floor asks.
    const glyphs = reads.flatMap((r) => r.words).filter((w) => w.confidence >= 60)
    const tallest = Math.max(0, ...glyphs.map((w) => w.height))
    if (tallest < 10) problems.push(`${width}x${height}: fingerprint glyphs ${tallest} px tall`)
  }
  expect(problems, 'what an installer would see wrong').toEqual([])
})

test('a board in lab mode says so on the status overlay', async ({ page, rig }) => {
  const server = await rig.server({ signingKey: null })
  const device = server.addDevice('phong-thi-nghiem', 'token-phong-thi-nghiem-0123456789')
  server.publish({ schema: 'bangtin.manifest/v1', version: 'lab', playlists: [{ id: 'p', name: 'p', items: [{ id: 't', kind: 'text', body: 'Bảng tin thử nghiệm', durationSec: 30 }] }], assets: [] }, new Map())
  const shell = await rig.shell({ server, device, config: { allowUnsignedContent: true } })
  await page.setViewportSize({ width: 1920, height: 1080 })
  await page.goto(shell.screenUrl)
  await expect(page.locator('.slide[data-active="true"]')).toContainText('Bảng tin thử nghiệm', { timeout: 20_000 })
  await expect(async () => {
    if (!(await page.getByTestId('status-overlay').isVisible())) await page.keyboard.press('Control+Alt+KeyI')
    await expect(page.locator('[data-row="trust"]')).toContainText('PHÒNG THÍ NGHIỆM', { timeout: 2_000 })
  }).toPass({ timeout: 30_000 })
  const row = page.locator('[data-row="trust"]')
  const box = (await row.boundingBox())!
  const image = await decodePng(await page.screenshot())
  const read = await ocr(image, { x: Math.floor(box.x), y: Math.floor(box.y), width: Math.ceil(box.width), height: Math.ceil(box.height) })
  // Vietnamese first, then English (the row may wrap anywhere).
  expect(read.text.toUpperCase().replace(/\s+/g, ' ')).toMatch(/PHÒNG THÍ NGHI.M.*LAB MODE/)
})
