// The browser shell: runs the core, serves the screen on 127.0.0.1, and keeps the system Chromium
// showing it in kiosk mode. A product mode for boxes without Electron, and how tests see the player.
import { spawn } from 'node:child_process'
import { mkdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { consoleLogger, teeLogger } from '../core/log'
import { RotatingLog } from '../core/reporting/rotating-log'
import { startPlayer } from '../core/start-player'
import { parseShellArgs, USAGE } from './args'
import { ChromiumSupervisor, findChromium } from './chromium'
import { MEDIA_PATH, startScreenServer } from './screen-server'

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
 * Starts this shell again with the same command line, detached, on the same stdout/stderr (so a
 * supervisor reading them keeps reading); the caller exits right after.
 */
function relaunchSelf(): void {
  spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], { detached: true, stdio: ['ignore', 'inherit', 'inherit'] }).unref()
}

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
  // Set once everything is up; a restart command arriving earlier waits for it.
  let shutdown: ((reason: string, then?: () => void) => Promise<void>) | null = null
  // Created after the core (it needs the screen URL); the capture reads it when a command arrives.
  let chromium: ChromiumSupervisor | null = null
  const player = await startPlayer({
    dataDir: args.dataDir,
    bundledContentDir: BUNDLED_CONTENT_DIR,
    mediaUrl: (sha) => `${MEDIA_PATH}${sha}`,
    streamProxy: true,
    appVersion: await appVersion(),
    log,
    shell: {
      capture: (options) =>
        chromium ? chromium.capture(options) : Promise.reject(new Error('no screen to capture: the shell was started with --no-browser')),
      // A clean stop first (Chromium, the screen server, the core's files), then the same command line again.
      restart: () => void shutdown?.('restart command', relaunchSelf),
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
  })
  const server = await startScreenServer({
    rendererDir: RENDERER_DIR,
    cache: player.cache,
    host: player.host,
    streams: player.streams,
    log,
    port: args.port
  })
  // One machine-readable line on stdout so supervisors and tests can find the screen.
  process.stdout.write(`BANGTIN_SCREEN_URL ${server.screenUrl}\n`)

  if (args.launchBrowser) {
    const executablePath = findChromium()
    if (!executablePath) {
      log.error('no Chromium found: install it (Debian: sudo apt-get install chromium) or set CHROMIUM_PATH')
      process.exitCode = 1
      await server.close()
      return
    }
    chromium = new ChromiumSupervisor(
      {
        executablePath,
        url: server.screenUrl,
        userDataDir: join(args.dataDir, 'chromium-profile'),
        headless: args.headless,
        extraArgs: args.chromiumArgs
      },
      log
    )
    chromium.start()
  }

  let stopping = false
  shutdown = async (reason: string, then?: () => void): Promise<void> => {
    if (stopping) return
    stopping = true
    log.info('stopping', { reason })
    await chromium?.stop()
    await server.close()
    await player.stop().catch((error: Error) => log.error('stopping the core failed', { reason: error.message }))
    file.flush()
    then?.()
    process.exit(0)
  }
  process.once('SIGTERM', () => void shutdown?.('SIGTERM'))
  process.once('SIGINT', () => void shutdown?.('SIGINT'))
}

main().catch((error: Error) => {
  process.stderr.write(`bangtin browser shell failed to start: ${error.message}\n`)
  process.exit(1)
})
