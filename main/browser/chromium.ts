// Finds the system Chromium and keeps it showing the screen in kiosk mode, restarting it when it dies;
// screenshots, reloads and crash reports of the screen's page go over the DevTools pipe to the current Chromium.
import { spawn, type ChildProcess } from 'node:child_process'
import { accessSync, constants } from 'node:fs'
import { delimiter, join } from 'node:path'
import type { Readable, Writable } from 'node:stream'
import { z } from 'zod'
import type { Logger } from '../core/log'
import type { CaptureOptions, ScreenCapture } from '../core/shell-controls'
import { CdpPipe } from './cdp-pipe'
import { pageRenderersOf, treeMemoryMb } from './process-tree'
import { captureScreen, findScreenTarget, originOf } from './screen-capture'
import type { StageTheme } from './stage-theme'

const CANDIDATES = ['chromium', 'chromium-browser', 'google-chrome-stable', 'google-chrome']

/** CHROMIUM_PATH wins; otherwise the first known Chromium on PATH; null when there is none. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.CHROMIUM_PATH) return env.CHROMIUM_PATH
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    for (const name of CANDIDATES) {
      const candidate = join(dir, name)
      try {
        accessSync(candidate, constants.X_OK)
        return candidate
      } catch {
        // not here; keep looking
      }
    }
  }
  return null
}

export interface ChromiumOptions {
  executablePath: string
  url: string
  userDataDir: string
  headless: boolean
  /** Appended last, so a deployment can add or override flags (e.g. --disable-gpu on a GPU-less box). */
  extraArgs: string[]
  /** Chromium's own colours before the first frame (headful only): see stage-theme.ts. */
  theme?: StageTheme
}

/** What the supervisor tells whoever watches the screen (screen-watch.ts). */
export interface ChromiumEvents {
  started?(): void
  exited?(): void
  /** The browser reported the screen's renderer gone: crashed, killed, out of memory. */
  screenGone?(detail: { status: string; errorCode: number | null }): void
}

/** The flags of a player: kiosk, no dialogs or bubbles, autoplay, and no dialling out on a closed network. */
export function chromiumArgs(options: ChromiumOptions, isRoot: boolean): string[] {
  return [
    `--user-data-dir=${options.userDataDir}`,
    ...(options.headless ? ['--headless=new', '--window-size=1920,1080'] : ['--kiosk', '--start-fullscreen']),
    // Chromium refuses to run as root with its sandbox on; a player box often runs as root.
    ...(isRoot ? ['--no-sandbox'] : []),
    '--no-first-run',
    '--no-default-browser-check',
    '--noerrdialogs',
    '--disable-infobars',
    '--disable-session-crashed-bubble',
    '--hide-crash-restore-bubble',
    '--disable-translate',
    '--disable-features=Translate,TranslateUI,MediaRouter,InfiniteSessionRestore',
    '--lang=vi',
    '--disable-pinch',
    '--overscroll-history-navigation=0',
    '--autoplay-policy=no-user-gesture-required',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-quic',
    '--disable-background-timer-throttling',
    '--disable-renderer-backgrounding',
    '--password-store=basic',
    // DevTools over fds 3/4 (for screenshots) rather than a TCP port any local process could reach.
    // Chromium also quits when the pipe closes, so it never outlives a crashed shell.
    '--remote-debugging-pipe',
    ...(options.theme && !options.headless ? options.theme.args : []),
    ...options.extraArgs,
    // --app gives a window with no browser chrome; headless has no window and takes the URL as is.
    options.headless ? options.url : `--app=${options.url}`
  ]
}

/** Restart delays grow on repeated crashes so a broken Chromium cannot spin the CPU; reset after a good run. */
const BACKOFF_MS = [500, 1000, 2000, 5000, 10000, 30000]
const STABLE_RUN_MS = 60_000
/** After its renderer is killed, the browser reports the page crashed within moments; a reload waits for that. */
const CRASH_REPORT_WITHIN_MS = 3_000

const crashSchema = z.object({ targetId: z.string(), status: z.string(), errorCode: z.number().nullish() })
const targetInfoSchema = z.object({ targetInfo: z.object({ targetId: z.string(), type: z.string(), url: z.string() }) })

export class ChromiumSupervisor {
  private child: ChildProcess | null = null
  private cdp: CdpPipe | null = null
  private stopped = false
  private failures = 0
  private restartTimer: NodeJS.Timeout | null = null
  /** How many times Chromium has been started (1 = first start). */
  starts = 0

  constructor(
    private readonly options: ChromiumOptions,
    private readonly log: Logger,
    private readonly events: ChromiumEvents = {}
  ) {}

  get pid(): number | undefined {
    return this.child?.pid
  }

