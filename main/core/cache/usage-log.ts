// What eviction remembers across restarts, saved best-effort to usage.json: the order in which files were
// last *played* (a logical counter, not wall time: these boxes boot with dead RTCs and jump clocks), and
// since when each file no manifest references has been retired (wall time, for the grace period).
import { readFile } from 'node:fs/promises'
import { writeFileAtomic } from '../fs-atomic'

const SHA256 = /^[0-9a-f]{64}$/

interface UsageFile {
  /** Version 1 ranked files by manifest activation; it is not read (that order is not what was played). */
  version: 2
  counter: number
  /** sha256 → counter value at its last play; higher is more recent. */
  played: Record<string, number>
  /** sha256 → wall-clock ms since which no manifest references it. */
  retired: Record<string, number>
}

export class UsageLog {
  private readonly ranks = new Map<string, number>()
  private readonly retiredSince = new Map<string, number>()
  private counter = 0
  private dirty = false
  private timer: NodeJS.Timeout | undefined
  /** performance.now() of the last write: monotonic, so a clock jump cannot stall or spam writes. */
  private lastWriteAt = Number.NEGATIVE_INFINITY
  private writing: Promise<void> = Promise.resolve()

  constructor(
    private readonly file: string,
    private readonly minIntervalMs: number
  ) {}

  /** Reads the saved state; a missing or damaged file only costs the order and the retirement dates. */
  async load(): Promise<void> {
    this.stop()
    this.ranks.clear()
    this.retiredSince.clear()
    this.counter = 0
    this.dirty = false
    let data: Partial<UsageFile> | null = null
    try {
      data = JSON.parse(await readFile(this.file, 'utf8')) as Partial<UsageFile> | null
    } catch {
      return
    }
    if (data?.version !== 2) return
    for (const [sha, rank] of entries(data.played)) {
      if (Number.isSafeInteger(rank) && rank > 0) {
        this.ranks.set(sha, rank)
        this.counter = Math.max(this.counter, rank)
      }
    }
    for (const [sha, at] of entries(data.retired)) if (Number.isFinite(at)) this.retiredSince.set(sha, at)
  }

  touch(sha256: string): void {
    this.ranks.set(sha256, ++this.counter)
    this.changed()
  }

  /** When `sha256` was last played relative to the others, or undefined if never. */
  rank(sha256: string): number | undefined {
    return this.ranks.get(sha256)
  }

  retiredAt(sha256: string): number | undefined {
    return this.retiredSince.get(sha256)
  }

  retire(sha256: string, at: number): void {
    this.retiredSince.set(sha256, at)
    this.changed()
  }

  /** Referenced again: the grace period starts over the next time it is retired. */
  unretire(sha256: string): void {
    if (this.retiredSince.delete(sha256)) this.changed()
  }

  forget(sha256: string): void {
    const had = this.ranks.delete(sha256)
    if (this.retiredSince.delete(sha256) || had) this.changed()
  }

  /** Forgets every hash not in `present` (files removed while this was not looking: a crash, a technician). */
  keepOnly(present: ReadonlySet<string>): void {
    for (const sha of [...this.ranks.keys(), ...this.retiredSince.keys()]) if (!present.has(sha)) this.forget(sha)
  }

  /** Writes now if anything changed since the last write. Writes never overlap. */
  flush(): Promise<void> {
    this.stop()
    const run = this.writing.catch(() => undefined).then(() => this.writeIfDirty())
    this.writing = run
    return run
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
  }

  private changed(): void {
    this.dirty = true
    if (this.timer) return
    const wait = Math.max(0, this.lastWriteAt + this.minIntervalMs - performance.now())
    this.timer = setTimeout(() => {
      this.timer = undefined
      // Best effort: losing it costs at most a less well chosen eviction, or a grace period started over.
      this.flush().catch(() => undefined)
    }, wait)
    this.timer.unref()
  }

  private async writeIfDirty(): Promise<void> {
    if (!this.dirty) return
    this.dirty = false
    this.lastWriteAt = performance.now()
    const data: UsageFile = {
      version: 2,
      counter: this.counter,
      played: Object.fromEntries(this.ranks),
      retired: Object.fromEntries(this.retiredSince)
    }
    try {
      await writeFileAtomic(this.file, JSON.stringify(data))
    } catch (error) {
      this.dirty = true
      throw error
    }
  }
}

function entries(record: unknown): [string, number][] {
  if (typeof record !== 'object' || record === null) return []
  return Object.entries(record).filter((entry): entry is [string, number] => SHA256.test(entry[0]) && typeof entry[1] === 'number')
}
