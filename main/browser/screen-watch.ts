// Recovery of the browser shell's screen without a person: a renderer that stops answering the core's
// pings (hung) or dies (crashed) is reloaded, and Chromium is restarted when a reload does not bring
// the screen back. The pings and answers are the core's liveness watchdog's; this decides what to do.
import type { LivenessEvent, LivenessView } from '../core/liveness'
import type { Logger } from '../core/log'
import type { ScreenLink } from '../core/screen-link'

export interface ScreenWatchOptions {
  /** A ping unanswered this long means the renderer is hung (the core pings every 5 s). */
  answerWithinMs: number
  /** After Chromium starts, or after a reload, the screen has this long to say `ready`. */
  readyWithinMs: number
  /** The screen once shown, no screen connected this long means it is gone (a crash the browser did not report). */
  absentForMs: number
  checkEveryMs: number
  /** Reloads the screen's page; `killRenderers` first ends its renderer (a hung one cannot reload itself). */
  reload(killRenderers: boolean): Promise<void>
  /** Restarts Chromium (which then calls chromiumStarted). */
  restart(reason: string): void
  log: Logger
  now?: () => number
}

/** Defaults that keep detection within 10 s (5 s ping interval + 3.5 s + a check) without reloading a busy-but-alive screen. */
export const SCREEN_WATCH_DEFAULTS = { answerWithinMs: 3_500, readyWithinMs: 30_000, absentForMs: 8_000, checkEveryMs: 500 }
/** A reload that has not brought the screen back by then is given up for a Chromium restart. */
const RELOAD_WITHIN_MS = 10_000

type Phase =
  | { kind: 'down' }
  | { kind: 'starting'; since: number }
  | { kind: 'watching' }
  | { kind: 'recovering'; since: number }

export class ScreenWatch {
  private phase: Phase = { kind: 'down' }
  /** Screens connected since the last incident; older ones are ignored even if their socket lingers. */
  private readonly screens = new Set<ScreenLink>()
  private liveness: Pick<LivenessView, 'health'> | null = null
  private absentSince: number | null = null
  /** The incident being recovered from (through a reload, and a Chromium restart if need be). */
  private open: { since: number; reason: string } | null = null
  private readonly timer: NodeJS.Timeout
  private readonly now: () => number
  /** Incidents handled since start, for logs and benchmarks. */
  incidents = 0

  constructor(private readonly options: ScreenWatchOptions) {
    this.now = options.now ?? (() => performance.now())
    this.timer = setInterval(() => this.check(), options.checkEveryMs)
    this.timer.unref()
  }

  /** Follows the core's liveness watchdog (once the core has started); returns the unsubscribe. */
  follow(liveness: LivenessView): () => void {
    this.liveness = liveness
    return liveness.on((event) => this.heard(event))
  }

  /** Chromium (re)started: its screen gets readyWithinMs to come up. */
  chromiumStarted(): void {
    this.phase = { kind: 'starting', since: this.now() }
  }

  /** Chromium is not running (the supervisor restarts it): nothing to watch until it starts. */
  chromiumStopped(): void {
    this.phase = { kind: 'down' }
  }

  /** The browser reported the screen's renderer gone (crashed, killed, out of memory). */
  rendererGone(detail: Record<string, unknown>): void {
    if (this.phase.kind === 'down' || this.phase.kind === 'recovering') return
    this.incident('screen renderer gone', false, detail)
  }

  stop(): void {
    clearInterval(this.timer)
  }

  private heard(event: LivenessEvent): void {
    if (event.kind === 'attached') {
      this.screens.add(event.link)
      this.absentSince = null
      return
    }
    if (event.kind === 'closed') {
      if (this.screens.delete(event.link) && this.screens.size === 0) this.absentSince = this.now()
      return
    }
    if (event.kind !== 'ready' || !this.screens.has(event.link)) return
    if (this.open) this.options.log.info('screen back', { after: this.open.reason, afterMs: this.now() - this.open.since })
    this.open = null
    this.phase = { kind: 'watching' }
  }

  private check(): void {
    const now = this.now()
    const phase = this.phase
    if (phase.kind === 'starting' && now - phase.since > this.options.readyWithinMs) {
      this.incident('screen not ready after Chromium started', false, { waitedMs: now - phase.since })
    } else if (phase.kind === 'recovering' && now - phase.since > RELOAD_WITHIN_MS) {
      const reason = this.open?.reason ?? 'unknown'
      this.options.log.error('reload did not bring the screen back; restarting Chromium', { after: reason })
      this.restart(`screen not back after a reload (${reason})`)
    } else if (phase.kind === 'watching') {
      // How long each screen has left a ping unanswered is the watchdog's reading (any message answers).
      const unanswered = [...this.screens].map((link) => this.liveness?.health(link)?.unansweredForMs ?? null)
      const hungMs = Math.max(-1, ...unanswered.map((ms) => ms ?? -1))
      if (hungMs > this.options.answerWithinMs) this.incident('screen renderer not answering', true, { unansweredMs: hungMs })
      else if (this.screens.size === 0 && this.absentSince !== null && now - this.absentSince > this.options.absentForMs) {
        this.incident('screen disconnected', false, { absentMs: now - this.absentSince })
      }
    }
  }

  private incident(reason: string, killRenderers: boolean, detail: Record<string, unknown>): void {
    this.incidents++
    this.phase = { kind: 'recovering', since: this.now() }
    this.open ??= { since: this.now(), reason }
    // The screens of before are written off: a stopped renderer's socket may stay open.
    this.screens.clear()
    this.absentSince = null
    this.options.log.error(`${reason}; reloading it`, { ...detail, killRenderers })
    this.options.reload(killRenderers).catch((error: Error) => {
      this.options.log.error('reloading the screen failed; restarting Chromium', { reason: error.message })
      this.restart(`reload failed: ${error.message}`)
    })
  }

  private restart(reason: string): void {
    this.phase = { kind: 'down' }
    this.options.restart(reason)
  }
}
