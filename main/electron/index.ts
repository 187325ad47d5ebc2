// The Electron main entry: small setup steps run in a fixed order, so that every security hook is in
// place before the first window exists and the core is started before the screen asks for content.
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { execFile } from 'node:child_process'
import { app, BrowserWindow, powerSaveBlocker, protocol, safeStorage, screen, session, type Rectangle, type Session } from 'electron'
import { MEDIA_SCHEME } from '../../contract/screen'
import { consoleLogger, teeLogger, type Logger } from '../core/log'
import { RotatingLog } from '../core/reporting/rotating-log'
import type { SecretBox } from '../core/pairing/credentials-store'
import { startPlayer, type Player } from '../core/start-player'
import { windowCapture } from './capture'
import { ElectronScreenLink } from './ipc'
import { KioskScreens } from './kiosk'
import { setupMediaProtocol } from './media-protocol'
import { STREAM_URL_BASE, streamHandler } from './stream-protocol'
import { housekeepingVerdict, restartApp, totalMemoryMb, watchGpu, watchWindow } from './recovery'
import { denyAllPermissions, hardenWebContents, isAppUrl } from './security'
import { loadShellConfig, type ShellConfig } from './shell-config'
import { currentUpdateState, startUpdates } from './updates'
import { heartbeatUpdate } from './updater/state'
import { WindowWatch } from './watchdog'
import { createKioskWindow } from './window'

/** The bounded log file (userData/logs), opened first thing in main(); uploaded on command. */
let logFile: RotatingLog | null = null

/** JSON lines on stderr (journald keeps them under systemd) and, once open, in the bounded file. */
function shellLogger(scope: string): Logger {
  const console = consoleLogger(scope)
  const toFile = (level: keyof Logger) => (message: string, fields?: Record<string, unknown>) => logFile?.[level](message, { from: scope, ...fields })
  return teeLogger(console, { info: toFile('info'), warn: toFile('warn'), error: toFile('error') })
}

const log = shellLogger('electron')

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
    // corsEnabled: hls.js reads live streams (stream/…) with XHR from the file:// page, a cross-origin read.
    { scheme: MEDIA_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true, corsEnabled: true } }
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
      // Live streams on the same scheme (stream-protocol.ts), fetched upstream by this process.
      streamProxy: true,
      streamBase: STREAM_URL_BASE,
      // The window is always created with sandbox: true (window.ts).
      screenSandbox: 'on',
      log: shellLogger('core'),
      appVersion: app.getVersion(),
      secretBox: osSecretBox(),
      updateState: () => heartbeatUpdate(currentUpdateState()),
      // The window is read at capture time: it opens after the core starts and is recreated after crashes.
      shell: {
        capture: windowCapture(() => mainWindow),
        restart: () => restartApp(app, log, 'remote command'),
        logFiles: async () => logFile?.files() ?? []
      }
    })
  } catch (error) {
    // A broken config or data dir must not leave the screen dark: the window still opens and the
    // renderer, never answered, shows its fallback slide.
    log.error('core failed to start; showing the window without content', { reason: (error as Error).message })
    return null
  }
}

