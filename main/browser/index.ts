// The browser shell: runs the core, serves the screen on 127.0.0.1, and keeps the system Chromium
// showing it in kiosk mode. A product mode for boxes without Electron, and how tests see the player.
import { spawn } from 'node:child_process'
import { mkdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { consoleLogger, teeLogger, type Logger } from '../core/log'
import { RotatingLog } from '../core/reporting/rotating-log'
import type { Player } from '../core/start-player'
import { parseShellArgs, USAGE } from './args'
import { ChromiumSupervisor, findChromium, sandboxAsUser } from './chromium'
import { MEDIA_PATH, startScreenServer, type ScreenCore, type ScreenServer } from './screen-server'
import { LAUNCH_FILE } from './screen-session'
import { SCREEN_WATCH_DEFAULTS, ScreenWatch } from './screen-watch'
import { prepareStageTheme } from './stage-theme'

// Built to out/main/browser.js: the renderer is beside it, the bundled content at the repo/app root.
const RENDERER_DIR = join(__dirname, '../renderer')
const BUNDLED_CONTENT_DIR = join(__dirname, '../../assets/demo')

/** The version in the app's package.json, for heartbeats. */
async function appVersion(): Promise<string> {
  try {
    return (JSON.parse(await readFile(join(__dirname, '../../package.json'), 'utf8')) as { version?: string }).version ?? '0.0.0'
  } catch {
    return '0.0.0'
  }
}

/**
 * Starts this shell again with the same command line, on the same stdout/stderr and in the same
 * process group (so a supervisor reading them, or Ctrl+C in a terminal, still reaches it). Resolves
 * with the exit code this process should leave with: 0 once the new one runs, 1 when it could not start.
 */
function relaunchSelf(log: Logger): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], { stdio: ['ignore', 'inherit', 'inherit'] })
    child.once('spawn', () => {
      child.unref()
      resolve(0)
    })
    child.once('error', (error) => {
      log.error('could not start the player again', { reason: error.message })
      resolve(1)
    })
  })
}

/** Exit code that asks a service manager (systemd Restart=on-failure or always) to start us again. */
const EXIT_RESTART = 75
const MINUTE_MS = 60_000

