// Recovery without a person: a crashed renderer gets a new window, a hung one a reload, a crashed GPU
// process a relaunch, and too much memory or the nightly slot a clean restart outside display hours.
import type { App, BrowserWindow, ProcessMetric, RenderProcessGoneDetails } from 'electron'
import type { Logger } from '../core/log'
import { memoryCeilingVerdict } from '../core/memory-ceiling'
import { zonedTime } from '../core/time/zoned'

export interface WindowRecoveryOptions {
  unresponsiveReloadMs: number
  /** Replace the window (create the new one, then close this one). */
  recreate(reason: string): void
  log: Logger
  setTimer?: (fn: () => void, ms: number) => { cancel(): void }
}

const defaultTimer = (fn: () => void, ms: number): { cancel(): void } => {
  const handle = setTimeout(fn, ms)
  return { cancel: () => clearTimeout(handle) }
}

/** Per-window handlers: render-process-gone → recreate; unresponsive longer than the bound → reload. */
export function watchWindow(win: BrowserWindow, options: WindowRecoveryOptions): void {
  const setTimer = options.setTimer ?? defaultTimer
  let hung: { cancel(): void } | null = null
  win.webContents.on('render-process-gone', (_event, details: RenderProcessGoneDetails) => {
    // 'clean-exit' is the window closing normally; anything else left the screen without a renderer.
    if (details.reason === 'clean-exit') return
    options.log.error('renderer gone; recreating the window', { reason: details.reason, exitCode: details.exitCode })
    options.recreate(`render-process-gone: ${details.reason}`)
  })
  win.on('unresponsive', () => {
    if (hung) return
    options.log.warn('renderer unresponsive', { reloadAfterMs: options.unresponsiveReloadMs })
    hung = setTimer(() => {
      hung = null
      if (win.isDestroyed()) return
      options.log.error('renderer still unresponsive; reloading')
      win.webContents.reload()
    }, options.unresponsiveReloadMs)
  })
  win.on('responsive', () => {
    hung?.cancel()
    hung = null
  })
  win.on('closed', () => hung?.cancel())
}

type RestartApp = Pick<App, 'relaunch' | 'exit' | 'quit'>

/** Restarts the whole app: the OS service manager would do the same, but this path is clean and logged. */
export function restartApp(app: RestartApp, log: Logger, reason: string, clean = true): void {
  log.warn('restarting the player', { reason })
  app.relaunch()
  // After a GPU crash the process may not shut down cleanly; exit() does not wait for windows.
  if (clean) app.quit()
  else app.exit(0)
}

/** GPU process crashed → relaunch: a kiosk on the software fallback plays video poorly or not at all. */
export function watchGpu(app: Pick<App, 'on'> & RestartApp, log: Logger): void {
  app.on('child-process-gone', (_event, details) => {
    if (details.type !== 'GPU' || details.reason === 'clean-exit') return
    log.error('GPU process gone; relaunching', { reason: details.reason, exitCode: details.exitCode })
    restartApp(app, log, `gpu ${details.reason}`, false)
  })
}

/** Resident memory of all the app's processes, in MB (Electron reports KB). */
export function totalMemoryMb(metrics: readonly Pick<ProcessMetric, 'memory'>[]): number {
  return metrics.reduce((sum, m) => sum + m.memory.workingSetSize, 0) / 1024
}

export interface HousekeepingOptions {
  memoryCeilingMb: number
  /** "HH:MM" in the board's time zone, or undefined for no nightly restart. */
  nightlyRestartAt: string | undefined
  timeZone: string
  /** Whether the schedule has the display on now (null: unknown, treated as on). */
  displayOn(): boolean | null
  now(): Date
  /** When this process started (ms), so a restart inside the nightly minute does not repeat. */
  startedAt: number
}

export type HousekeepingVerdict = { restart: false } | { restart: true; reason: string }

/** One minute's decision: the memory ceiling (core/memory-ceiling), then the nightly restart outside display hours. */
export function housekeepingVerdict(options: HousekeepingOptions, memoryMb: number, previousOver: boolean): HousekeepingVerdict & { over: boolean } {
  const memory = memoryCeilingVerdict(options.memoryCeilingMb, memoryMb, previousOver, options.displayOn())
  if (memory.restart) return memory
  const over = memory.over
  const displayOff = options.displayOn() === false
  if (options.nightlyRestartAt && displayOff) {
    const now = options.now()
    const t = zonedTime(now, options.timeZone)
    const hhmm = `${String(t.hour).padStart(2, '0')}:${String(t.minute).padStart(2, '0')}`
    if (hhmm === options.nightlyRestartAt && now.getTime() - options.startedAt > 2 * 60_000) {
      return { restart: true, reason: `nightly restart at ${options.nightlyRestartAt}`, over }
    }
  }
  return { restart: false, over }
}
