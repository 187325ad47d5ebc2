// Decides what is on screen and when that changes: runs the scheduler now, and again at the plan's next
// boundary (one timer, not polling), when content or emergencies change, and after a clock jump.
import type { EmergencyClear } from '../protocol/api'
import type { EmergencyStore } from '../emergency/emergency-store'
import type { Logger } from '../log'
import type { PlayerHost } from '../player-host'
import type { Emergency, Manifest } from '../protocol/manifest'
import { CLOCK_TOLERANCE_MS } from '../time/board-clock'
import { plan, type SchedulePlan } from './scheduler'
import { buildScreenView, type MediaSources } from './screen-view'

/**
 * The longest the director sleeps: even with nothing due, it re-plans this often, which also bounds
 * how long a clock jump (NTP correction, an RTC booting in 1970) goes unnoticed.
 */
const MAX_SLEEP_MS = 60_000
/** A wall clock that moved this much more (or less) than the monotonic clock has jumped. */
const CLOCK_JUMP_MS = 5_000

export interface DirectorOptions {
  host: PlayerHost
  emergencies: EmergencyStore
  sources: MediaSources
  timeZone: string
  log: Logger
  /** Called when the display should turn on or off (the display power hook). */
  onDisplayChange?(on: boolean): void
  /** Called when an emergency is cleared (pushed, by command, or no longer in the manifest), for the acknowledgement. */
  onEmergencyCleared?(id: string): void
  /** Called when a screen first painted an emergency (`at`: board time), for the acknowledgement. */
  onEmergencyShown?(id: string, at: number): void
  /** Called when what the schedule plays does not all fit the screen contract (a zone cut), for the report. */
  onScreenCut?(detail: string): void
  /** Board time (default the system clock). */
  now?: () => Date
  /** How far board time is from the wall clock now (board clock's correction); default none. */
  clockCorrectionMs?: () => number
}

/** A correction of the board clock that moved more than this re-plans at once (a minute is the timer's bound anyway). */
const REPLAN_ON_CORRECTION_MS = CLOCK_TOLERANCE_MS / 2

export class Director {
  private manifest: Manifest | null = null
  private timer: NodeJS.Timeout | null = null
  private lastPlan: SchedulePlan | null = null
  private armedAt = { wall: 0, mono: 0, sleepMs: 0 }
  private stopped = false
  private readonly now: () => Date
  /** The display is on only because the board clock is a correction (logged once per spell). */
  private heldOnByCorrection = false
  /** The clock correction the schedule was last planned with: a new one re-plans at once. */
  private plannedCorrectionMs = 0
  /** The cuts of the last plan: a cut is reported when it is new, not every minute. */
  private lastCuts = ''

  constructor(private readonly options: DirectorOptions) {
    this.now = options.now ?? (() => new Date())
  }

  get plan(): SchedulePlan | null {
    return this.lastPlan
  }

  setManifest(manifest: Manifest | null): void {
    this.manifest = manifest
    this.replan('content')
  }

  /** A new emergency (pushed, or listed in a manifest): on screen at once, then kept across restarts. */
  async startEmergency(emergency: Emergency): Promise<void> {
    const { isNew, saved, cleared } = this.options.emergencies.start(emergency)
    // A replay of a cleared notice (a pushed copy, an old manifest) stays off the screen, and the log says so.
    if (cleared) this.options.log.warn('emergency refused: cleared until its own expiry', { id: emergency.id, until: cleared })
    if (!isNew) return
    this.options.log.warn('emergency started', { id: emergency.id, title: emergency.title, expiresAt: emergency.expiresAt })
    this.replan('emergency')
    await saved.catch((error: Error) => this.options.log.error('emergency not saved to disk', { id: emergency.id, reason: error.message }))
  }

  async clearEmergency(clear: EmergencyClear): Promise<void> {
    if (await this.options.emergencies.clear(clear.id, clear.until ?? clear.expiresAt)) {
      this.options.log.warn('emergency cleared', { id: clear.id })
      this.replan('emergency cleared')
      this.options.onEmergencyCleared?.(clear.id)
    }
  }

  /** A screen painted an emergency (`at` in board time): kept, and acknowledged the first time only. */
  async emergencyShown(id: string, at: number): Promise<void> {
    const first = await this.options.emergencies.markShown(id, at).catch((error: Error) => {
      this.options.log.error('emergency shown time not saved to disk', { id, reason: error.message })
      return false
    })
    if (first) this.options.onEmergencyShown?.(id, at)
  }

  /** The board clock may have been corrected (the server's clock was read): re-plans if it moved much. */
  clockChecked(): void {
    const correction = this.options.clockCorrectionMs?.() ?? 0
    if (Math.abs(correction - this.plannedCorrectionMs) <= REPLAN_ON_CORRECTION_MS) return
    this.plannedCorrectionMs = correction
    this.options.log.warn('schedule clock corrected from the server', { offsetMs: correction })
    this.replan('clock corrected')
  }

  stop(): void {
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
  }

  replan(reason: string): void {
    if (this.stopped) return
    const now = this.now()
    let next: SchedulePlan
    try {
      next = plan({ manifest: this.manifest, emergencies: this.options.emergencies.onScreen(now), timeZone: this.options.timeZone, now })
    } catch (error) {
      // The scheduler is pure and total; if it ever throws, keep what is on screen rather than go dark.
      this.options.log.error('scheduler failed; keeping the screen as it is', { reason: (error as Error).message })
      this.arm(MAX_SLEEP_MS)
      return
    }
    const heldOn = !next.displayOn && (this.options.clockCorrectionMs?.() ?? 0) !== 0
    if (heldOn) {
      // Board time is a correction of an implausible wall clock (a hint bounded by signed times): good enough
      // to plan by, not to black a public screen by. The display stays on until the clock is trusted again.
      if (!this.heldOnByCorrection) this.options.log.warn('display hours not applied while the board clock is corrected: the display stays on', { reason })
      next = { ...next, displayOn: true }
    }
    this.heldOnByCorrection = heldOn
    if (this.lastPlan?.displayOn !== next.displayOn) this.options.onDisplayChange?.(next.displayOn)
    this.lastPlan = next
    const cuts: string[] = []
    this.options.host.show(buildScreenView(next, this.manifest, this.options.sources, (detail) => cuts.push(detail)))
    if (cuts.join('\n') !== this.lastCuts) {
      this.lastCuts = cuts.join('\n')
      for (const detail of cuts) {
        this.options.log.error('the screen cannot take all the schedule plays', { detail })
        this.options.onScreenCut?.(detail)
      }
    }
    const untilNext = next.nextChangeAt ? next.nextChangeAt.getTime() - now.getTime() : MAX_SLEEP_MS
    this.arm(Math.max(0, Math.min(MAX_SLEEP_MS, untilNext)))
    if (reason !== 'timer') this.options.log.info('screen planned', { reason, nextChangeAt: next.nextChangeAt?.toISOString() ?? null })
  }

  private arm(sleepMs: number): void {
    if (this.timer) clearTimeout(this.timer)
    this.armedAt = { wall: Date.now(), mono: performance.now(), sleepMs }
    this.timer = setTimeout(() => {
      const wallElapsed = Date.now() - this.armedAt.wall
      const monoElapsed = performance.now() - this.armedAt.mono
      if (Math.abs(wallElapsed - monoElapsed) > CLOCK_JUMP_MS) {
        this.options.log.warn('clock jump detected; re-planning', { jumpMs: Math.round(wallElapsed - monoElapsed) })
      }
      this.replan('timer')
    }, sleepMs + 5)
  }
}