/** The paired token is encrypted with the OS keychain (DPAPI, Keychain, libsecret) where there is one. */
function osSecretBox(): SecretBox | undefined {
  if (!safeStorage.isEncryptionAvailable()) return undefined
  return {
    encrypt: (plain) => safeStorage.encryptString(plain).toString('base64'),
    decrypt: (sealed) => safeStorage.decryptString(Buffer.from(sealed, 'base64'))
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

/** Keeps the panel from blanking: a signage player has no user input to reset the idle timer. */
export function setupPowerSaveBlocker(): number {
  return powerSaveBlocker.start('prevent-display-sleep')
}

/** The Windows login item (per-machine installs also get a Run key from the installer; see build/installer.nsh). */
export function setupAutoLaunch(): void {
  if (app.isPackaged && process.platform === 'win32') app.setLoginItemSettings({ openAtLogin: true })
}

/** Feeds systemd's watchdog (WatchdogSec in the unit) only while the screen answers pings. */
function notifySystemd(healthy: boolean): void {
  if (!process.env['NOTIFY_SOCKET'] || !process.env['WATCHDOG_USEC'] || !healthy) return
  // The unit sets NotifyAccess=all, since systemd-notify is a child of this process.
  execFile('systemd-notify', [`--pid=${process.pid}`, 'WATCHDOG=1'], () => undefined)
}

const MINUTE_MS = 60_000

/** Opens the bounded log file; a player that cannot write its log still plays (console only). */
function openLogFile(): void {
  try {
    logFile = new RotatingLog({ dir: join(app.getPath('userData'), 'logs'), scope: 'electron' })
    process.once('exit', () => logFile?.flush())
  } catch (error) {
    log.error('log file not opened; logging to the console only', { reason: (error as Error).message })
  }
}

export async function main(): Promise<void> {
  if (!setupSingleInstance()) return
  openLogFile()
  registerMediaScheme()
  const location = rendererLocation()
  setupWebContentsHardening(rendererUrlOf(location))
  app.on('window-all-closed', () => app.quit())
  watchGpu(app, log)

  await app.whenReady()
  const startedAt = Date.now()
  const shell: ShellConfig = await loadShellConfig(app.getPath('userData'), log)
  const player = await startCore()
  if (player) setupMediaProtocol(player.media, streamHandler(player.streams, { log: shellLogger('stream') }))
  setupSessionSecurity(session.defaultSession)
  setupPowerSaveBlocker()
  setupAutoLaunch()
  const displayOn = (): boolean | null => player?.displayOn() ?? null
  const updates = await startUpdates({ app, shell, player, log })
  const watches = new Map<BrowserWindow, WindowWatch>()
  const pingMs = shell.recovery.pingIntervalSec * 1000
  // Confirms a new version: an item was on screen, or the screen answers while the schedule has it dark.
  player?.onPlaying(() => void updates.reportPlaying())
  const firstLoads: Promise<void>[] = []

  const open = (bounds: Rectangle): BrowserWindow => {
    const win = createKioskWindow(join(__dirname, '../preload/index.js'), bounds)
    if (!mainWindow || mainWindow.isDestroyed()) mainWindow = win
    win.on('closed', () => {
      watches.delete(win)
      if (mainWindow === win) mainWindow = [...kiosk.windows.values()].find((w) => !w.isDestroyed()) ?? null
    })
    watchWindow(win, {
      unresponsiveReloadMs: shell.recovery.unresponsiveReloadSec * 1000,
      recreate: (reason) => kiosk.recreate(win, reason),
      log
    })
    if (player) {
      const link = new ElectronScreenLink(win, log)
      watches.set(
        win,
        new WindowWatch(link, player.liveness, {
          deadAfterMs: shell.recovery.missedPingsBeforeRecreate * pingMs,
          onDead: (reason) => kiosk.recreate(win, `watchdog: ${reason}`)
        })
      )
      player.attachScreen(link)
    }
    firstLoads.push(loadRenderer(win, location))
    return win
  }
  const kiosk = new KioskScreens({
    displays: () => screen.getAllDisplays(),
    wanted: { ids: shell.displayIds, all: shell.allDisplays },
    open,
    log
  })
  kiosk.reconcile()
  for (const change of ['display-added', 'display-removed', 'display-metrics-changed'] as const) {
    screen.on(change as 'display-added', () => kiosk.reconcile())
  }

  // The core pings the screens; this only looks at how they answer.
  setInterval(() => {
    for (const watch of watches.values()) watch.check()
    notifySystemd([...watches.values()].some((watch) => watch.healthy(pingMs * 2)) || !player)
  }, pingMs).unref()

  let over = false
  setInterval(() => {
    const verdict = housekeepingVerdict(
      {
        memoryCeilingMb: shell.recovery.memoryCeilingMb,
        nightlyRestartAt: shell.recovery.nightlyRestartAt,
        timeZone: player?.timeZone ?? 'Asia/Ho_Chi_Minh',
        displayOn,
        now: () => new Date(),
        startedAt
      },
      totalMemoryMb(app.getAppMetrics()),
      over
    )
    over = verdict.over
    if (verdict.restart) restartApp(app, log, verdict.reason)
  }, MINUTE_MS).unref()
  await Promise.all(firstLoads)
}

/** Settles when startup has finished (or given up); exported so tests can wait for it. */
export const started: Promise<void> = main().catch((error: unknown) => {
  log.error('startup failed', { reason: error instanceof Error ? error.message : String(error) })
})