  start(): void {
    if (this.stopped) return
    const args = chromiumArgs(this.options, process.getuid?.() === 0)
    const startedAt = Date.now()
    // fd 3: what Chromium reads (our commands); fd 4: what it writes (answers and events).
    const env = this.options.theme && !this.options.headless ? { ...process.env, ...this.options.theme.env } : process.env
    const child = spawn(this.options.executablePath, args, { env, stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] })
    const cdp = new CdpPipe(child.stdio[3] as Writable, child.stdio[4] as Readable, { log: this.log })
    this.child = child
    this.cdp = cdp
    this.starts += 1
    this.reportCrashes(cdp)
    this.events.started?.()
    // Chromium is chatty on stderr; keep only the tail for the crash report.
    let stderrTail = ''
    child.stderr?.on('data', (chunk: Buffer) => {
      stderrTail = (stderrTail + chunk.toString()).slice(-2000)
    })
    child.once('spawn', () => this.log.info('chromium started', { pid: child.pid, start: this.starts }))
    child.once('error', (error) => {
      cdp.close('chromium could not start')
      this.log.error('chromium could not start', { reason: error.message })
    })
    child.once('exit', (code, signal) => {
      cdp.close('chromium exited')
      if (this.child === child) this.child = null
      if (this.cdp === cdp) this.cdp = null
      if (this.stopped) return
      this.events.exited?.()
      this.failures = Date.now() - startedAt > STABLE_RUN_MS ? 0 : this.failures + 1
      const delay = BACKOFF_MS[Math.min(this.failures, BACKOFF_MS.length) - 1] ?? BACKOFF_MS[0]!
      this.log.error('chromium exited; restarting', { code, signal, restartInMs: delay, stderrTail: stderrTail.slice(-500) })
      this.restartTimer = setTimeout(() => this.start(), delay)
    })
  }

  /** A screenshot of what the current Chromium shows; rejects while none is running (e.g. between restarts). */
  capture(options: CaptureOptions): Promise<ScreenCapture> {
    const cdp = this.cdp
    if (!cdp || !this.child) return Promise.reject(new Error('no screen to capture: Chromium is not running'))
    // Chromium runs but its DevTools pipe is gone (e.g. a runaway message): say so; the next Chromium start gets a new pipe.
    if (cdp.closed) return Promise.reject(new Error(`no screen to capture: the DevTools pipe to Chromium is closed (${cdp.closeReason})`))
    return captureScreen(cdp, this.options.url, options)
  }

  /**
   * Reloads the screen's page over CDP. With `killRenderers`, first ends the page's renderer processes
   * (a hung renderer cannot run a reload; a crashed page can): the browser then reloads it in a fresh one.
   */
  async reloadScreen(killRenderers: boolean): Promise<void> {
    const { child, cdp } = this
    if (!child?.pid || !cdp || cdp.closed) throw new Error('Chromium is not running')
    const targetId = await findScreenTarget(cdp, this.options.url)
    if (killRenderers) {
      const pids = await pageRenderersOf(child.pid)
      if (pids.length === 0) throw new Error('no renderer process of the screen found to end')
      const reported = this.crashReported(cdp, targetId)
      for (const pid of pids) {
        try {
          process.kill(pid, 'SIGKILL')
        } catch {
          // already gone
        }
      }
      this.log.warn('ended the screen renderer processes', { pids })
      await reported
    }
    const { sessionId } = z.object({ sessionId: z.string() }).parse(await cdp.send('Target.attachToTarget', { targetId, flatten: true }))
    try {
      await cdp.send('Page.reload', {}, sessionId)
      this.log.info('screen reloaded', { killedRenderers: killRenderers })
    } finally {
      await cdp.send('Target.detachFromTarget', { sessionId }).catch(() => undefined)
    }
  }

  /** Ends the running Chromium (cleanly if it can) so the supervisor starts a new one. */
  restart(reason: string): void {
    const child = this.child
    if (!child || child.exitCode !== null || child.signalCode !== null) return
    this.log.warn('restarting Chromium', { reason, pid: child.pid })
    const force = setTimeout(() => child.kill('SIGKILL'), 3000)
    child.once('exit', () => clearTimeout(force))
    child.kill('SIGTERM')
  }

  /** Memory of the running Chromium (all its processes), in MB; null when it is not running or unknown. */
  memoryMb(): Promise<number | null> {
    return this.child?.pid ? treeMemoryMb(this.child.pid) : Promise.resolve(null)
  }

  /** Asks the browser for target events and passes on a crash of the screen's page. */
  private reportCrashes(cdp: CdpPipe): void {
    const screenOrigin = originOf(this.options.url)
    const pages = new Map<string, string>()
    cdp.onEvent((method, params) => {
      if (method === 'Target.targetCreated' || method === 'Target.targetInfoChanged') {
        const info = targetInfoSchema.safeParse(params)
        if (info.success && info.data.targetInfo.type === 'page') pages.set(info.data.targetInfo.targetId, info.data.targetInfo.url)
      } else if (method === 'Target.targetCrashed') {
        const crash = crashSchema.safeParse(params)
        if (!crash.success) return
        const url = pages.get(crash.data.targetId)
        if (url === undefined || originOf(url) !== screenOrigin) return
        this.log.error('screen renderer gone', { status: crash.data.status, errorCode: crash.data.errorCode ?? null })
        this.events.screenGone?.({ status: crash.data.status, errorCode: crash.data.errorCode ?? null })
      }
    })
    cdp.send('Target.setDiscoverTargets', { discover: true }).catch((error: Error) => {
      if (!cdp.closed) this.log.warn('no crash reports from Chromium', { reason: error.message })
    })
  }

  /** Resolves once the browser reports `targetId` crashed, or after a bound (then the reload is tried anyway). */
  private crashReported(cdp: CdpPipe, targetId: string): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer)
        off()
        resolve()
      }
      const timer = setTimeout(done, CRASH_REPORT_WITHIN_MS)
      const off = cdp.onEvent((method, params) => {
        if (method === 'Target.targetCrashed' && crashSchema.safeParse(params).data?.targetId === targetId) done()
      })
    })
  }

  async stop(): Promise<void> {
    this.stopped = true
    if (this.restartTimer) clearTimeout(this.restartTimer)
    const child = this.child
    if (!child || child.exitCode !== null) return
    await new Promise<void>((resolve) => {
      const force = setTimeout(() => child.kill('SIGKILL'), 3000)
      child.once('exit', () => {
        clearTimeout(force)
        resolve()
      })
      child.kill('SIGTERM')
    })
  }
}
