// The emergency fit across lengths: titles of 1–120 characters with bodies of 0–2,000, on every screen
// shape. Each frame is checked in pixels (never blank, nothing across the edges) beside the layout
// (the title whole on one page at its floor or larger, every body line inside its box on some page).
// screen-truth.spec reads three of these back by OCR; this one covers the lengths in between.
import { textOnlyManifest } from '../fixtures/content'
import { decodePng, detail, inkAtEdges } from '../fixtures/pixels'
import { RESOLUTIONS } from '../fixtures/screen-truth'
import { textLayoutOf } from '../pages/screen-page'
import { expect, test } from '../fixtures/test'

const WORDS = 'Bão lũ quét sạt lở đất vùng trũng thấp ven sông khẩn trương sơ tán người già trẻ em đến nơi an toàn ngay'.split(' ')
/** Vietnamese words up to `length` characters (a 1-character title is one letter). */
const text = (length: number): string => {
  let out = ''
  for (let i = 0; out.length < length; i++) out += (out ? ' ' : '') + WORDS[i % WORDS.length]
  return out.slice(0, length).trim()
}

test('emergency titles of 1–120 characters with bodies of 0–2,000 fit every screen', async ({ page, rig }) => {
  test.setTimeout(10 * 60_000)
  const { server, shell, deviceId } = await rig.pairedBoard('bang-fit', textOnlyManifest('Bản tin thường', 'Lịch tiếp công dân.'))
  const problems: string[] = []
  await page.goto(shell.screenUrl)
  await expect.poll(() => server.connectedDevices()).toContain(deviceId)
  for (const titleLength of [1, 12, 40, 120]) {
    for (const bodyLength of [0, 30, 400, 2000]) {
      const sent = server.emergency({ title: text(titleLength), body: text(bodyLength), ttlSec: 3600 }) as { id: string }
      const overlay = page.locator(`[data-testid="emergency"][data-emergency-id="${sent.id}"]`)
      await expect(overlay).toBeVisible()
      for (const [width, height] of RESOLUTIONS) {
        const where = `title ${titleLength}, body ${bodyLength} at ${width}×${height}`
        await page.setViewportSize({ width, height })
        await page.evaluate(() => document.fonts.ready.then(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))))
        // Short notices are one fitted block (title and body); long ones page the body below the title.
        const title = overlay.locator('.emergency-title-area').getByTestId('text-content')
        const area = overlay.locator('.emergency-text-area')
        await expect.poll(() => area.evaluate((el) => el.getAttribute('data-measured-for') === `${el.clientWidth}x${el.clientHeight}`)).toBe(true)
        // The fit settles after the resize (ResizeObserver, then the layout's choice): wait for whole lines.
        await expect.poll(async () => (await textLayoutOf(title)).strayLines, { message: `${where}: lines cut` }).toEqual([])
        const titleLayout = await textLayoutOf(title)
        const titlePx = await title.locator('.text-title').evaluate((h) => parseFloat(getComputedStyle(h).fontSize))
        const split = (await overlay.locator('.emergency-body-area').count()) > 0
        if (titleLayout.pages !== 1) problems.push(`${where}: the ${split ? 'title' : 'notice'} pages (${titleLayout.pages} pages; ${await area.getAttribute('data-layout')})`)
        if (titlePx < Math.min(width, height) / 12 - 2) problems.push(`${where}: title set at ${titlePx} px, under 1/12 of the short side`)
        if (split) {
          const body = await textLayoutOf(overlay.locator('.emergency-body-area').getByTestId('text-content'))
          if (body.strayLines.length) problems.push(`${where}: body lines cut: ${body.strayLines.join('; ')}`)
          if (body.fontSize < 14) problems.push(`${where}: body at ${body.fontSize} px`)
          if (body.fontSize > titlePx) problems.push(`${where}: body (${body.fontSize} px) larger than the title (${titlePx} px)`)
        } else if (bodyLength > 0 && titleLayout.fontSize < 14) problems.push(`${where}: body at ${titleLayout.fontSize} px`)
        const image = await decodePng(await page.screenshot())
        if (detail(image).varied < 0.003) problems.push(`${where}: blank frame`)
        for (const ink of inkAtEdges(image, ['top', 'bottom', 'left', 'right'], { left: 1, right: 1 })) problems.push(`${where}: drawn across the ${ink.edge} edge`)
      }
      server.clearEmergency(sent.id)
      await expect(overlay).toBeHidden()
    }
  }
  expect(problems).toEqual([])
})
