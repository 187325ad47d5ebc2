// The rotation's rules apart from React (the Rotator draws them): which item is on screen and which is
// next, when a turn ends, what a failure or a new program does, and the proof-of-play records.
import type { Program, ScreenItem, ScreenPayload } from '../../../contract/screen'

export type FailureCause = ScreenPayload<'itemFailed'>['cause']

/** How long an item may take to show a picture once its turn has come before it is skipped. */
export const LOAD_TIMEOUT_MS = 10_000
/** How far ahead of the swap the next item is started (a video: playing, hidden), so it is moving when it comes on. */
export const PRIME_LEAD_MS = 50
/** When every item has failed for a passing reason (a timeout), how long the fallback shows before they are tried again. */
export const RETRY_ALL_MS = 30_000

/** One mounted item: the current turn's or the next one's. `key` stays the same when the next becomes current. */
export interface Slot {
  key: string
  n: number
  item: ScreenItem
}

export interface RotationOutput {
  played(record: ScreenPayload<'played'>): void
  itemFailed(report: ScreenPayload<'itemFailed'>): void
  /** What is drawn (slots, which is active, primed) has changed. */
  changed(): void
}

/** Wall-clock milliseconds on the same clock as animation-frame timestamps (performance.timeOrigin + t). */
export const frameClock = (): number => performance.timeOrigin + performance.now()

const keys = new WeakMap<ScreenItem, string>()
/** An item's identity: its id and a hash of its content, so the same id with a new file is a new item. */
export function itemKey(item: ScreenItem): string {
  let key = keys.get(item)
  if (key === undefined) {
    const text = JSON.stringify(item)
    let hash = 0x811c9dc5
    for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193)
    keys.set(item, (key = `${item.id}#${(hash >>> 0).toString(36)}`))
  }
  return key
}

/** Whether `part` is `whole` with some entries left out, in the same order. */
function isSubsequence(part: readonly string[], whole: readonly string[]): boolean {
  let i = 0
  for (const key of whole) if (i < part.length && part[i] === key) i++
  return i === part.length
}

type Timer = ReturnType<typeof setTimeout>

export class Rotation {
  private program: Program
  private keys: string[]
  /** Turn counter: the current slot is turn n, the next one n + 1. */
  private n = 0
  private current: ScreenItem | null = null
  /** The program version the current turn started under (its proof of play names it). */
  private version = ''
  /** Position in the program the rotation continues after: the current item's, or one before what is next. */
  private at = -1
  private readonly failed = new Map<string, FailureCause>()
  private readonly readySlots = new Set<string>()
  /** The current turn is over and waits for the next item to be able to show a picture. */
  private waiting = false
  /** First painted frame of the current turn (epoch ms), null until its picture is on screen. */
  private startedAt: number | null = null
  /** The previous turn, waiting for the frame that no longer shows it (its end). */
  private pending: { item: ScreenItem; version: string; startedAt: number; endedNoEarlierThan: number } | null = null
  private primedFlag = false
  private turnTimers: Timer[] = []
  private waitTimer: Timer | null = null
  private retryTimer: Timer | null = null
  private disposed = false
  /** Timers run only once started: a model built during a render React throws away must leave nothing behind. */
  private started = false

  constructor(
    program: Program,
    private readonly output: RotationOutput
  ) {
    this.program = program
    this.keys = program.items.map(itemKey)
    this.begin(this.nextIndex(-1))
  }

  /** From the component's first effect: arms the current turn's timers (see `started`). */
  start(): void {
    if (this.started || this.disposed) return
    this.started = true
    this.armLoadTimeout()
    if (!this.current) this.armRetry()
  }

  get currentSlot(): Slot | null {
    return this.current ? { key: `${this.n}/${itemKey(this.current)}`, n: this.n, item: this.current } : null
  }

  get nextSlot(): Slot | null {
    if (!this.current) return null
    const index = this.nextIndex(this.at)
    if (index < 0) return null
    const item = this.program.items[index]!
    return { key: `${this.n + 1}/${itemKey(item)}`, n: this.n + 1, item }
  }

  /** The next item should start now (a video plays hidden) so that it is moving when it comes on. */
  get primed(): boolean {
    return this.primedFlag
  }

  isReady(key: string): boolean {
    return this.readySlots.has(key)
  }

