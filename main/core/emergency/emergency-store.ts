// The emergencies a board knows of (bản tin khẩn cấp): kept on disk so a notice survives a restart,
// with cleared ids remembered until their expiry so a replayed push cannot bring a cleared notice back.
// Expiry is judged on the board clock's certainly-passed time, so a wall-clock step never ends one early.
import { mkdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import { writeFileAtomic } from '../fs-atomic'
import type { Logger } from '../log'
import { Emergency } from '../protocol/manifest'
import { BoardClock } from '../time/board-clock'

const Stored = z.object({
  active: z.array(Emergency),
  /** id → until when the clear holds: the cleared emergency's own expiry (or the clear's, if later), so a replay before then stays cleared. */
  cleared: z.record(z.string(), z.string()),
  /** id → when it was first shown (epoch ms), so the ack is sent once, with the first time. */
  shownAt: z.record(z.string(), z.number()).default({})
})
type Stored = z.infer<typeof Stored>

/** More than this many at once is not a real situation; the newest are kept. */
const MAX_ACTIVE = 100

/** Below this, the schedule's clock and the certain clock count as the same (the server's Date has 1 s steps). */
const CLOCKS_AGREE_MS = 2_000

/** What the store needs of the board clock. */
export type PassedClock = Pick<BoardClock, 'passedMs' | 'notePassed'>

export class EmergencyStore {
  private state: Stored = { active: [], cleared: {}, shownAt: {} }
  private readonly path: string
  private readonly clock: PassedClock
  private writing: Promise<void> = Promise.resolve()

  constructor(
    dir: string,
    private readonly log: Logger,
    options: { clock?: PassedClock } = {}
  ) {
    this.path = join(dir, 'emergencies.json')
    this.clock = options.clock ?? new BoardClock()
  }

  async load(): Promise<void> {
    try {
      this.state = Stored.parse(JSON.parse(await readFile(this.path, 'utf8')))
      // Each was issued by the province before it was stored: a lower bound for a clock that booted in 1970.
      for (const emergency of this.state.active) this.clock.notePassed(Date.parse(emergency.issuedAt))
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        this.log.error('stored emergencies unreadable; starting without them', { reason: (error as Error).message })
      }
    }
  }

  /** Active emergencies not certainly expired. */
  active(): Emergency[] {
    const passed = this.clock.passedMs()
    return this.state.active.filter((e) => Date.parse(e.expiresAt) > passed)
  }

  /**
   * The active emergencies for a schedule planned at `now`. Where `now` and the certain clock disagree
   * (a wall clock that jumped, with no server to correct it yet), each expiry is restated as `now` plus
   * the time still left on the certain clock, so the scheduler neither drops one early nor sleeps past
   * the end of one.
   */
  onScreen(now: Date): Emergency[] {
    const passed = this.clock.passedMs()
    const at = now.getTime()
    if (Math.abs(at - passed) <= CLOCKS_AGREE_MS) return this.active()
    return this.active().map((e) => ({ ...e, expiresAt: new Date(at + (Date.parse(e.expiresAt) - passed)).toISOString() }))
  }

  /**
   * Records an emergency. `isNew` is known at once so the caller can put it on screen before the disk
   * write (an fsync) finishes; `saved` settles when it would survive a power cut.
   */
  start(emergency: Emergency): { isNew: boolean; saved: Promise<void>; cleared?: string } {
    this.clock.notePassed(Date.parse(emergency.issuedAt))
    const known =
      Date.parse(emergency.expiresAt) <= this.clock.passedMs() ||
      this.state.cleared[emergency.id] !== undefined ||
      this.state.active.some((e) => e.id === emergency.id)
    const cleared = this.state.cleared[emergency.id]
    if (cleared !== undefined && Date.parse(cleared) < Date.parse(emergency.expiresAt)) {
      // Cleared before its own expiry was known here (a clear that came first): the clear now holds as long as the emergency would have.
      this.state.cleared[emergency.id] = emergency.expiresAt
      return { isNew: false, saved: this.save(), cleared: emergency.expiresAt }
    }
    if (known) return { isNew: false, saved: Promise.resolve(), ...(cleared !== undefined ? { cleared } : {}) }
    this.state.active = [...this.state.active, emergency]
      .sort((a, b) => Date.parse(b.issuedAt) - Date.parse(a.issuedAt))
      .slice(0, MAX_ACTIVE)
    return { isNew: true, saved: this.save() }
  }

  /**
   * Ends an emergency; returns false when it was not active. The clear is remembered until the latest of
   * `until` (the clear's own expiry, or the emergency's as the clear states it) and the emergency's own
   * expiry when known, never only until a short-lived clear message expires.
   */
  async clear(id: string, until: string): Promise<boolean> {
    const held = this.state.active.find((e) => e.id === id)
    this.state.active = this.state.active.filter((e) => e.id !== id)
    const candidates = [until, held?.expiresAt, this.state.cleared[id]].filter((t): t is string => t !== undefined)
    this.state.cleared[id] = candidates.reduce((a, b) => (Date.parse(b) > Date.parse(a) ? b : a))
    await this.save()
    return held !== undefined
  }

  /** Notes the first time an emergency was on screen; returns true only the first time. */
  async markShown(id: string, at: number): Promise<boolean> {
    if (this.state.shownAt[id] !== undefined) return false
    this.state.shownAt[id] = at
    await this.save()
    return true
  }

  private async save(): Promise<void> {
    // Forget what can no longer matter: emergencies and clears certainly past their expiry.
    const t = this.clock.passedMs()
    this.state.active = this.state.active.filter((e) => Date.parse(e.expiresAt) > t)
    this.state.cleared = Object.fromEntries(Object.entries(this.state.cleared).filter(([, until]) => Date.parse(until) > t))
    const known = new Set([...this.state.active.map((e) => e.id), ...Object.keys(this.state.cleared)])
    this.state.shownAt = Object.fromEntries(Object.entries(this.state.shownAt).filter(([id]) => known.has(id)))
    const text = JSON.stringify(this.state)
    // Writes are serialised so a quick start-then-clear lands on disk in that order.
    this.writing = this.writing.catch(() => {}).then(async () => {
      await mkdir(join(this.path, '..'), { recursive: true })
      await writeFileAtomic(this.path, text)
    })
    await this.writing
  }
}
