// Live HLS through the host's stream proxy: a stream plays (frames advancing) for its turn; a stream
// that cannot be reached is reported and the next item plays instead.
import { startHlsOrigin, type HlsOrigin } from '../fixtures/hls-origin'
import { ScreenPage } from '../pages/screen-page'
import { expect, test } from '../fixtures/test'

let origin: HlsOrigin
let base: string

test.beforeAll(async () => {
  // An 8-second "broadcast" in 1-second segments, as a live encoder would write it.
  origin = await startHlsOrigin(8)
  base = origin.base
})

test.afterAll(async () => origin?.close())

function streamManifest(url: string): object {
  return {
    schema: 'bangtin.manifest/v1',
    version: 'stream',
    playlists: [
      {
        id: 'p',
        name: 'p',
        items: [
          { id: 'truc-tiep', kind: 'stream', url, durationSec: 20 },
          { id: 'sau', kind: 'text', title: 'Sau truyền hình', body: 'Bản tin tiếp theo.', durationSec: 30 }
        ]
      }
    ],
    assets: []
  }
}

test('a live HLS stream plays through the host proxy', async ({ page, rig }) => {
  const content = await rig.content(streamManifest(`${base}/live/index.m3u8`))
  const shell = await rig.shell({ args: ['--content', content], config: { allowInsecureHttp: true } })
  await page.goto(shell.screenUrl)
  const screen = new ScreenPage(page)
  await expect(screen.activeSlide).toHaveAttribute('data-item-kind', 'stream')
  await expect.poll(() => screen.videoTime(), { timeout: 15_000 }).toBeGreaterThan(1)
  // Every request went to the screen's own origin: the proxy, never the stream's host.
  const src = await screen.activeSlide.locator('video').evaluate((v) => (v as HTMLVideoElement).src)
  expect(src.startsWith('blob:')).toBe(true)
})

test('an unreachable stream is reported and the next item plays', async ({ page, rig }) => {
  const content = await rig.content(streamManifest(`${base}/live/khong-co.m3u8`))
  const shell = await rig.shell({ args: ['--content', content], config: { allowInsecureHttp: true } })
  await page.goto(shell.screenUrl)
  await expect(new ScreenPage(page).activeSlide).toContainText('Sau truyền hình', { timeout: 20_000 })
  await shell.waitForLog((r) => r.message === 'item failed on screen' && r.itemId === 'truc-tiep')
})
