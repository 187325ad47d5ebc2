// Files the screen could not play, set aside per way of playing them: the same bytes may fail as an image
// and play as a video (a mislabelled copy), so a failure keys on kind, declared type and hash together.
// The file stays in the cache (its bytes are right); the item is left out for a while, longer each time.
import type { AssetItem } from '../protocol/manifest'

/** The first time an item fails, it is left out this long; each further failure doubles it, up to the max. */
export const UNPLAYABLE_BASE_MS = 30 * 60_000
export const UNPLAYABLE_MAX_MS = 6 * 3_600_000
/** Bounded: entries of long-gone content are dropped oldest first. */
const MAX_ENTRIES = 2_000

export type PlayedAs = { sha256: string; kind: AssetItem['kind']; mime: string }

interface Entry {
  untilMono: number
  failures: number
}

export class UnplayableFiles {
  private readonly entries = new Map<string, Entry>()
  private readonly mono: () => number

  constructor(private readonly options: { baseMs?: number; maxMs?: number; mono?: () => number } = {}) {
    this.mono = options.mono ?? (() => performance.now())
  }

  /** Records a failure; returns how long the file is left out when played this way. */
  add(what: PlayedAs): number {
    const key = keyOf(what)
    const failures = (this.entries.get(key)?.failures ?? 0) + 1
    const forMs = Math.min(this.options.maxMs ?? UNPLAYABLE_MAX_MS, (this.options.baseMs ?? UNPLAYABLE_BASE_MS) * 2 ** (failures - 1))
    // Re-inserted so the map's order is least recently failed first.
    this.entries.delete(key)
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!)
    this.entries.set(key, { untilMono: this.mono() + forMs, failures })
    return forMs
  }

  /** Whether playing the file this way is set aside now (on the monotonic clock: a clock step changes nothing). */
  has(what: PlayedAs): boolean {
    const entry = this.entries.get(keyOf(what))
    return entry !== undefined && this.mono() < entry.untilMono
  }
}

function keyOf(what: PlayedAs): string {
  return `${what.kind} ${what.mime} ${what.sha256}`
}
