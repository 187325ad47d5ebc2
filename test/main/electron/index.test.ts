// The Electron entry's startup: the order of the setup steps, single-instance behaviour, and a real
// core wired to the window (electron itself is faked; the core, cache and demo content are real).
import { readFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'

const fake = await vi.hoisted(async () => (await import('./fake-electron')).createFakeElectron())
vi.mock('electron', () => fake.module)
// The real electron-updater requires the real 'electron' (which tries to download the binary).
const fakeUpdater = await vi.hoisted(async () => (await import('./fake-updater')).createFakeUpdater())
vi.mock('electron-updater', () => ({ autoUpdater: fakeUpdater }))

import { hostChannel, MEDIA_SCHEME, screenChannel, type HostPayload } from '../../../contract/screen'
import { FakeEvent } from './fake-electron'

const REPO = resolve(__dirname, '../../..')
const ENTRY_DIR = join(REPO, 'main/electron')
const PRELOAD = join(ENTRY_DIR, '../preload/index.js')
const RENDERER_FILE = join(ENTRY_DIR, '../renderer/index.html')

let userData: string
let stderr: string[]

beforeEach(async () => {
  fake.reset()
  vi.resetModules()
  userData = await mkdtemp(join(tmpdir(), 'bangtin-userdata-'))
  fake.app.paths['userData'] = userData
  fake.app.appPath = REPO
  delete process.env['ELECTRON_RENDERER_URL']
  stderr = []
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr.push(String(chunk))
    return true
  })
})

afterEach(async () => {
  vi.restoreAllMocks()
  delete process.env['ELECTRON_RENDERER_URL']
  await rm(userData, { recursive: true, force: true })
})

/** Loads the entry as Electron would: importing it runs startup up to `await app.whenReady()`. */
async function launch(): Promise<{ started: Promise<void> }> {
  return import('../../../main/electron/index')
}

async function launchAndBecomeReady(): Promise<void> {
  const { started } = await launch()
  fake.becomeReady()
  await started
}

const indexOf = (call: string): number => {
  const at = fake.calls.findIndex((c) => c === call || c.startsWith(call))
  expect(at, `${call} was called`).toBeGreaterThanOrEqual(0)
  return at
}

describe('single instance', () => {
  it('a second instance quits at once: no scheme, no core, no window', async () => {
    fake.app.lockAvailable = false
    await launchAndBecomeReady()
    expect(fake.app.quitCalls).toBe(1)
    expect(fake.calls).toEqual(['app.requestSingleInstanceLock', 'app.quit', 'app ready'])
    expect(fake.windows).toHaveLength(0)
  })

  it('the first instance brings its window forward when a second one starts', async () => {
    await launchAndBecomeReady()
    const [win] = fake.windows
    win!.minimized = true
    fake.app.emit('second-instance', new FakeEvent(), ['bangtin'], '/')
    expect(win!.restored).toBe(true)
    expect(win!.shown).toBe(true)
    expect(win!.focused).toBe(true)
  })
})

describe('startup order', () => {
  it('makes the media scheme privileged before ready, and creates nothing before ready', async () => {
    const { started } = await launch()
    expect(fake.calls).toEqual(['app.requestSingleInstanceLock', 'protocol.registerSchemesAsPrivileged'])
    expect(fake.privileged).toEqual([
      { scheme: MEDIA_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true, corsEnabled: true } }
    ])
    expect(fake.app.listenerCount('web-contents-created')).toBe(1)
    expect(fake.windows).toHaveLength(0)
    fake.becomeReady()
    await started
  })

  it('after ready: media protocol, permissions, window with the preload, IPC, then the renderer', async () => {
    await launchAndBecomeReady()
    const order = [
      'protocol.registerSchemesAsPrivileged',
      'app ready',
      'protocol.handle',
      'session.setPermissionRequestHandler',
      'new BrowserWindow',
      `ipcMain.on ${screenChannel('ready')}`,
      'win.loadFile'
    ].map(indexOf)
    expect(order).toEqual([...order].sort((a, b) => a - b))

    expect(fake.windows).toHaveLength(1)
    const [win] = fake.windows
    expect(win!.options.webPreferences).toMatchObject({ preload: PRELOAD, sandbox: true, contextIsolation: true, nodeIntegration: false })
    expect(win!.loaded).toEqual({ file: RENDERER_FILE })
    expect(fake.defaultSession.checkHandler!(null, 'media', 'file://', {})).toBe(false)
    expect(fake.powerSaveBlocks).toEqual(['prevent-display-sleep'])
    expect(win!.bounds).toEqual(fake.displays[0]!.bounds)
  })

  it('follows a larger display plugged in later, and recreates a window whose renderer crashed', async () => {
    await launchAndBecomeReady()
    const [first] = fake.windows
    fake.displays.push({ id: 7, bounds: { x: 1920, y: 0, width: 3840, height: 2160 } })
    fake.screen.emit('display-added')
    expect(first!.bounds).toEqual({ x: 1920, y: 0, width: 3840, height: 2160 })
    first!.webContents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 139 })
    expect(fake.windows).toHaveLength(2)
    expect(first!.destroyed).toBe(true)
    expect(fake.windows[1]!.bounds.x).toBe(1920)
    expect(fake.windows[1]!.loaded).toEqual({ file: RENDERER_FILE })
  })

  it('quits when the last window closes', async () => {
    await launchAndBecomeReady()
    fake.windows[0]!.close()
    fake.app.emit('window-all-closed')
    expect(fake.app.quitCalls).toBe(1)
  })
})

