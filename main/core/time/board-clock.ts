// The board's time: the wall clock, or the server's clock carried forward on the monotonic clock when the
// two disagree; and a time that has certainly passed, which no wall-clock step can move (emergency expiry).
/*
 * Why two readings. These boxes boot with dead RTCs (1970) and get stepped by NTP, by hand or by a
 * technician's laptop, by hours or decades. A step must not end a storm warning early, and must not
 * put 1970 on what is sent to the district centre.
 * - now(): the wall clock while it agrees with the server's (within the tolerance: small errors are
 *   NTP's business, and the HTTP Date header has one-second steps); otherwise the server's time as last
 *   read plus the monotonic time since. A step of the wall clock after that changes nothing.
 * - passed(): the largest instant known to be in the past, carried forward on the monotonic clock.
 *   Known-past instants: the server's time when it answered, signed issue times (a manifest's or an
 *   emergency's issuedAt cannot lie in the future), and, until the server has been heard, the wall clock
 *   at start (the best there is offline; dropped once the server speaks, as it may have been wrong).
 *   It never runs ahead of true time by more than the server's clock does, so "expiresAt ≤ passed()"
 *   means expired for certain.
 * The monotonic clock stops while a machine is suspended; boards do not suspend (the shells block it),
 * and the next answer from the server re-anchors both readings anyway.
 */

/** Wall-clock errors up to this are left to NTP; beyond it the server's time is used. */
export const CLOCK_TOLERANCE_MS = 120_000

export interface BoardClockOptions {
  /** Wall clock in epoch ms (default Date.now); tests step it. */
  wall?: () => number
  /** Monotonic clock in ms (default performance.now). */
  mono?: () => number
  toleranceMs?: number
}

interface Anchor {
  at: number
  mono: number
}

export class BoardClock {
  private readonly wall: () => number
  private readonly mono: () => number
  private readonly toleranceMs: number
  private server: Anchor | null = null
  /** The largest known-past instant from a trusted source (server time, signed stamps). */
  private floor: Anchor | null = null
  /** The wall clock at start: a known-past instant only until the server has been heard. */
  private readonly startWall: Anchor

  constructor(options: BoardClockOptions = {}) {
    this.wall = options.wall ?? (() => Date.now())
    this.mono = options.mono ?? (() => performance.now())
    this.toleranceMs = options.toleranceMs ?? CLOCK_TOLERANCE_MS
    this.startWall = { at: this.wall(), mono: this.mono() }
  }

  /** The server's clock as read just now (its Date header). */
  noteServerTime(serverMs: number): void {
    if (!Number.isFinite(serverMs)) return
    this.server = { at: serverMs, mono: this.mono() }
    this.notePassed(serverMs)
  }

  /** An instant known to have passed: a signed issue time, a server stamp. */
  notePassed(ms: number): void {
    if (!Number.isFinite(ms)) return
    const floor = this.floor ? carried(this.floor, this.mono()) : -Infinity
    if (ms > floor) this.floor = { at: ms, mono: this.mono() }
  }

  /** Whether the server's time is known (so now() can stand in for a wrong wall clock). */
  get serverKnown(): boolean {
    return this.server !== null
  }

  nowMs(): number {
    const wall = this.wall()
    if (!this.server) return wall
    // Whole milliseconds, like Date.now(): stamps built from it go into integer fields.
    const estimate = Math.round(carried(this.server, this.mono()))
    return Math.abs(wall - estimate) > this.toleranceMs ? estimate : wall
  }

  now(): Date {
    return new Date(this.nowMs())
  }

  /** now() minus the wall clock: what to add to a wall-clock stamp taken moments ago (by the screen, say). */
  correctionMs(): number {
    return this.nowMs() - this.wall()
  }

  /** A wall-clock stamp taken moments ago, in board time. */
  fromWall(wallMs: number): number {
    return wallMs + this.correctionMs()
  }

  /** An instant that has certainly passed (see the notes at the top). */
  passedMs(): number {
    const mono = this.mono()
    const trusted = this.floor ? carried(this.floor, mono) : -Infinity
    return this.server ? trusted : Math.max(trusted, carried(this.startWall, mono))
  }
}

function carried(anchor: Anchor, mono: number): number {
  return anchor.at + (mono - anchor.mono)
}
