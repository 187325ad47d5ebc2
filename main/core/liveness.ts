// The one liveness watchdog: pings every screen on one cadence and keeps, per screen, whether it said
// ready and how long a ping has waited for an answer. The uptime ledger and each shell's recovery read it.
import type { Disposer } from './events'
import { Emitter } from './events'
import type { PlayerHost } from './player-host'
import type { ScreenLink } from './screen-link'

export interface ScreenHealth {
  /** The screen said `ready` (its page loaded and its script runs). */
  ready: boolean
  /** Rounds in a row whose ping this screen left unanswered. */
  missed: number
  /** How long the oldest unanswered ping has waited; null when none waits. */
  unansweredForMs: number | null
  /** How long since the screen last said anything; null before it has. */
  silentForMs: number | null
}

/** What the watchdog tells: screens coming and going, a screen ready, and each round of pings sent. */
export type LivenessEvent =
  | { kind: 'attached'; link: ScreenLink }
  | { kind: 'ready'; link: ScreenLink }
  | { kind: 'closed'; link: ScreenLink }
  /** Pings just went out to every screen; `health()` tells how each has answered so far. */
  | { kind: 'round' }

/** What the shells read: events and each screen's health, never the timer or the pings. */
export interface LivenessView {
  on(listener: (event: LivenessEvent) => void): () => void
  health(link: ScreenLink): ScreenHealth | null
}

interface Watched {
  ready: boolean
  missed: number
  outstanding: boolean
  /** When the oldest unanswered ping went out. */
  sentAt: number | null
  heardAt: number | null
}

export interface LivenessOptions {
  /** How often every screen is pinged (default 5 s). */
  everyMs?: number
  /** Monotonic clock in ms (default performance.now); tests pass their own. */
  now?: () => number
}

export class LivenessWatchdog implements LivenessView {
  private readonly screens = new Map<ScreenLink, Watched>()
  private readonly events = new Emitter<LivenessEvent>()
  private readonly now: () => number
  private seq = 0
  private pong: { at: number; frames: number | undefined } | null = null

  constructor(
    private readonly host: PlayerHost,
    private readonly options: LivenessOptions = {}
  ) {
    this.now = options.now ?? (() => performance.now())
    host.onScreenAttached((link) => {
      this.screens.set(link, { ready: false, missed: 0, outstanding: false, sentAt: null, heardAt: null })
      this.events.emit({ kind: 'attached', link })
    })
    host.onScreenClosed((link) => {
      if (this.screens.delete(link)) this.events.emit({ kind: 'closed', link })
    })
    host.onScreenMessage(({ link, message }) => {
      const watched = this.screens.get(link)
      if (!watched) return
      // Any message answers: a page whose main thread runs says something; a hung one says nothing.
      watched.outstanding = false
      watched.missed = 0
      watched.sentAt = null
      watched.heardAt = this.now()
      if (message.verb === 'pong') this.pong = { at: watched.heardAt, frames: message.payload.frames }
      if (message.verb === 'ready') {
        watched.ready = true
        this.events.emit({ kind: 'ready', link })
      }
    })
  }

  /** Pings on the cadence until the returned function is called. */
  start(): Disposer {
    const timer = setInterval(() => this.tick(), this.options.everyMs ?? 5_000)
    timer.unref?.()
    return () => clearInterval(timer)
  }

  /** One round: counts the last ping where unanswered, pings every screen, then tells the listeners. */
  tick(): void {
    const now = this.now()
    for (const watched of this.screens.values()) {
      if (watched.outstanding) watched.missed++
      watched.outstanding = true
      watched.sentAt ??= now
    }
    this.host.ping(++this.seq)
    this.events.emit({ kind: 'round' })
  }

  on(listener: (event: LivenessEvent) => void): () => void {
    return this.events.on(listener)
  }

  health(link: ScreenLink): ScreenHealth | null {
    const watched = this.screens.get(link)
    if (!watched) return null
    const now = this.now()
    return {
      ready: watched.ready,
      missed: watched.missed,
      unansweredForMs: watched.sentAt === null ? null : now - watched.sentAt,
      silentForMs: watched.heardAt === null ? null : now - watched.heardAt
    }
  }

  /** The latest pong from any screen: when (this watchdog's clock) and its painted-frame counter. */
  get lastPong(): { at: number; frames: number | undefined } | null {
    return this.pong
  }

  /** Whether some screen answered a ping within the bound (a screen that stopped answering counts as down). */
  answering(withinMs: number): boolean {
    return this.pong !== null && this.now() - this.pong.at < withinMs
  }
}

/**
 * "Playing", as a new version's first run must show before it is kept: an item was on screen, or the
 * screen answers while the schedule has it dark. Returns a subscribe function (its result unsubscribes).
 */
export function playingSignal(host: Pick<PlayerHost, 'onScreenMessage'>, displayOn: () => boolean | null): (listener: () => void) => () => void {
  const playing = new Emitter<void>()
  host.onScreenMessage(({ message }) => {
    if (message.verb === 'played' || (message.verb === 'pong' && displayOn() === false)) playing.emit()
  })
  return (listener) => playing.on(listener)
}