async function main(): Promise<void> {
  const args = parseShellArgs(process.argv.slice(2))
  if (args === 'help') {
    console.log(USAGE)
    return
  }
  await mkdir(args.dataDir, { recursive: true })
  // JSON lines on stderr for whoever supervises the process, and a bounded copy on disk that survives
  // a long offline spell without filling it.
  const file = new RotatingLog({ dir: join(args.dataDir, 'logs'), scope: 'browser-shell' })
  process.once('exit', () => file.flush())
  const log = teeLogger(consoleLogger('browser-shell'), file)
  log.info('browser shell started', { pid: process.pid, dataDir: args.dataDir })
  let chromium: ChromiumSupervisor | null = null
  let server: ScreenServer | null = null
  let player: Player | null = null
  let watch: ScreenWatch | null = null
  let stopMemoryWatch = (): void => {}
  let stopping = false
  // Stops whatever has started so far (a restart command may come before Chromium is up), then exits.
  const shutdown = async (reason: string, restart = false): Promise<void> => {
    if (stopping) return
    stopping = true
    log.info('stopping', { reason })
    watch?.stop()
    stopMemoryWatch()
    await chromium?.stop()
    await server?.close()
    await player?.stop().catch((error: Error) => log.error('stopping the core failed', { reason: error.message }))
    file.flush()
    // Under systemd the service manager restarts us (a child of ours would die with the unit's cgroup);
    // anywhere else we start our successor ourselves.
    if (restart) process.exit(process.env.INVOCATION_ID ? EXIT_RESTART : await relaunchSelf(log))
    process.exit(0)
  }
  process.once('SIGTERM', () => void shutdown('SIGTERM'))
  process.once('SIGINT', () => void shutdown('SIGINT'))
  // The screen server and Chromium start first and the core beside them, so Chromium's own start (the
  // larger part of a cold start) does not wait for the core's: the page's files are served meanwhile,
  // and what needs the core (media, the socket, the page's first show) waits for it.
  let coreStarted: (core: ScreenCore) => void = () => undefined
  let coreFailed: (error: Error) => void = () => undefined
  const core = new Promise<ScreenCore>((resolve, reject) => ((coreStarted = resolve), (coreFailed = reject)))
  server = await startScreenServer({
    rendererDir: RENDERER_DIR,
    core,
    log,
    port: args.port,
    // Without our own Chromium, whoever opens the screen reads a one-time URL from a file only we can read.
    launchFile: args.launchBrowser ? undefined : join(args.dataDir, LAUNCH_FILE),
    heldByScreen: args.launchBrowser ? async (cookie) => (await chromium?.holdsCookie(cookie)) ?? false : undefined
  })
  const screen = server
  // One machine-readable line on stdout so supervisors and tests can find the screen (no secret: journald keeps stdout).
  process.stdout.write(`BANGTIN_SCREEN_URL ${server.screenUrl}\n`)

  if (args.launchBrowser) {
    const executablePath = findChromium()
    if (!executablePath) {
      log.error('no Chromium found: install it (Debian: sudo apt-get install chromium) or set CHROMIUM_PATH')
      process.exitCode = 1
      await server.close()
      return
    }
    // Without the stage theme Chromium flashes white at each start; a player without it still plays.
    const theme = args.headless
      ? undefined
      : await prepareStageTheme(join(args.dataDir, 'chromium-stage')).catch((error: Error) => {
          log.error('Chromium stage colours not prepared; it may flash white at start', { reason: error.message })
          return undefined
        })
    const supervisor = new ChromiumSupervisor(
      {
        executablePath,
        screenOrigin: server.origin,
        launchUrl: () => screen.launchUrl('chromium'),
        userDataDir: join(args.dataDir, 'chromium-profile'),
        headless: args.headless,
        extraArgs: args.chromiumArgs,
        theme
      },
      log,
      {
        started: () => watch?.chromiumStarted(),
        exited: () => watch?.chromiumStopped(),
        screenGone: (detail) => watch?.rendererGone(detail),
        // Someone else used Chromium's launch code first: their session ends, and Chromium starts with a new code.
        launchRefused: () => {
          log.error('Mã khởi động màn hình đã bị tiến trình khác dùng trước: huỷ mọi phiên, mở lại Chromium / the screen launch code was used by another process first: every session ended, restarting Chromium')
          screen.revokeSessions()
          supervisor.restart('screen launch code used by another process')
        }
      }
    )
    chromium = supervisor
    watch = new ScreenWatch({
      ...SCREEN_WATCH_DEFAULTS,
      reload: (killRenderers) => supervisor.reloadScreen(killRenderers),
      restart: (reason) => supervisor.restart(reason),
      log
    })
    supervisor.start()
  }
  // Loaded only now: the core's modules take a while to load, and Chromium is already starting meanwhile.
  const { startPlayer } = await import('../core/start-player')
  // The capture reads Chromium when a command arrives.
  const started = await startPlayer({
    dataDir: args.dataDir,
    bundledContentDir: BUNDLED_CONTENT_DIR,
    mediaUrl: (sha) => `${MEDIA_PATH}${sha}`,
    streamProxy: true,
    // Only a Chromium this shell starts has a sandbox to speak of (with --no-browser the screen is someone else's).
    screenSandbox: args.launchBrowser ? sandboxAsUser() : undefined,
    appVersion: await appVersion(),
    log,
    shell: {
      capture: (options) =>
        chromium ? chromium.capture(options) : Promise.reject(new Error('no screen to capture: the shell was started with --no-browser')),
      // A clean stop first (Chromium, the screen server, the core's files), then the same command line again.
      restart: () => void shutdown('restart command', true),
      logFiles: async () => file.files()
    },
    overrides: {
      contentDir: args.contentDir,
      boardName: args.boardName,
      timeZone: args.timeZone,
      serverUrl: args.serverUrl,
      trustedKeys: args.trustedKeys,
      displayHours: args.displayHours
    }
  }).catch((error: Error) => {
    coreFailed(error)
    throw error
  })
  player = started
  if (stopping) return void (await started.stop())
  // Before the first screen can attach (the screen server waits for the core): every screen is watched.
  watch?.follow(started.liveness)
  coreStarted(started)
  // The memory ceiling reads the plan (no restart while the display is on) and so starts with the core.
  const supervisor = chromium
  if (supervisor) {
    const { watchMemory } = await import('./memory-watch')
    stopMemoryWatch = watchMemory({
      ceilingMb: args.memoryCeilingMb,
      everyMs: MINUTE_MS,
      memoryMb: () => supervisor.memoryMb(),
      displayOn: () => started.displayOn(),
      restart: (reason) => supervisor.restart(reason),
      log
    })
  }
}

main().catch((error: Error) => {
  process.stderr.write(`bangtin browser shell failed to start: ${error.message}\n`)
  process.exit(1)
})
