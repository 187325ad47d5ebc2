// Cache space: decides which files leave the cache, and when. Content no manifest references any more
// (retired) leaves after a grace period, quota or not; to make room, unreferenced files leave least
// recently *played* first, under the configured quota or, without one, a quota that keeps the disk from
// filling. What the active or pending manifest references, or the screen may show, is never evicted.
import { readdir, rm, statfs } from 'node:fs/promises'
import { join } from 'node:path'
import type { Logger } from '../log'
import { QuotaExceededError } from './cache-errors'
import {
  chooseToFit,
  DEFAULT_RETIRED_GRACE_MS,
  evictionOrder,
  graceOver,
  quotaFromDisk,
  type DiskReading,
  type EvictionCandidate
} from './eviction-policy'
import { KeyedLock } from './keyed-lock'
import { SHA256, type ObjectIndex } from './object-index'
import { UsageLog } from './usage-log'

/** Least time between two best-effort writes of usage.json. */
export const USAGE_WRITE_INTERVAL_MS = 60_000
/** How often retired content is looked at even when nothing else happens (a board offline for weeks). */
export const SWEEP_INTERVAL_MS = 3_600_000

export interface SpaceOptions {
  /** Most bytes the cache may hold (objects plus partial downloads). Default: derived from the disk. */
  quotaBytes?: number
  /** How long retired content stays. Default 7 days. */
  retiredGraceMs?: number
  /** Reads the disk holding the cache (tests inject one); default fs.statfs of the cache root. */
  disk?: () => Promise<DiskReading>
  /** Wall clock for retirement dates. */
  now: () => number
  usageWriteIntervalMs?: number
  log?: Logger
}

/** What the space needs to know of a manifest: its files, and which item plays which file. */
export interface ReferencingManifest {
  version: string
  assets: readonly { sha256: string }[]
  playlists: readonly { items: readonly { id: string }[] }[]
}

interface References {
  hashes: Set<string>
  manifests: ReferencingManifest[]
}

export class CacheSpace {
  private readonly ledger: UsageLog
  private readonly graceMs: number
  private readonly readDisk: () => Promise<DiskReading>
  /** ensureSpace and sweep run one at a time, so two of them cannot both count the same free bytes. */
  private readonly spaceLock = new KeyedLock()
  /** Null until someone says what is referenced: until then nothing counts as retired. */
  private references: References | null = null
  private readonly pins = new Set<() => Iterable<string>>()
  private quota: number
  private timer: NodeJS.Timeout | undefined
  private diskUnknown = false
  private sweepQueued = false
  private background: Promise<unknown> = Promise.resolve()

  constructor(
    private readonly root: string,
    private readonly index: ObjectIndex,
    /** The cache's per-hash lock: a file busy in an import or a verify is never evicted. */
    private readonly files: KeyedLock,
    private readonly options: SpaceOptions
  ) {
    const quota = options.quotaBytes ?? Number.POSITIVE_INFINITY
    if (!(quota >= 0)) throw new RangeError(`quotaBytes must be a non-negative number, got ${quota}`)
    const grace = options.retiredGraceMs ?? DEFAULT_RETIRED_GRACE_MS
    if (!(grace >= 0)) throw new RangeError(`retiredGraceMs must be a non-negative number, got ${grace}`)
    this.quota = quota
    this.graceMs = grace
    this.readDisk = options.disk ?? (() => diskOf(root))
    this.ledger = new UsageLog(join(root, 'usage.json'), options.usageWriteIntervalMs ?? USAGE_WRITE_INTERVAL_MS)
  }

  private get fromDisk(): boolean {
    return this.options.quotaBytes === undefined
  }

  /** The quota in force: the configured one, or the one the disk allowed at its last reading. */
  get quotaBytes(): number {
    return this.quota
  }

  /** After the index was rebuilt: loads what was remembered and starts the hourly sweep. */
  async open(): Promise<void> {
    this.stopTimer()
    for (const name of await readdir(this.root)) {
      // Temp files of an interrupted usage.json write.
      if (name.startsWith('.usage.json.') && name.endsWith('.tmp')) await rm(join(this.root, name), { force: true })
    }
    await this.ledger.load()
    this.ledger.keepOnly(this.index.hashes())
    await this.currentQuota()
    this.timer = setInterval(() => this.kick(), SWEEP_INTERVAL_MS)
    this.timer.unref()
  }

