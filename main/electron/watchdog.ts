// Recovery of a window whose screen stopped answering. The core's liveness watchdog pings every screen;
// this reads how long the window's screen has left a ping unanswered and has the window recreated.
import type { LivenessView } from '../core/liveness'
import type { ScreenLink } from '../core/screen-link'

export interface WindowWatchOptions {
  /** A ping unanswered this long (after the screen said `ready`) means the screen is dead. */
  deadAfterMs: number
  /** Called once when the screen is dead: the caller recreates the window. */
  onDead(reason: string): void
}

export class WindowWatch {
  private dead = false

  constructor(
    private readonly link: ScreenLink,
    private readonly liveness: Pick<LivenessView, 'health'>,
    private readonly options: WindowWatchOptions
  ) {}

  /** One look: a screen silent past the bound is declared dead (once). */
  check(): void {
    const health = this.liveness.health(this.link)
    if (this.dead || !health || health.unansweredForMs === null) return
    // A renderer that never says `ready` (blank page, broken bundle) is given three times as long.
    const limit = health.ready ? this.options.deadAfterMs : this.options.deadAfterMs * 3
    if (health.unansweredForMs < limit) return
    this.dead = true
    const seconds = Math.round(health.unansweredForMs / 1000)
    this.options.onDead(health.ready ? `no answer for ${seconds} s (${health.missed} pings)` : `screen never became ready (${seconds} s)`)
  }

  /** Answering recently: what the OS watchdog (systemd WATCHDOG=1) is fed on. */
  healthy(withinMs: number): boolean {
    const silentForMs = this.liveness.health(this.link)?.silentForMs ?? null
    return !this.dead && silentForMs !== null && silentForMs <= withinMs
  }
}
