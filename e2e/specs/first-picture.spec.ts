// The first picture of a cold start: the browser shell draws the first image into the page itself, so
// it is on screen before the screen's script has run, and the script takes it over without a gap.
import jpeg from 'jpeg-js'
import { assetFor, solidPng } from '../fixtures/images'
import { ScreenPage } from '../pages/screen-page'
import { expect, test } from '../fixtures/test'

test('the first image is on screen before the script runs, and is handed over to the rotation without a gap', async ({ page, rig }, testInfo) => {
  const green = solidPng(320, 180, [30, 200, 60])
  const asset = assetFor(green, 'image/png', 'green.png')
  const content = await rig.content(
    {
      schema: 'bangtin.manifest/v1',
      version: 'first-picture',
      playlists: [{ id: 'p', name: 'p', items: [{ id: 'dau-tien', kind: 'image', asset: asset.sha256, durationSec: 30, fit: 'contain' }] }],
      assets: [asset]
    },
    { 'green.png': green }
  )
  const shell = await rig.shell({ args: ['--content', content] })
  // When the page's picture goes, the rotation's own copy must already be visible and decoded.
  await page.addInitScript(() => {
    const state = { removedWith: null as null | { visible: boolean; complete: boolean; active: boolean } }
    ;(window as unknown as { __firstPicture: typeof state }).__firstPicture = state
    new MutationObserver((records) => {
      for (const record of records) {
        for (const node of record.removedNodes) {
          if ((node as HTMLElement).id !== 'bangtin-first-picture') continue
          const img = document.querySelector<HTMLImageElement>('.slide[data-active="true"][data-item-id="dau-tien"] img')
          state.removedWith = { active: !!img, visible: !!img && getComputedStyle(img).visibility === 'visible', complete: !!img && img.complete && img.naturalWidth > 0 }
        }
      }
    }).observe(document, { childList: true, subtree: true })
  })
  // The screen's script is held back: what shows now is the page alone.
  let release: () => void = () => undefined
  const held = new Promise<void>((resolve) => (release = resolve))
  await page.route('**/assets/*.js', async (route) => {
    await held
    await route.continue()
  })
  await page.setViewportSize({ width: 1280, height: 720 })
  await page.goto(shell.screenUrl, { waitUntil: 'commit' })
  const centre = async (): Promise<number[]> => {
    const shot = jpeg.decode(await page.screenshot({ type: 'jpeg', quality: 95 }), { useTArray: true })
    const i = (Math.floor(shot.height / 2) * shot.width + Math.floor(shot.width / 2)) * 4
    return [shot.data[i]!, shot.data[i + 1]!, shot.data[i + 2]!]
  }
  const isGreen = (c: number[]): boolean => Math.abs(c[0]! - 30) <= 24 && Math.abs(c[1]! - 200) <= 24 && Math.abs(c[2]! - 60) <= 24
  // Just after the commit there may be no frame to capture yet: not green yet, rather than a failure.
  const greenNow = (): Promise<boolean> => centre().then(isGreen, (error: Error) => (/Unable to capture screenshot/.test(error.message) ? false : Promise.reject(error)))
  await expect.poll(greenNow, { timeout: 20_000 }).toBe(true)
  await page.screenshot({ path: testInfo.outputPath('before-script.png') })
  expect(await page.locator('.slide').count()).toBe(0)
  release()
  await expect(new ScreenPage(page).activeSlide).toHaveAttribute('data-item-id', 'dau-tien')
  await expect(page.locator('#bangtin-first-picture')).toHaveCount(0)
  expect(await page.evaluate(() => (window as unknown as { __firstPicture: { removedWith: unknown } }).__firstPicture.removedWith)).toEqual({
    active: true,
    visible: true,
    complete: true
  })
  expect(isGreen(await centre())).toBe(true)
})