  /** Waits for a sweep under way and writes what must be remembered. Call before exit. */
  async close(): Promise<void> {
    this.stopTimer()
    await this.settled()
    await this.ledger.flush().catch(() => undefined)
    this.ledger.stop()
  }

  /**
   * What the active and pending manifests reference (null entries skipped): none of it is evicted, and
   * whatever else is stored counts as retired from now on. Returns the referenced hashes.
   */
  reference(manifests: Iterable<ReferencingManifest | null | undefined>): ReadonlySet<string> {
    const kept = [...manifests].filter((m): m is ReferencingManifest => !!m)
    const hashes = new Set(kept.flatMap((m) => m.assets.map((a) => a.sha256)))
    this.references = { hashes, manifests: kept }
    this.kick()
    return new Set(hashes)
  }

  /** Also never evicts what `source` names while it is pinned (what the screen shows). Returns an unpin. */
  pin(source: () => Iterable<string>): () => void {
    this.pins.add(source)
    return () => this.pins.delete(source)
  }

  /** A proof of play: the item's file becomes the most recently played. Items it cannot place are ignored. */
  notePlayed(played: { itemId: string; programVersion: string }): void {
    const manifests = this.references?.manifests ?? []
    // The screen's programme versions start with the manifest's version; any referencing manifest will do otherwise.
    const named = manifests.filter((m) => played.programVersion.startsWith(`${m.version}/`))
    const files = new Set<string>()
    for (const manifest of named.length > 0 ? named : manifests) {
      for (const item of manifest.playlists.flatMap((p) => p.items)) {
        const asset = (item as { asset?: unknown }).asset
        if (item.id === played.itemId && typeof asset === 'string') files.add(asset)
      }
    }
    if (files.size === 1) this.markPlayed([...files][0]!)
  }

  /** Records that `sha256` was just played, for least-recently-played eviction. */
  markPlayed(sha256: string): void {
    if (SHA256.test(sha256)) this.ledger.touch(sha256)
  }

  /** The files are gone (quarantined, failed verification): nothing to remember about them. */
  forget(sha256: string): void {
    this.ledger.forget(sha256)
  }

  /**
   * Makes room for `bytesNeeded` more bytes under the quota (for a resumed download: what is still
   * missing), evicting in the policy's order and never what `keep`, the references or a pin name, nor
   * files busy in another operation. Returns the evicted hashes. Throws QuotaExceededError, having
   * deleted nothing, when even all of that would not be enough.
   */
  async ensureSpace(bytesNeeded: number, keep: ReadonlySet<string>): Promise<string[]> {
    if (!(bytesNeeded >= 0)) throw new RangeError(`bytesNeeded must be a non-negative number, got ${bytesNeeded}`)
    return this.spaceLock.run('space', async () => {
      const quota = await this.currentQuota()
      const evicted: string[] = []
      // A candidate can turn busy while we delete earlier ones; then choose again (bounded).
      for (let round = 0; round < 8; round++) {
        const inUse = this.index.bytesInUse()
        if (inUse + bytesNeeded <= quota) return evicted
        const fit = chooseToFit(this.candidates(keep), inUse, bytesNeeded, quota)
        if (!fit) throw new QuotaExceededError(bytesNeeded, Math.max(0, quota - inUse + this.evictableBytes(keep)), quota, this.fromDisk)
        for (const candidate of fit.chosen) if (await this.evict(candidate)) evicted.push(candidate.sha256)
      }
      if (this.index.bytesInUse() + bytesNeeded <= quota) return evicted
      throw new QuotaExceededError(bytesNeeded, Math.max(0, quota - this.index.bytesInUse()), quota, this.fromDisk)
    })
  }