  /**
   * A new program for this zone. The rotation goes on from where it is, by item, when the new program
   * is the same schedule (same version) or holds nothing new (the same items with some left out, e.g. a
   * failed one): no restart, the item on screen keeps its full turn. Another schedule with other items
   * starts from its first item, as soon as that can show a picture.
   */
  setProgram(program: Program): void {
    if (program === this.program || this.disposed) return
    const old = this.program
    const oldKeys = this.keys
    const newKeys = program.items.map(itemKey)
    const fresh = program.version !== old.version && !isSubsequence(newKeys, oldKeys)
    this.program = program
    this.keys = newKeys
    const present = new Set(newKeys)
    // A file that would not decode stays skipped while the same file is listed; anything else gets a fresh try.
    for (const [key, cause] of this.failed) if (fresh || cause !== 'broken' || !present.has(key)) this.failed.delete(key)
    if (!this.current) return this.begin(this.nextIndex(-1))
    const currentKey = itemKey(this.current)
    let cut = true
    if (fresh) this.at = -1
    else if (present.has(currentKey)) {
      this.at = newKeys.indexOf(currentKey)
      cut = false
    } else {
      const sameId = program.items.findIndex((item) => item.id === this.current!.id)
      this.at = sameId >= 0 ? sameId - 1 : this.continuation(oldKeys, present)
    }
    // Which slots are ready is kept by slot key: a next item that stays the same keeps its preload.
    this.keepReadyOnlyForSlots()
    if (cut && !this.waiting) return this.ended(this.n)
    if (this.waiting) return this.nextAfterWaitChanged()
    this.output.changed()
  }

  /** A slot can show a whole picture now. */
  ready(key: string): void {
    if (this.readySlots.has(key)) return
    this.readySlots.add(key)
    if (this.waiting && key === this.nextSlot?.key) this.swap()
    else this.output.changed()
  }

  /** The animation frame (epoch ms) of the first paint after turn `n` was committed, with its picture on screen or not. */
  frame(n: number, at: number, shown: boolean): void {
    if (n !== this.n || this.disposed || !this.started) return
    this.flushPending(at)
    if (!shown || this.startedAt !== null || !this.current) return
    this.startedAt = at
    const { durationMs } = this.current
    if (durationMs > 0) {
      const left = at + durationMs - frameClock()
      this.turnTimers.push(setTimeout(() => this.ended(n), Math.max(0, left)))
      this.turnTimers.push(setTimeout(() => this.prime(n), Math.max(0, left - PRIME_LEAD_MS)))
    }
  }

  /** The current item (a video played to its end) is about to end: start the next one. */
  ending(n: number): void {
    this.prime(n)
  }

  /** Turn `n` is over: swap to the next item as soon as it can show a picture. */
  ended(n: number): void {
    if (n !== this.n || this.waiting || this.disposed) return
    const next = this.nextSlot
    if (!next) return this.advance(-1, true)
    if (this.readySlots.has(next.key)) return this.swap()
    this.waiting = true
    this.primedFlag = true
    this.armWait()
    this.output.changed()
  }

  /** The item in slot `key` cannot be shown: report it once, skip it, keep the order. */
  fail(key: string, reason: string, cause: FailureCause = 'other'): void {
    const current = this.currentSlot
    const next = this.nextSlot
    const slot = current?.key === key ? current : next?.key === key ? next : null
    if (!slot || this.disposed) return
    const failedKey = itemKey(slot.item)
    if (!this.failed.has(failedKey)) {
      const programVersion = slot === current ? this.version : this.program.version
      this.output.itemFailed({ itemId: slot.item.id, programVersion, reason, cause })
      this.failed.set(failedKey, cause)
    }
    if (slot === current) {
      // Its turn ends at once and earns no proof of play; the next item comes on when it can.
      this.advance(this.nextIndex(this.at), false)
      return
    }
    this.keepReadyOnlyForSlots()
    if (this.waiting) return this.nextAfterWaitChanged()
    this.output.changed()
  }

  /** The turn is over and what comes next has changed: swap now if it is ready, else wait for it (bounded). */
  private nextAfterWaitChanged(): void {
    const next = this.nextSlot
    if (!next) return this.advance(-1, true)
    if (this.readySlots.has(next.key)) return this.swap()
    this.armWait()
    this.output.changed()
  }

  /** Readiness belongs to a mounted element: a slot that is gone and comes back is a new element, loading again. */
  private keepReadyOnlyForSlots(): void {
    const keep = new Set([this.currentSlot?.key, this.nextSlot?.key])
    for (const key of this.readySlots) if (!keep.has(key)) this.readySlots.delete(key)
  }

