// Least-recently-used order of cached objects for quota eviction, saved best-effort to usage.json.
// The order is a logical counter, not wall time: these boxes boot with dead RTCs and jump clocks.
import { readFile } from 'node:fs/promises'
import { writeFileAtomic } from '../fs-atomic'

const SHA256 = /^[0-9a-f]{64}$/

interface UsageFile {
  version: 1
  counter: number
  /** sha256 → counter value at its last use; higher is more recent. */
  used: Record<string, number>
}

export class UsageLog {
  private readonly ranks = new Map<string, number>()
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

  /** Reads the saved order; a missing or damaged file only costs the order (all objects count as unused). */
  async load(): Promise<void> {
    this.stop()
    this.ranks.clear()
    this.counter = 0
    this.dirty = false
    let data: Partial<UsageFile> | null = null
    try {
      data = JSON.parse(await readFile(this.file, 'utf8')) as Partial<UsageFile> | null
    } catch {
      return
    }
    if (data?.version !== 1 || typeof data.used !== 'object' || data.used === null) return
    for (const [sha, rank] of Object.entries(data.used)) {
      if (SHA256.test(sha) && Number.isSafeInteger(rank) && rank > 0) {
        this.ranks.set(sha, rank)
        this.counter = Math.max(this.counter, rank)
      }
    }
  }

  touch(sha256: string): void {
    this.ranks.set(sha256, ++this.counter)
    this.dirty = true
    this.schedule()
  }

  /** When `sha256` was last used relative to the others, or undefined if never. */
  rank(sha256: string): number | undefined {
    return this.ranks.get(sha256)
  }

  forget(sha256: string): void {
    if (this.ranks.delete(sha256)) this.dirty = true
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

  private schedule(): void {
    if (this.timer) return
    const wait = Math.max(0, this.lastWriteAt + this.minIntervalMs - performance.now())
    this.timer = setTimeout(() => {
      this.timer = undefined
      // Best effort: losing usage order costs at most a less well chosen eviction.
      this.flush().catch(() => undefined)
    }, wait)
    this.timer.unref()
  }

  private async writeIfDirty(): Promise<void> {
    if (!this.dirty) return
    this.dirty = false
    this.lastWriteAt = performance.now()
    const data: UsageFile = { version: 1, counter: this.counter, used: Object.fromEntries(this.ranks) }
    try {
      await writeFileAtomic(this.file, JSON.stringify(data))
    } catch (error) {
      this.dirty = true
      throw error
    }
  }
}