describe('the window is hardened from its first moment', () => {
  it('its WebContents cannot navigate away, open windows, or attach webviews', async () => {
    await launchAndBecomeReady()
    const contents = fake.windows[0]!.webContents
    const away = new FakeEvent('https://hijack.example/')
    contents.emit('will-navigate', away)
    expect(away.defaultPrevented).toBe(true)
    const home = new FakeEvent(pathToFileURL(RENDERER_FILE).href)
    contents.emit('will-navigate', home)
    expect(home.defaultPrevented).toBe(false)
    expect(contents.windowOpenHandler!({ url: 'https://example.com/' })).toEqual({ action: 'deny' })
    const webview = new FakeEvent()
    contents.emit('will-attach-webview', webview, {}, {})
    expect(webview.defaultPrevented).toBe(true)
  })
})

describe('the real core behind the window', () => {
  it('answers the screen with the demo program, whose media URLs the media scheme serves', async () => {
    await launchAndBecomeReady()
    const win = fake.windows[0]!
    fake.ipcMain.emit(screenChannel('ready'), { sender: win.webContents, senderFrame: win.webContents.mainFrame }, { userAgent: 'test' })

    const shows = win.webContents.sent.filter((m) => m.channel === hostChannel('show'))
    expect(shows).toHaveLength(1)
    const show = shows[0]!.payload as HostPayload<'show'>
    const video = show.zones[0]?.program?.items.find((item) => item.kind === 'video')
    expect(video?.kind).toBe('video')
    if (video?.kind !== 'video') return
    expect(video.src).toMatch(new RegExp(`^${MEDIA_SCHEME}://cache/[0-9a-f]{64}$`))

    const handler = fake.handlers.get(MEDIA_SCHEME)!
    const response = await handler(new Request(video.src))
    expect(response.status).toBe(200)
    expect(Buffer.from(await response.arrayBuffer())).toEqual(await readFile(join(REPO, 'assets/demo/clip.mp4')))
  })

  it('one liveness watchdog pings the window: one sequence, never a second pinger beside it', async () => {
    // The shell looks at its window every 2 s; the pings themselves are the core's (every 5 s).
    await writeFile(join(userData, 'shell.json'), JSON.stringify({ recovery: { pingIntervalSec: 2 } }))
    await launchAndBecomeReady()
    const win = fake.windows[0]!
    fake.ipcMain.emit(screenChannel('ready'), { sender: win.webContents, senderFrame: win.webContents.mainFrame }, { userAgent: 'test' })
    const pings = () => win.webContents.sent.filter((m) => m.channel === hostChannel('ping')).map((m) => (m.payload as HostPayload<'ping'>).seq)
    let answered = 0
    // The screen answers each ping as it comes (a silent one would have its window recreated).
    const answer = () => {
      for (const seq of pings().slice(answered)) {
        fake.ipcMain.emit(screenChannel('pong'), { sender: win.webContents, senderFrame: win.webContents.mainFrame }, { seq, frames: seq })
        answered++
      }
      return answered
    }
    await expect.poll(answer, { timeout: 30_000 }).toBeGreaterThanOrEqual(3)
    expect(fake.windows).toHaveLength(1)
    const seen = pings().slice(0, 3)
    expect(seen).toEqual([seen[0], seen[0]! + 1, seen[0]! + 2])
  }, 40_000)

  it('still opens and loads the window when the core cannot start, and says why', async () => {
    await writeFile(join(userData, 'config.json'), '{ not json')
    await launchAndBecomeReady()
    expect(fake.windows).toHaveLength(1)
    expect(fake.windows[0]!.loaded).toEqual({ file: RENDERER_FILE })
    expect(fake.calls).not.toContain('protocol.handle')
    expect(fake.calls.some((c) => c.startsWith('ipcMain.on'))).toBe(false)
    expect(stderr.join('')).toContain('core failed to start')
  })

  it('writes its log (shell and core) to a bounded file in userData/logs as well as to stderr', async () => {
    await writeFile(join(userData, 'config.json'), '{ not json')
    await launchAndBecomeReady()
    const { readFile: read, readdir } = await import('node:fs/promises')
    await vi.waitFor(async () => {
      const text = await read(join(userData, 'logs', 'player.log'), 'utf8')
      expect(text).toContain('"message":"core failed to start; showing the window without content"')
    })
    expect(await readdir(join(userData, 'logs'))).toEqual(['player.log'])
  })
})

