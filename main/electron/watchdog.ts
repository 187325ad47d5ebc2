// A liveness check from outside the renderer: the main process pings the screen over the contract and
// expects `pong` back. It wraps the window's link, so the core's host still sees every message.
import type { HostPayload, HostVerb, ScreenMessage } from '../../contract/screen'
import type { ScreenLink } from '../core/screen-link'

export interface WatchdogOptions {
  /** Unanswered pings in a row (after the screen said `ready`) before the screen counts as dead. */
  missLimit: number
  /** Called once when the screen is dead: the caller recreates the window. */
  onDead(reason: string): void
  /** Called for each message from the screen, before the host sees it (first `played`, `pong`…). */
  onScreenMessage?(message: ScreenMessage): void
  now?: () => number
}

export class PingWatchdog implements ScreenLink {
  private handler: ((message: ScreenMessage) => void) | null = null
  private seq = 0
  private awaiting: number | null = null
  private misses = 0
  private ready = false
  private dead = false
  lastPongAt: number | null = null
  private readonly now: () => number

  constructor(
    private readonly inner: ScreenLink,
    private readonly options: WatchdogOptions
  ) {
    this.now = options.now ?? Date.now
    inner.onMessage((message) => {
      if (message.verb === 'ready') this.ready = true
      if (message.verb === 'pong' && message.payload.seq === this.awaiting) {
        this.awaiting = null
        this.misses = 0
        this.lastPongAt = this.now()
      }
      options.onScreenMessage?.(message)
      this.handler?.(message)
    })
  }

  send<V extends HostVerb>(verb: V, payload: HostPayload<V>): void {
    this.inner.send(verb, payload)
  }
  onMessage(handler: (message: ScreenMessage) => void): void {
    this.handler = handler
  }
  onClose(handler: () => void): void {
    this.inner.onClose(handler)
  }

  /** One watchdog period: counts the last ping if unanswered, then sends the next. */
  tick(): void {
    if (this.dead) return
    if (this.awaiting !== null) this.misses++
    // A renderer that never says `ready` (blank page, broken bundle) is given three times as long.
    const limit = this.ready ? this.options.missLimit : this.options.missLimit * 3
    if (this.misses >= limit) {
      this.dead = true
      this.options.onDead(this.ready ? `no pong for ${this.misses} pings` : `screen never became ready (${this.misses} pings)`)
      return
    }
    this.seq++
    this.awaiting = this.seq
    this.inner.send('ping', { seq: this.seq })
  }

  /** Answering recently: what the OS watchdog (systemd WATCHDOG=1) is fed on. */
  healthy(withinMs: number): boolean {
    return !this.dead && this.lastPongAt !== null && this.now() - this.lastPongAt <= withinMs
  }
}
