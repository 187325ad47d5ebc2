// Screenshots from a real headless Debian Chromium run by the supervisor, of a local page with known
// colours (left half red, right half blue): size, aspect, pixels, and a capture after a restart.
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { decode, encode } from 'jpeg-js'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { ChromiumSupervisor, findChromium } from '../../../main/browser/chromium'
import { TEST_CHROMIUM_FLAGS } from '../../../e2e/fixtures/chromium-flags'
import { captureScreen, jpegSize } from '../../../main/browser/screen-capture'
import { memoryLogger } from '../../../main/core/log'
import type { CaptureOptions, ScreenCapture } from '../../../main/core/shell-controls'

const PAGE = `<!doctype html><html><body style="margin:0;overflow:hidden">
<div style="position:fixed;left:0;top:0;width:50vw;height:100vh;background:#ff0000"></div>
<div style="position:fixed;right:0;top:0;width:50vw;height:100vh;background:#0000ff"></div>
</body></html>`

const executablePath = findChromium()

type Rgb = [number, number, number]

function pixelAt(image: { width: number; data: Uint8Array }, x: number, y: number): Rgb {
  const at = (Math.floor(y) * image.width + Math.floor(x)) * 4
  return [image.data[at]!, image.data[at + 1]!, image.data[at + 2]!]
}

function expectNear(actual: Rgb, expected: Rgb): void {
  const off = Math.max(...actual.map((value, i) => Math.abs(value - expected[i]!)))
  expect(off, `pixel ${actual.join(',')} vs ${expected.join(',')}`).toBeLessThan(40)
}

describe('jpegSize', () => {
  it('reads the size from the frame header, and refuses what is not a JPEG', () => {
    const { data } = encode({ width: 37, height: 11, data: Buffer.alloc(37 * 11 * 4, 128) }, 70)
    expect(jpegSize(data)).toEqual({ width: 37, height: 11 })
    expect(jpegSize(Buffer.from('not a jpeg'))).toBeNull()
    expect(jpegSize(data.subarray(0, 20))).toBeNull()
  })
})

describe('captureScreen', () => {
  it('refuses bad options before asking the browser anything', async () => {
    const cdp = { send: () => Promise.reject(new Error('should not be called')) }
    await expect(captureScreen(cdp, 'http://127.0.0.1:1/', { maxWidth: 0, quality: 80 })).rejects.toThrow('maxWidth must be a positive integer')
    await expect(captureScreen(cdp, 'http://127.0.0.1:1/', { maxWidth: 960, quality: 101 })).rejects.toThrow('quality must be an integer from 1 to 100')
  })

  it('says so when no page shows the screen, and matches by origin rather than by prefix', async () => {
    const cdp = {
      send: async () => ({ targetInfos: [{ targetId: 'T', type: 'page', url: 'http://127.0.0.1:80801/?launch=t' }] })
    }
    await expect(captureScreen(cdp, 'http://127.0.0.1:8080/?launch=t', { maxWidth: 960, quality: 80 })).rejects.toThrow(
      'no page showing the screen (http://127.0.0.1:8080) in Chromium yet'
    )
  })
})

