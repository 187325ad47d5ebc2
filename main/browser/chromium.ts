// Finds the system Chromium and keeps it showing the screen in kiosk mode, restarting it when it dies;
// screenshots, reloads and crash reports of the screen's page go over the DevTools pipe to the current
// Chromium (devtools.ts, loaded once Chromium is on its way: a cold start waits for nothing it does not need).
import { spawn, type ChildProcess } from 'node:child_process'
import { accessSync, constants } from 'node:fs'
import { delimiter, join } from 'node:path'
import type { Readable, Writable } from 'node:stream'
import type { Logger } from '../core/log'
import type { CaptureOptions, ScreenCapture } from '../core/shell-controls'
import type { ScreenDevTools } from './devtools'
import { treeMemoryMb } from './process-tree'
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
  /** The screen's origin: it tells the screen's page from any other. */
  screenOrigin: string
  /** A fresh one-time launch URL for each start (the command line is readable by every local user). */
  launchUrl(): string
  userDataDir: string
  headless: boolean
  /** Appended last, so a deployment can add or override flags (e.g. --disable-gpu on a GPU-less box). */
  extraArgs: string[]
  /** Chromium's own colours before the first frame (headful only): see stage-theme.ts. */
  theme?: StageTheme
}

/** One start's flags: the options with that start's launch URL. */
export type ChromiumArgsOptions = Omit<ChromiumOptions, 'launchUrl' | 'screenOrigin'> & { url: string }

/** What the supervisor tells whoever watches the screen (screen-watch.ts). */
export interface ChromiumEvents {
  started?(): void
  exited?(): void
  /** The browser reported the screen's renderer gone: crashed, killed, out of memory. */
  screenGone?(detail: { status: string; errorCode: number | null }): void
  /** The screen's page was refused (its launch code was used by someone else first). */
  launchRefused?(): void
}

/** The flags of a player: kiosk, no dialogs or bubbles, autoplay, and no dialling out on a closed network. */
/** Chromium refuses its sandbox when run as root: the shell then runs it without one (and says so everywhere). */
export function sandboxAsUser(): 'on' | 'off' {
  return process.getuid?.() === 0 ? 'off' : 'on'
}

export function chromiumArgs(options: ChromiumArgsOptions, isRoot: boolean): string[] {
  return [
    `--user-data-dir=${options.userDataDir}`,
    ...(options.headless ? ['--headless=new', '--window-size=1920,1080'] : ['--kiosk', '--start-fullscreen']),
    // Chromium refuses to run as root with its sandbox on: only then is it off (with a warning, see start()).
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
export class ChromiumSupervisor {
  private child: ChildProcess | null = null
  private devtools: Promise<ScreenDevTools> | null = null
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
    const isRoot = sandboxAsUser() === 'off'
    if (isRoot && this.starts === 0) {
      this.log.warn(
        'Trình phát chạy bằng quyền root nên Chromium phải tắt sandbox (--no-sandbox): chỉ dùng trong phòng thí nghiệm; hãy chạy bằng người dùng riêng (docs/install.md) / ' +
          'running as root, so Chromium runs without its sandbox (--no-sandbox): for a lab only; run the player as its own unprivileged user (docs/install.md)'
      )
    }
    const args = chromiumArgs({ ...this.options, url: this.options.launchUrl() }, isRoot)
    const startedAt = Date.now()
    // fd 3: what Chromium reads (our commands); fd 4: what it writes (answers and events).
    const env = this.options.theme && !this.options.headless ? { ...process.env, ...this.options.theme.env } : process.env
    const child = spawn(this.options.executablePath, args, { env, stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] })
    // Loaded while Chromium starts (its first messages wait in the pipe meanwhile).
    const devtools = import('./devtools').then(
      ({ ScreenDevTools }) =>
        new ScreenDevTools({
          input: child.stdio[3] as Writable,
          output: child.stdio[4] as Readable,
          screenOrigin: this.options.screenOrigin,
          log: this.log,
          screenGone: (detail) => this.events.screenGone?.(detail),
          launchRefused: () => this.events.launchRefused?.()
        })
    )
    const closeDevtools = (reason: string): void => void devtools.then((d) => d.close(reason))
    this.child = child
    this.devtools = devtools
    this.starts += 1
    this.events.started?.()
    // Chromium is chatty on stderr; keep only the tail for the crash report.
    let stderrTail = ''
    child.stderr?.on('data', (chunk: Buffer) => {
      stderrTail = (stderrTail + chunk.toString()).slice(-2000)
    })
    child.once('spawn', () => this.log.info('chromium started', { pid: child.pid, start: this.starts }))
    child.once('error', (error) => {
      closeDevtools('chromium could not start')
      this.log.error('chromium could not start', { reason: error.message })
    })
    child.once('exit', (code, signal) => {
      closeDevtools('chromium exited')
      if (this.child === child) this.child = null
      if (this.devtools === devtools) this.devtools = null
      if (this.stopped) return
      this.events.exited?.()
      this.failures = Date.now() - startedAt > STABLE_RUN_MS ? 0 : this.failures + 1
      const delay = BACKOFF_MS[Math.min(this.failures, BACKOFF_MS.length) - 1] ?? BACKOFF_MS[0]!
      this.log.error('chromium exited; restarting', { code, signal, restartInMs: delay, stderrTail: stderrTail.slice(-500) })
      this.restartTimer = setTimeout(() => this.start(), delay)
    })
  }

  /** A screenshot of what the current Chromium shows; rejects while none is running (e.g. between restarts). */
  async capture(options: CaptureOptions): Promise<ScreenCapture> {
    const { devtools } = this
    if (!devtools || !this.child) throw new Error('no screen to capture: Chromium is not running')
    return (await devtools).capture(options)
  }

  /** Whether the running Chromium holds this session cookie of the screen's (false while none runs). */
  async holdsCookie(cookie: { name: string; value: string }): Promise<boolean> {
    const { devtools } = this
    if (!devtools || !this.child) return false
    return (await devtools).holdsCookie(cookie)
  }

  /**
   * Reloads the screen's page over CDP. With `killRenderers`, first ends the page's renderer processes
   * (a hung renderer cannot run a reload; a crashed page can): the browser then reloads it in a fresh one.
   */
  async reloadScreen(killRenderers: boolean): Promise<void> {
    const { child, devtools } = this
    if (!child?.pid || !devtools) throw new Error('Chromium is not running')
    await (await devtools).reload(killRenderers, child.pid)
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
