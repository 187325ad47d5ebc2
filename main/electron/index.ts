// The Electron main entry: small setup steps run in a fixed order, so that every security hook is in
// place before the first window exists and the core is started before the screen asks for content.
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { app, BrowserWindow, protocol, session, type Session } from 'electron'
import { MEDIA_SCHEME } from '../../contract/screen'
import { consoleLogger } from '../core/log'
import { startPlayer, type Player } from '../core/start-player'
import { setupIpc } from './ipc'
import { setupMediaProtocol } from './media-protocol'
import { denyAllPermissions, hardenWebContents, isAppUrl } from './security'
import { createKioskWindow } from './window'

const log = consoleLogger('electron')

let mainWindow: BrowserWindow | null = null

/** Where the renderer comes from. The dev-server URL is honoured only in unpackaged builds, so an
 * environment variable can never point an installed kiosk (with its preload API) at another page. */
export function rendererLocation(): { url: string } | { file: string } {
  const devUrl = process.env['ELECTRON_RENDERER_URL']
  if (!app.isPackaged && devUrl) return { url: devUrl }
  return { file: join(__dirname, '../renderer/index.html') }
}

const rendererUrlOf = (location: { url: string } | { file: string }): string =>
  'url' in location ? location.url : pathToFileURL(location.file).href

/** Returns false (and quits) when another player already runs: two players would fight over one cache. */
export function setupSingleInstance(): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit()
    return false
  }
  app.on('second-instance', () => {
    const win = mainWindow
    if (!win || win.isDestroyed()) return
    if (win.isMinimized()) win.restore()
    win.show()
    win.focus()
  })
  return true
}

/** Must run before 'ready': Chromium reads scheme privileges once, at startup. */
export function registerMediaScheme(): void {
  protocol.registerSchemesAsPrivileged([
    // stream: lets <video> read progressively and by range; supportFetchAPI: lets the renderer fetch() media.
    { scheme: MEDIA_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } }
  ])
}

/** Registered before any window so that every WebContents, the first included, is hardened. */
export function setupWebContentsHardening(rendererUrl: string): void {
  app.on('web-contents-created', (_event, contents) => {
    hardenWebContents(contents, (url) => isAppUrl(url, rendererUrl), log)
  })
}

export function setupSessionSecurity(target: Session): void {
  denyAllPermissions(target, log)
}

function bundledContentDir(): string {
  const base = app.isPackaged ? process.resourcesPath : app.getAppPath()
  return join(base, 'assets', 'demo')
}

async function startCore(): Promise<Player | null> {
  try {
    return await startPlayer({
      dataDir: app.getPath('userData'),
      bundledContentDir: bundledContentDir(),
      mediaUrl: (sha256) => `${MEDIA_SCHEME}://cache/${sha256}`,
      log: consoleLogger('core')
    })
  } catch (error) {
    // A broken config or data dir must not leave the screen dark: the window still opens and the
    // renderer, never answered, shows its fallback slide.
    log.error('core failed to start; showing the window without content', { reason: (error as Error).message })
    return null
  }
}

async function loadRenderer(win: BrowserWindow, location: { url: string } | { file: string }): Promise<void> {
  try {
    if ('url' in location) await win.loadURL(location.url)
    else await win.loadFile(location.file)
  } catch (error) {
    log.error('renderer failed to load', { ...location, reason: (error as Error).message })
  }
}

export async function main(): Promise<void> {
  if (!setupSingleInstance()) return
  registerMediaScheme()
  const location = rendererLocation()
  setupWebContentsHardening(rendererUrlOf(location))
  app.on('window-all-closed', () => app.quit())

  await app.whenReady()
  const player = await startCore()
  if (player) setupMediaProtocol(player.cache)
  setupSessionSecurity(session.defaultSession)
  const win = createKioskWindow(join(__dirname, '../preload/index.js'))
  mainWindow = win
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null
  })
  if (player) setupIpc(win, player.host, log)
  await loadRenderer(win, location)
}

/** Settles when startup has finished (or given up); exported so tests can wait for it. */
export const started: Promise<void> = main().catch((error: unknown) => {
  log.error('startup failed', { reason: error instanceof Error ? error.message : String(error) })
})
