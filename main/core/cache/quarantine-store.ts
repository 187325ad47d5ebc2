// Hashes the cache refuses for a while (bytes that failed verification, media that failed to decode):
// one JSON file per hash under quarantine/, so the back-off survives a restart.
import { mkdir, readdir, readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { writeFileAtomic } from '../fs-atomic'
import { KeyedLock } from './keyed-lock'

const ENTRY_FILE = /^([0-9a-f]{64})\.json$/

export interface QuarantineEntry {
  sha256: string
  /** Why, in words an operator can act on (shown in reports). */
  reason: string
  /** Wall-clock ms when it was quarantined. */
  at: number
  /** Wall-clock ms from which the hash may be fetched again. */
  until: number
}

export class QuarantineStore {
  private readonly entries = new Map<string, QuarantineEntry>()
  /** Serializes the file writes and lazy deletions of one hash so a late delete never removes a new entry. */
  private readonly fileLock = new KeyedLock()
  private readonly pending = new Set<Promise<void>>()

  constructor(private readonly dir: string) {}

  /** Loads every live entry; expired, unreadable and half-written (temp) files are removed. */
  async load(now: number): Promise<void> {
    this.entries.clear()
    await mkdir(this.dir, { recursive: true })
    for (const name of await readdir(this.dir)) {
      const path = join(this.dir, name)
      const sha = ENTRY_FILE.exec(name)?.[1]
      const entry = sha === undefined ? null : await readEntry(path, sha)
      if (entry && !isExpired(entry, now)) this.entries.set(entry.sha256, entry)
      else await rm(path, { force: true, recursive: true })
    }
  }

  /** The live entry for `sha`, or undefined. An expired entry is forgotten here and its file removed later. */
  active(sha256: string, now: number): QuarantineEntry | undefined {
    const entry = this.entries.get(sha256)
    if (!entry) return undefined
    if (!isExpired(entry, now)) return entry
    this.entries.delete(sha256)
    this.track(
      this.fileLock.run(sha256, async () => {
        // Quarantined again since we decided to delete: that newer entry's file must stay.
        if (!this.entries.has(sha256)) await rm(this.pathOf(sha256), { force: true })
      })
    )
    return undefined
  }

  /** Records the entry: in memory at once (so this process backs off even if the disk is full), then durably. */
  async add(entry: QuarantineEntry): Promise<void> {
    this.entries.set(entry.sha256, entry)
    await this.fileLock.run(entry.sha256, () => writeFileAtomic(this.pathOf(entry.sha256), JSON.stringify(entry)))
  }

  list(now: number): QuarantineEntry[] {
    return [...this.entries.keys()]
      .map((sha) => this.active(sha, now))
      .filter((entry): entry is QuarantineEntry => entry !== undefined)
      .sort((a, b) => a.at - b.at)
  }

  /** Waits for lazy deletions still running (for a clean shutdown and for tests). */
  async settle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending])
  }

  private pathOf(sha256: string): string {
    return join(this.dir, `${sha256}.json`)
  }

  private track(work: Promise<void>): void {
    // Best effort: a file that cannot be removed now is removed by the next load().
    const settled = work.catch(() => undefined).finally(() => this.pending.delete(settled))
    this.pending.add(settled)
  }
}

/**
 * Past `until`, or stamped in the future: a clock that jumped backwards (a dead RTC booting in 1970)
 * would otherwise stretch a ten-minute back-off into decades, so such an entry is dropped instead.
 */
function isExpired(entry: QuarantineEntry, now: number): boolean {
  return now >= entry.until || now < entry.at
}

async function readEntry(path: string, sha256: string): Promise<QuarantineEntry | null> {
  try {
    const data = JSON.parse(await readFile(path, 'utf8')) as Partial<QuarantineEntry> | null
    if (
      data?.sha256 !== sha256 ||
      typeof data.reason !== 'string' ||
      !Number.isFinite(data.at) ||
      !Number.isFinite(data.until)
    ) {
      return null
    }
    return { sha256, reason: data.reason, at: data.at as number, until: data.until as number }
  } catch {
    return null
  }
}
