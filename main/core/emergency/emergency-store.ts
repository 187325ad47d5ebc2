// The emergencies a board knows of (bản tin khẩn cấp): kept on disk so a notice survives a restart,
// with cleared ids remembered until their expiry so a replayed push cannot bring a cleared notice back.
import { mkdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import { writeFileAtomic } from '../fs-atomic'
import type { Logger } from '../log'
import { Emergency } from '../protocol/manifest'

const Stored = z.object({
  active: z.array(Emergency),
  /** id → expiresAt of cleared emergencies. */
  cleared: z.record(z.string(), z.string()),
  /** id → when it was first shown (epoch ms), so the ack is sent once, with the first time. */
  shownAt: z.record(z.string(), z.number()).default({})
})
type Stored = z.infer<typeof Stored>

/** More than this many at once is not a real situation; the newest are kept. */
const MAX_ACTIVE = 100

export class EmergencyStore {
  private state: Stored = { active: [], cleared: {}, shownAt: {} }
  private readonly path: string
  private writing: Promise<void> = Promise.resolve()

  constructor(
    dir: string,
    private readonly log: Logger
  ) {
    this.path = join(dir, 'emergencies.json')
  }

  async load(): Promise<void> {
    try {
      this.state = Stored.parse(JSON.parse(await readFile(this.path, 'utf8')))
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        this.log.error('stored emergencies unreadable; starting without them', { reason: (error as Error).message })
      }
    }
  }

  /** Unexpired active emergencies at `now`. */
  active(now: Date): Emergency[] {
    return this.state.active.filter((e) => Date.parse(e.expiresAt) > now.getTime())
  }

  /**
   * Records an emergency. `isNew` is known at once so the caller can put it on screen before the disk
   * write (an fsync) finishes; `saved` settles when it would survive a power cut.
   */
  start(emergency: Emergency, now: Date): { isNew: boolean; saved: Promise<void> } {
    const known =
      Date.parse(emergency.expiresAt) <= now.getTime() ||
      this.state.cleared[emergency.id] !== undefined ||
      this.state.active.some((e) => e.id === emergency.id)
    if (known) return { isNew: false, saved: Promise.resolve() }
    this.state.active = [...this.state.active, emergency]
      .sort((a, b) => Date.parse(b.issuedAt) - Date.parse(a.issuedAt))
      .slice(0, MAX_ACTIVE)
    return { isNew: true, saved: this.save(now) }
  }

  /** Ends an emergency; returns false when it was not active. */
  async clear(id: string, expiresAt: string, now: Date): Promise<boolean> {
    const wasActive = this.state.active.some((e) => e.id === id)
    this.state.active = this.state.active.filter((e) => e.id !== id)
    this.state.cleared[id] = expiresAt
    await this.save(now)
    return wasActive
  }

  /** Notes the first time an emergency was on screen; returns true only the first time. */
  async markShown(id: string, at: number, now: Date): Promise<boolean> {
    if (this.state.shownAt[id] !== undefined) return false
    this.state.shownAt[id] = at
    await this.save(now)
    return true
  }

  private async save(now: Date): Promise<void> {
    // Forget what can no longer matter: expired emergencies and clears past their expiry.
    const t = now.getTime()
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
