// Live HLS through the host's stream proxy: a stream plays (frames advancing) for its turn; a stream
// that cannot be reached is reported and the next item plays instead.
import { execFile } from 'node:child_process'
import { createReadStream } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join, normalize } from 'node:path'
import { promisify } from 'node:util'
import { BrowserShell } from '../fixtures/browser-shell'
import { contentFolder } from '../fixtures/content'
import { ScreenPage } from '../pages/screen-page'
import { expect, test } from '../fixtures/test'

const run = promisify(execFile)
let hlsDir: string
let origin: Server
let base: string

test.beforeAll(async () => {
  hlsDir = await mkdtemp(join(tmpdir(), 'bangtin-hls-'))
  // An 8-second "broadcast" in 1-second segments, as a live encoder would write it.
  await run('ffmpeg', ['-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=25', '-t', '8', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-g', '25', '-f', 'hls', '-hls_time', '1', '-hls_list_size', '0', join(hlsDir, 'index.m3u8')])
  origin = createServer((request, response) => {
    const file = normalize(join(hlsDir, new URL(request.url ?? '/', 'http://x').pathname.replace(/^\/live\//, '')))
    if (!file.startsWith(hlsDir) || !request.url?.startsWith('/live/')) return void response.writeHead(404).end()
    const stream = createReadStream(file)
    stream.on('error', () => response.writeHead(404).end())
    stream.on('open', () => {
      response.writeHead(200, { 'content-type': file.endsWith('.m3u8') ? 'application/vnd.apple.mpegurl' : 'video/mp2t' })
      stream.pipe(response)
    })
  })
  await new Promise<void>((resolve) => origin.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(origin.address() as AddressInfo).port}`
})

test.afterAll(async () => {
  await new Promise((resolve) => origin?.close(resolve))
  await rm(hlsDir, { recursive: true, force: true })
})

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

test('a live HLS stream plays through the host proxy', async ({ page }) => {
  const content = await contentFolder(streamManifest(`${base}/live/index.m3u8`))
  const shell = await BrowserShell.start(['--no-browser', '--content', content], {}, { allowInsecureHttp: true })
  try {
    await page.goto(shell.screenUrl)
    const screen = new ScreenPage(page)
    await expect(screen.activeSlide).toHaveAttribute('data-item-kind', 'stream')
    await expect.poll(() => screen.videoTime(), { timeout: 15_000 }).toBeGreaterThan(1)
    // Every request went to the screen's own origin: the proxy, never the stream's host.
    const src = await screen.activeSlide.locator('video').evaluate((v) => (v as HTMLVideoElement).src)
    expect(src.startsWith('blob:')).toBe(true)
  } finally {
    await shell.stop()
  }
})

test('an unreachable stream is reported and the next item plays', async ({ page }) => {
  const content = await contentFolder(streamManifest(`${base}/live/khong-co.m3u8`))
  const shell = await BrowserShell.start(['--no-browser', '--content', content], {}, { allowInsecureHttp: true })
  try {
    await page.goto(shell.screenUrl)
    await expect(new ScreenPage(page).activeSlide).toContainText('Sau truyền hình', { timeout: 20_000 })
    await shell.waitForLog((r) => r.message === 'item failed on screen' && r.itemId === 'truc-tiep')
  } finally {
    await shell.stop()
  }
})