  dispose(): void {
    this.flushPending(frameClock())
    this.disposed = true
    this.clearTurnTimers()
    if (this.waitTimer) clearTimeout(this.waitTimer)
    if (this.retryTimer) clearTimeout(this.retryTimer)
  }

  private nextIndex(from: number): number {
    const items = this.program.items
    for (let step = 1; step <= items.length; step++) {
      const index = (((from + step) % items.length) + items.length) % items.length
      if (!this.failed.has(this.keys[index]!)) return index
    }
    return -1
  }

  /** Where to go on after an item that left the program: just before the first item that followed it and is still there. */
  private continuation(oldKeys: readonly string[], present: ReadonlySet<string>): number {
    for (let step = 1; step <= oldKeys.length; step++) {
      const key = oldKeys[(((this.at + step) % oldKeys.length) + oldKeys.length) % oldKeys.length]!
      if (present.has(key)) return this.keys.indexOf(key) - 1
    }
    return -1
  }

  private swap(): void {
    this.advance(this.nextIndex(this.at), true)
  }

  /** Ends the current turn and starts the one at `index` (-1: nothing playable, the fallback shows). */
  private advance(index: number, earned: boolean): void {
    if (earned && this.current && this.startedAt !== null && !this.failed.has(itemKey(this.current))) {
      const now = frameClock()
      this.flushPending(now)
      // On screen at least until now: a frame's timestamp is when it began, which can be a little before.
      this.pending = { item: this.current, version: this.version, startedAt: this.startedAt, endedNoEarlierThan: now }
    }
    this.begin(index)
  }

  private begin(index: number): void {
    this.clearTurnTimers()
    if (this.waitTimer) clearTimeout(this.waitTimer)
    this.waiting = false
    this.primedFlag = false
    this.startedAt = null
    this.n += 1
    this.current = index >= 0 ? this.program.items[index]! : null
    this.version = this.program.version
    this.at = index
    this.keepReadyOnlyForSlots()
    if (this.started) {
      this.armLoadTimeout()
      if (!this.current) this.armRetry()
    }
    // Not from the constructor: the Rotator is rendering it then.
    if (this.n > 1) this.output.changed()
  }

  /** An item that came on without being ready (the first one, or after a failure) has a bound too. */
  private armLoadTimeout(): void {
    const slot = this.currentSlot
    if (!slot || this.readySlots.has(slot.key)) return
    this.turnTimers.push(
      setTimeout(() => {
        if (!this.readySlots.has(slot.key)) this.fail(slot.key, `not ready within ${LOAD_TIMEOUT_MS} ms`, 'timeout')
      }, LOAD_TIMEOUT_MS)
    )
  }

  private prime(n: number): void {
    if (n !== this.n || this.primedFlag || this.disposed) return
    this.primedFlag = true
    this.output.changed()
  }

  /** The next item has a bound on how long the current one waits for it. */
  private armWait(): void {
    if (this.waitTimer) clearTimeout(this.waitTimer)
    const key = this.nextSlot?.key
    this.waitTimer = setTimeout(() => {
      if (this.waiting && key && this.nextSlot?.key === key && !this.readySlots.has(key)) {
        this.fail(key, `not ready within ${LOAD_TIMEOUT_MS} ms of its turn`, 'timeout')
      }
    }, LOAD_TIMEOUT_MS)
  }

  /** Nothing playable: items that failed for a passing reason get another try after a while. */
  private armRetry(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer)
    if (![...this.failed.values()].some((cause) => cause !== 'broken')) return
    this.retryTimer = setTimeout(() => {
      if (this.current || this.disposed) return
      for (const [key, cause] of this.failed) if (cause !== 'broken') this.failed.delete(key)
      this.begin(this.nextIndex(-1))
    }, RETRY_ALL_MS)
  }

  private flushPending(endedAt: number): void {
    if (!this.pending) return
    const { item, version, startedAt, endedNoEarlierThan } = this.pending
    this.pending = null
    this.output.played({ itemId: item.id, programVersion: version, startedAt: Math.round(startedAt), endedAt: Math.round(Math.max(endedNoEarlierThan, endedAt)) })
  }

  private clearTurnTimers(): void {
    for (const timer of this.turnTimers) clearTimeout(timer)
    this.turnTimers = []
  }
}