  /**
   * Dates what has just become retired, evicts what has been retired for the grace period, then trims
   * the cache under its quota (the disk may have filled with something else). Does nothing until the
   * references are known. Returns the evicted hashes.
   */
  async sweep(): Promise<string[]> {
    return this.spaceLock.run('space', async () => {
      this.sweepQueued = false
      if (!this.references) return []
      const now = this.options.now()
      const kept = this.kept(new Set())
      const due: EvictionCandidate[] = []
      for (const candidate of this.allFiles()) {
        const sha = candidate.sha256
        if (kept.has(sha)) {
          this.ledger.unretire(sha)
          continue
        }
        let since = this.ledger.retiredAt(sha)
        // Never dated, or dated by a clock that has since gone back by more than a grace period.
        if (since === undefined || since > now + this.graceMs) this.ledger.retire(sha, (since = now))
        if (graceOver(since, now, this.graceMs)) due.push(candidate)
      }
      // The dates must outlive a power cut, or a board that reboots nightly would never evict anything.
      await this.ledger.flush().catch((error: Error) => this.options.log?.warn('cache usage not saved', { reason: error.message }))
      const evicted: string[] = []
      for (const candidate of due) if (await this.evict(candidate)) evicted.push(candidate.sha256)
      const quota = await this.currentQuota()
      const fit = chooseToFit(this.candidates(new Set()), this.index.bytesInUse(), 0, quota)
      for (const candidate of fit?.chosen ?? []) if (await this.evict(candidate)) evicted.push(candidate.sha256)
      if (evicted.length > 0) this.options.log?.info('cache: evicted retired or least recently played files', { count: evicted.length })
      return evicted
    })
  }

  /** Resolves once the sweeps asked for so far have run. */
  async settled(): Promise<void> {
    await this.background
  }

  /** Starts a sweep in the background unless one is already waiting to run. */
  private kick(): void {
    if (this.sweepQueued) return
    this.sweepQueued = true
    this.background = this.sweep().catch((error: Error) => {
      this.sweepQueued = false
      this.options.log?.warn('cache sweep failed', { reason: error.message })
    })
  }

  /** Hashes that must stay: `keep`, the references and every pin. */
  private kept(keep: ReadonlySet<string>): Set<string> {
    const kept = new Set([...keep, ...(this.references?.hashes ?? [])])
    for (const pin of this.pins) for (const sha of pin()) kept.add(sha)
    return kept
  }

  private allFiles(): EvictionCandidate[] {
    const parts = this.index.partials().map(([sha256, bytes]): EvictionCandidate => ({ sha256, kind: 'part', bytes }))
    const objects = this.index
      .objects()
      .map(([sha256, object]): EvictionCandidate => ({ sha256, kind: 'object', bytes: object.size, mtimeMs: object.mtimeMs, playedRank: this.ledger.rank(sha256) }))
    return [...parts, ...objects]
  }

  /** What may be evicted now, in the policy's order. */
  private candidates(keep: ReadonlySet<string>): EvictionCandidate[] {
    const kept = this.kept(keep)
    return evictionOrder(this.allFiles().filter((c) => !kept.has(c.sha256) && !this.files.isBusy(c.sha256)))
  }

  private evictableBytes(keep: ReadonlySet<string>): number {
    return this.candidates(keep).reduce((sum, c) => sum + c.bytes, 0)
  }

  /** Deletes one file under its hash's lock; false if it turned busy. The index follows the disk. */
  private async evict(candidate: EvictionCandidate): Promise<boolean> {
    if (this.files.isBusy(candidate.sha256)) return false
    await this.files.run(candidate.sha256, async () => {
      if (candidate.kind === 'part') {
        await this.index.removePart(candidate.sha256)
        if (this.index.object(candidate.sha256)) return
      } else {
        await this.index.removeObject(candidate.sha256)
      }
      this.ledger.forget(candidate.sha256)
    })
    return true
  }

  private async currentQuota(): Promise<number> {
    if (!this.fromDisk) return this.quota
    try {
      this.quota = quotaFromDisk(await this.readDisk(), this.index.bytesInUse())
      this.diskUnknown = false
    } catch (error) {
      // Unknown (a file system without statfs): the last reading stands, at first no limit, as before.
      if (!this.diskUnknown) this.options.log?.warn('cache: disk space unknown', { reason: (error as Error).message })
      this.diskUnknown = true
    }
    return this.quota
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = undefined
  }
}

/** The files a screen may show at any moment: the planned items and the images of held emergencies. */
export function assetsOnScreen(
  plan: { zones: readonly { items: readonly object[] }[] } | null,
  heldEmergencies: readonly { asset?: string }[]
): string[] {
  const items = (plan?.zones ?? []).flatMap((zone) => zone.items.map((item) => (item as { asset?: unknown }).asset))
  return [...items, ...heldEmergencies.map((e) => e.asset)].filter((sha): sha is string => typeof sha === 'string')
}

async function diskOf(path: string): Promise<DiskReading> {
  const info = await statfs(path)
  return { freeBytes: info.bavail * info.bsize, totalBytes: info.blocks * info.bsize }
}
