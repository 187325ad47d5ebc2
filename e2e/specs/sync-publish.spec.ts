// The whole chain: an operator publishes on the reference source server, the browser-shell player
// syncs it (push, download, verify, activate) and the screen shows it without a restart.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { startReferenceServer } from '../../server/reference-server'
import { BrowserShell } from '../fixtures/browser-shell'
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

test('content published on the source server appears on the screen without a restart', async ({ page }, testInfo) => {
  const server = await startReferenceServer({ port: 0 })
  const { deviceId, token } = server.addDevice('bang-tin-e2e', 'token-bang-tin-e2e-0123456789')
  server.publish(textManifest('v1', 'Thông báo số 1'), new Map())
  const shell = await BrowserShell.start(['--no-browser'], {}, { serverUrl: server.url, allowInsecureHttp: true, deviceId, token })
  try {
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
  } finally {
    if (testInfo.status !== testInfo.expectedStatus) {
      await testInfo.attach('browser-shell.log', { body: shell.logText(), contentType: 'text/plain' })
    }
    await shell.stop()
    await server.close()
  }
})
