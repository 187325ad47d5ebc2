// The board's time: the wall clock, or the server's clock carried forward on the monotonic clock when the
// two disagree; and a time that has certainly passed, which no wall-clock step can move (emergency expiry).
/*
 * Why two readings. These boxes boot with dead RTCs (1970) and get stepped by NTP, by hand or by a
 * technician's laptop, by hours or decades; and the HTTP Date header is unsigned: anyone on the path can
 * rewrite it. A step must not end a storm warning early, a forged Date must not move the schedule, and 1970
 * must not go upstream.
 * - passed(): the largest instant known to be in the past, carried forward on the monotonic clock.
 *   Known-past instants are signed ones only: issue times of documents the province signed (kept on disk
 *   by the document gate, so they hold across a restart), and, until the server has been heard, the wall
 *   clock at start (the best there is offline; dropped once the server speaks, as it may have been wrong).
 *   The Date header is never one: "expiresAt ≤ passed()" means expired for certain, whatever the path said.
 * - now(): the wall clock while it is plausible. It is implausible when it is behind passed() (or before
 *   this software existed: a 1970 RTC), or ahead of a Date header that signed times do not contradict.
 *   Then now() is the Date header's time carried on the monotonic clock (when signed times do not
 *   contradict it), never earlier than passed(). A Date that disagrees with a plausible wall clock is a
 *   hint only: reported upstream as clock-skew, not obeyed.
 * The monotonic clock stops while a machine is suspended; boards do not suspend (the shells block it),
 * and the next signed document re-anchors passed() anyway.
 */

/** Wall-clock errors up to this are left to NTP; beyond it the server's time is used. */
export const CLOCK_TOLERANCE_MS = 120_000

/** A wall clock before this reads a time before this software existed: a dead RTC, implausible. */
export const EARLIEST_PLAUSIBLE_MS = Date.UTC(2025, 0, 1)

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
  /** The largest known-past instant from a trusted source (signed stamps). */
  private floor: Anchor | null = null
  /** The wall clock at start: a known-past instant only until the server has been heard. */
  private readonly startWall: Anchor

  constructor(options: BoardClockOptions = {}) {
    this.wall = options.wall ?? (() => Date.now())
    this.mono = options.mono ?? (() => performance.now())
    this.toleranceMs = options.toleranceMs ?? CLOCK_TOLERANCE_MS
    this.startWall = { at: this.wall(), mono: this.mono() }
  }

  /** The server's clock as read just now (its Date header): a hint (see the notes at the top), never a known-past instant. */
  noteServerTime(serverMs: number): void {
    if (!Number.isFinite(serverMs)) return
    this.server = { at: serverMs, mono: this.mono() }
  }

  /** An instant known to have passed: a signed issue time. */
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
    return this.nowFrom(this.wall())
  }

  /** now() given one reading of the wall clock (so a correction read against it is exact: 0 while plausible). */
  private nowFrom(wall: number): number {
    const mono = this.mono()
    const passed = this.passedMs()
    // Whole milliseconds, like Date.now(): stamps built from it go into integer fields.
    const hint = this.server ? Math.round(carried(this.server, mono)) : null
    const hintBelievable = hint !== null && hint >= passed - this.toleranceMs
    const behind = wall < Math.max(passed, EARLIEST_PLAUSIBLE_MS) - this.toleranceMs
    const ahead = hintBelievable && wall > hint + this.toleranceMs
    if (!behind && !ahead) return wall
    const signed = Number.isFinite(passed) ? Math.round(passed) : -Infinity
    return Math.max(hintBelievable ? hint : -Infinity, signed, behind ? EARLIEST_PLAUSIBLE_MS : -Infinity)
  }

  now(): Date {
    return new Date(this.nowMs())
  }

  /** now() minus the wall clock: what to add to a wall-clock stamp taken moments ago (by the screen, say). */
  correctionMs(): number {
    // One wall reading for both sides: two would differ whenever the millisecond ticks between them.
    const wall = this.wall()
    return this.nowFrom(wall) - wall
  }

  /** A wall-clock stamp taken moments ago, in board time. */
  fromWall(wallMs: number): number {
    return wallMs + this.correctionMs()
  }

  /** An instant that has certainly passed (see the notes at the top). */
  passedMs(): number {
    const mono = this.mono()
    const trusted = this.floor ? carried(this.floor, mono) : -Infinity
    if (this.server || this.startWall.at < EARLIEST_PLAUSIBLE_MS) return trusted
    return Math.max(trusted, carried(this.startWall, mono))
  }
}

function carried(anchor: Anchor, mono: number): number {
  return anchor.at + (mono - anchor.mono)
}