describe.skipIf(!executablePath)('ChromiumSupervisor.capture on a real headless Chromium', () => {
  let server: Server
  let screenUrl: string
  let supervisor: ChromiumSupervisor | undefined
  let profileDir: string | undefined

  beforeAll(async () => {
    server = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      response.end(PAGE)
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    screenUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/?launch=test`
  })
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve))
  })
  afterEach(async () => {
    await supervisor?.stop()
    supervisor = undefined
    // Chromium's helper processes may still be writing the profile for a moment after it exits.
    if (profileDir) await rm(profileDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 })
    profileDir = undefined
  })

  async function launch(extraArgs: string[] = []): Promise<ChromiumSupervisor> {
    profileDir = await mkdtemp(join(tmpdir(), 'bangtin-capture-'))
    supervisor = new ChromiumSupervisor(
      {
        executablePath: executablePath!,
        screenOrigin: new URL(screenUrl).origin,
        launchUrl: () => screenUrl,
        userDataDir: profileDir,
        headless: true,
        // Later flags win: this window size replaces the supervisor's 1920×1080.
        extraArgs: [...TEST_CHROMIUM_FLAGS, '--window-size=800,600', ...extraArgs]
      },
      memoryLogger()
    )
    supervisor.start()
    return supervisor
  }

  /** The first capture that shows the page painted (left edge red): Chromium needs a moment to load it. */
  async function captureWhenShown(target: ChromiumSupervisor, options: CaptureOptions): Promise<ScreenCapture> {
    const deadline = Date.now() + 10_000
    for (;;) {
      try {
        const shot = await target.capture(options)
        const image = decode(shot.jpeg, { useTArray: true })
        if (pixelAt(image, 2, image.height / 2)[0] > 200) return shot
      } catch (error) {
        if (Date.now() > deadline) throw error
      }
      if (Date.now() > deadline) throw new Error('the page never showed')
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }

  it('takes a JPEG no wider than maxWidth, with the aspect ratio kept, never upscaled, in the right colours', async () => {
    const chromium = await launch()
    const full = await captureWhenShown(chromium, { maxWidth: 5000, quality: 80 })
    // Not upscaled: the viewport of an 800-wide window.
    expect(full.width).toBe(800)

    for (const maxWidth of [400, 333, 799]) {
      const shot = await chromium.capture({ maxWidth, quality: 70 })
      const image = decode(shot.jpeg, { useTArray: true })
      expect({ width: image.width, height: image.height }).toEqual({ width: shot.width, height: shot.height })
      expect(shot.width).toBe(maxWidth)
      expect(Math.abs(shot.height - (full.height * maxWidth) / full.width)).toBeLessThanOrEqual(1)
      expectNear(pixelAt(image, shot.width * 0.25, shot.height / 2), [255, 0, 0])
      expectNear(pixelAt(image, shot.width * 0.75, shot.height / 2), [0, 0, 255])
      expectNear(pixelAt(image, 1, 1), [255, 0, 0])
      expectNear(pixelAt(image, shot.width - 2, shot.height - 2), [0, 0, 255])
    }
    // Quality is passed through: a lower one gives a smaller file for the same picture.
    const low = await chromium.capture({ maxWidth: 400, quality: 10 })
    const high = await chromium.capture({ maxWidth: 400, quality: 95 })
    expect(low.jpeg.length).toBeLessThan(high.jpeg.length)
  })

  it('fits the device pixels of a 2× display into maxWidth', async () => {
    const chromium = await launch(['--force-device-scale-factor=2'])
    const full = await captureWhenShown(chromium, { maxWidth: 5000, quality: 80 })
    expect(full.width).toBe(1600)
    const shot = await chromium.capture({ maxWidth: 960, quality: 80 })
    expect(shot.width).toBe(960)
    expect(Math.abs(shot.height - (full.height * 960) / 1600)).toBeLessThanOrEqual(1)
  })

  it('rejects while Chromium is down and captures from the restarted one', async () => {
    const chromium = await launch()
    await captureWhenShown(chromium, { maxWidth: 320, quality: 60 })
    const pid = chromium.pid!
    const exited = new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (chromium.pid !== pid) {
          clearInterval(poll)
          resolve()
        }
      }, 10)
    })
    process.kill(pid, 'SIGKILL')
    await exited
    await expect(chromium.capture({ maxWidth: 320, quality: 60 })).rejects.toThrow('no screen to capture: Chromium is not running')
    const shot = await captureWhenShown(chromium, { maxWidth: 320, quality: 60 })
    expect(chromium.starts).toBe(2)
    expect(shot.width).toBe(320)
  })

  it('works alongside --remote-debugging-port, which tests use to connect Playwright', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as AddressInfo
        probe.close(() => resolve(port))
      })
    })
    const chromium = await launch([`--remote-debugging-port=${port}`])
    const shot = await captureWhenShown(chromium, { maxWidth: 400, quality: 80 })
    expect(shot.width).toBe(400)
    const version = (await (await fetch(`http://127.0.0.1:${port}/json/version`)).json()) as { Browser?: string }
    expect(version.Browser).toMatch(/Chrome/)
  })
})

describe('ChromiumSupervisor.capture without a browser', () => {
  it('rejects with the reason before start and after stop', async () => {
    const supervisor = new ChromiumSupervisor(
      { executablePath: '/bin/true', screenOrigin: 'http://127.0.0.1:1', launchUrl: () => 'http://127.0.0.1:1/', userDataDir: '/tmp/p', headless: true, extraArgs: [] },
      memoryLogger()
    )
    await expect(supervisor.capture({ maxWidth: 960, quality: 80 })).rejects.toThrow('no screen to capture: Chromium is not running')
    await supervisor.stop()
    await expect(supervisor.capture({ maxWidth: 960, quality: 80 })).rejects.toThrow('no screen to capture: Chromium is not running')
  })
})