describe('live streams', () => {
  it('are scheduled on the media scheme and fetched from their upstream through it', async () => {
    const playlist = '#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2.0,\nseg-1.ts\n'
    const seen: string[] = []
    const upstream = createServer((request, response) => {
      seen.push(request.url ?? '')
      if (request.url !== '/live/kenh1/index.m3u8') return void response.writeHead(404).end()
      response.writeHead(200, { 'Content-Type': 'application/vnd.apple.mpegurl' }).end(playlist)
    })
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve))
    try {
      const port = (upstream.address() as AddressInfo).port
      const content = join(userData, 'content')
      await mkdir(content)
      await writeFile(
        join(content, 'manifest.json'),
        JSON.stringify({
          schema: 'bangtin.manifest/v1',
          version: 'live-1',
          playlists: [{ id: 'p', name: 'p', items: [{ id: 'kenh1', kind: 'stream', url: `http://127.0.0.1:${port}/live/kenh1/index.m3u8`, durationSec: 60 }] }],
          assets: []
        })
      )
      // A lab upstream on plain http.
      await writeFile(join(userData, 'config.json'), JSON.stringify({ contentDir: content, allowInsecureHttp: true }))
      await launchAndBecomeReady()
      const win = fake.windows[0]!
      fake.ipcMain.emit(screenChannel('ready'), { sender: win.webContents, senderFrame: win.webContents.mainFrame }, { userAgent: 'test' })

      const show = win.webContents.sent.find((m) => m.channel === hostChannel('show'))?.payload as HostPayload<'show'> | undefined
      const stream = show?.zones[0]?.program?.items.find((item) => item.kind === 'stream')
      expect(stream?.kind).toBe('stream')
      if (stream?.kind !== 'stream') return
      expect(stream.src).toBe(`${MEDIA_SCHEME}://stream/kenh1/index.m3u8`)

      const handler = fake.handlers.get(MEDIA_SCHEME)!
      const response = await handler(new Request(stream.src))
      expect(response.status).toBe(200)
      expect(await response.text()).toBe(playlist)
      expect((await handler(new Request(`${MEDIA_SCHEME}://stream/kenh1/../secret`))).status).toBe(404)
      expect(seen).toEqual(['/live/kenh1/index.m3u8'])
    } finally {
      upstream.closeAllConnections()
      await new Promise((resolve) => upstream.close(resolve))
    }
  })
})

describe('renderer location', () => {
  it('uses the dev server in an unpackaged build and allows navigation within it', async () => {
    process.env['ELECTRON_RENDERER_URL'] = 'http://localhost:5173'
    await launchAndBecomeReady()
    const win = fake.windows[0]!
    expect(win.loaded).toEqual({ url: 'http://localhost:5173' })
    const reload = new FakeEvent('http://localhost:5173/')
    win.webContents.emit('will-navigate', reload)
    expect(reload.defaultPrevented).toBe(false)
    const local = new FakeEvent(pathToFileURL(RENDERER_FILE).href)
    win.webContents.emit('will-navigate', local)
    expect(local.defaultPrevented).toBe(true)
  })

  it('ignores ELECTRON_RENDERER_URL in a packaged build, and turns DevTools off', async () => {
    process.env['ELECTRON_RENDERER_URL'] = 'https://attacker.example/'
    fake.app.isPackaged = true
    // Electron sets process.resourcesPath (read-only in its types); plain Node has none.
    const mutableProcess = process as { resourcesPath?: string }
    const resources = mutableProcess.resourcesPath
    mutableProcess.resourcesPath = REPO
    try {
      await launchAndBecomeReady()
    } finally {
      mutableProcess.resourcesPath = resources
    }
    const win = fake.windows[0]!
    expect(win.loaded).toEqual({ file: RENDERER_FILE })
    expect(win.options.webPreferences?.devTools).toBe(false)
    const away = new FakeEvent('https://attacker.example/')
    win.webContents.emit('will-navigate', away)
    expect(away.defaultPrevented).toBe(true)
    // The packaged build found its bundled demo under resourcesPath, so the core started.
    expect(fake.calls).toContain('protocol.handle')
  })
})
