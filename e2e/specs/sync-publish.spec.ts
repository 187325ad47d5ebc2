// The whole chain: an operator publishes on the reference source server, the browser-shell player
// syncs it (push, download, verify, activate) and the screen shows it without a restart.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { assetOf, DEMO_DIR } from '../fixtures/content'
import { ScreenPage } from '../pages/screen-page'
import { expect, test } from '../fixtures/test'

function textManifest(version: string, title: string, extraItems: object[] = [], assets: object[] = []): object {
  return {
    schema: 'bangtin.manifest/v1',
    version,
    board: { name: 'UBND xã Phú An' },
    playlists: [{ id: 'main', name: 'Chính', items: [{ id: `tb-${version}`, kind: 'text', title, body: 'Nội dung thông báo từ hệ thống thông tin nguồn.', durationSec: 30 }, ...extraItems] }],
    assets
  }
}

test('content published on the source server appears on the screen without a restart', async ({ page, rig }) => {
  const { server, shell } = await rig.pairedBoard('bang-tin-e2e', textManifest('v1', 'Thông báo số 1'))
  await page.goto(shell.screenUrl)
  const screen = new ScreenPage(page)
  await expect(screen.activeSlide).toContainText('Thông báo số 1')

  const poster = await assetOf(join(DEMO_DIR, 'poster.jpg'), 'image/jpeg', 'poster.jpg')
  const v2 = textManifest('v2', 'Thông báo số 2', [{ id: 'poster', kind: 'image', asset: poster.sha256, durationSec: 10 }], [poster])
  server.publish(v2, new Map([[poster.sha256, await readFile(join(DEMO_DIR, 'poster.jpg'))]]))

  await expect(screen.activeSlide).toContainText('Thông báo số 2')
  // The poster was downloaded, verified and is what the next slide shows.
  await expect(page.locator('.slide[data-item-id="poster"] img')).toHaveAttribute('src', `/media/${poster.sha256}`)
  await shell.waitForLog((r) => r.message === 'manifest activated' && r.version === 'v2')
  expect(shell.count((r) => r.message === 'chromium started')).toBe(0)
})
