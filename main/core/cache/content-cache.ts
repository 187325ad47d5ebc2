// Content-addressed media cache: files live under their sha256, are hashed while written, and are
// only ever handed out after their bytes have been verified. Downloads resume; bad hashes back off.
// The rooms: intake.ts (bytes in, verification), object-index.ts (what is on disk), space.ts (eviction).
import { createReadStream } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { Logger } from '../log'
import { CacheVerificationError, QuarantinedError } from './cache-errors'
import type { DiskReading } from './eviction-policy'
import { type ByteSource, DEFAULT_QUARANTINE_MS, type ExpectedFile, finishPartial, holdErrors, discard, type ImportOptions, receive, verifyObject } from './intake'
import { KeyedLock } from './keyed-lock'
import { fileSize, ObjectIndex, SHA256 } from './object-index'
import { type QuarantineEntry, QuarantineStore } from './quarantine-store'
import { CacheSpace } from './space'

export { CacheVerificationError, IncompleteDownloadError, QuarantinedError, QuotaExceededError } from './cache-errors'
export { DEFAULT_QUARANTINE_MS, hashFile, type ByteSource, type ExpectedFile, type ImportOptions } from './intake'
export type { QuarantineEntry } from './quarantine-store'
export { USAGE_WRITE_INTERVAL_MS } from './space'

export interface ContentCacheOptions {
  /** Most bytes the cache may hold on disk (objects plus partial downloads). Default: what keeps the disk from filling. */
  quotaBytes?: number
  /** How long content no manifest references stays before it is evicted. Default 7 days. */
  retiredGraceMs?: number
  /** Reads the free and total bytes of the disk (tests pass a fixed reading); default fs.statfs. */
  disk?: () => Promise<DiskReading>
  /** Wall clock for quarantine stamps and retirement dates (tests pass a fake one). */
  now?: () => number
  /** Least time between usage.json writes; tests shorten it. */
  usageWriteIntervalMs?: number
  /** Where evictions and failed background sweeps are told. */
  log?: Logger
}

export interface CacheStats {
  /** Bytes of objects whose hashes were checked in this process (what `pathOf` hands out). */
  verifiedBytes: number
  verifiedCount: number
  /** Bytes of every object on disk, verified or not yet: what counts against the quota. */
  storedBytes: number
  storedCount: number
  /** Bytes of partial downloads in tmp/, which also count against the quota. */
  partialBytes: number
  quarantinedCount: number
  /** The configured quota, or the one the disk allowed at its last reading. */
  quotaBytes: number
}

export class ContentCache {
  /** Eviction: what the manifests reference, what was played, what the screen shows, and the quota. */
  readonly space: CacheSpace
  private readonly index: ObjectIndex
  private readonly now: () => number
  private readonly locks = new KeyedLock()
  private readonly quarantineStore: QuarantineStore

  constructor(
    readonly root: string,
    options: ContentCacheOptions = {}
  ) {
    this.now = options.now ?? Date.now
    this.index = new ObjectIndex(root)
    this.quarantineStore = new QuarantineStore(join(root, 'quarantine'))
    this.space = new CacheSpace(root, this.index, this.locks, { ...options, now: this.now })
  }

  /**
   * Indexes what is on disk without trusting any of it: objects stay unverified until a verify call.
   * Partial downloads (`tmp/<sha>.part`) survive for resuming; anything else in tmp/ is debris.
   */
  async open(): Promise<void> {
    await mkdir(this.index.objectsDir, { recursive: true })
    await mkdir(this.index.tempDir, { recursive: true })
    await this.quarantineStore.load(this.now())
    await this.index.rebuild()
    // Files of a quarantined hash are what a crash in the middle of quarantine() leaves behind.
    for (const sha of this.index.hashes()) {
      if (this.isQuarantined(sha)) await this.dropFiles(sha)
    }
    await this.space.open()
  }

  /** Writes what eviction must remember and waits for background file work. Call before exit. */
  async close(): Promise<void> {
    await this.space.close()
    await this.quarantineStore.settle()
  }

  /**
   * The file path of a verified object, or null. The only way from a hash to a path, so nothing
   * outside the cache root can ever be reached through it (the hash must be 64 hex digits).
   */
  pathOf(sha256: string): string | null {
    if (!SHA256.test(sha256) || !this.index.isVerified(sha256)) return null
    return this.index.objectPath(sha256)
  }

  has(sha256: string): boolean {
    return this.pathOf(sha256) !== null
  }

  /** Bytes already downloaded for `sha256` (where an HTTP Range should start), 0 if none. */
  async partialBytes(sha256: string): Promise<number> {
    if (!SHA256.test(sha256)) return 0
    return fileSize(this.index.partPath(sha256))
  }

  /**
   * Streams bytes into tmp/<sha>.part while hashing them (after first re-hashing the kept partial when
   * resuming), fsyncs, checks size and hash, then renames into objects/ atomically: objects/ only ever
   * holds complete, verified files, whatever moment the process dies at.
   *
   * - The source fails (network cut, disk error): the partial is kept and the error rethrown.
   * - The source ends early: the partial is kept, IncompleteDownloadError (unless `endIsFinal`: wrong bytes).
   * - Wrong bytes on a fresh import: the partial is deleted and the hash quarantined (CacheVerificationError).
   * - Wrong bytes on a resumed import: the partial is deleted but not quarantined, since the kept
   *   bytes (torn by a power cut, or from an older file on the server) may be at fault; the next
   *   attempt starts from 0 and is judged on its own.
   * - A quarantined hash: QuarantinedError. An already verified hash: nothing to do.
   *
   * The source is consumed or destroyed in every case. Imports of one hash run one at a time.
   */
  async importStream(expected: ExpectedFile, source: ByteSource, options: ImportOptions = {}): Promise<void> {
    holdErrors(source)
    if (!SHA256.test(expected.sha256)) {
      discard(source)
      throw new CacheVerificationError(`not a sha256: ${JSON.stringify(expected.sha256)}`)
    }
    if (!Number.isSafeInteger(expected.size) || expected.size < 0) {
      discard(source)
      throw new CacheVerificationError(`not a file size: ${JSON.stringify(expected.size)}`)
    }
    await this.locks.run(expected.sha256, async () => {
      const blocked = this.quarantineStore.active(expected.sha256, this.now())
      if (blocked) {
        discard(source)
        throw new QuarantinedError(blocked)
      }
      if (this.index.isVerified(expected.sha256)) {
        discard(source)
        return
      }
      const context = { index: this.index, quarantineStore: this.quarantineStore, now: this.now, dropFiles: (sha: string) => this.dropFiles(sha) }
      await receive(context, expected, source, options)
    })
  }

  /**
   * Imports a local file (bundled content, a technician's USB folder). A short file is wrong, not cut.
   * No quarantine by default: re-reading a disk is cheap, and a technician who replaces a bad file and
   * restarts must see it taken at once.
   */
  async importFile(expected: ExpectedFile, path: string, options: ImportOptions = {}): Promise<void> {
    await this.importStream(expected, createReadStream(path), { quarantineForMs: 0, endIsFinal: true, ...options })
  }

  /**
   * Finishes a partial download that already holds every byte (the process died between its fsync and
   * the rename), without touching the network: true if the object is now verified. A partial with the
   * wrong bytes is discarded (not quarantined) and false returned, so the caller downloads from 0.
   */
  async completePartial(expected: ExpectedFile): Promise<boolean> {
    const sha = expected.sha256
    if (!SHA256.test(sha) || !Number.isSafeInteger(expected.size) || expected.size <= 0) return false
    return this.locks.run(sha, async () => {
      if (this.index.isVerified(sha)) return true
      if (this.quarantineStore.active(sha, this.now())) return false
      return finishPartial(this.index, expected)
    })
  }

  /**
   * Keeps `sha256` out of the cache for `forMs`: records why (durably), deletes its object and
   * partial. Used for bytes that fail verification and for media the screen cannot decode.
   */
  async quarantine(
    sha256: string,
    reason: string,
    options: { forMs?: number; now?: number } = {}
  ): Promise<QuarantineEntry> {
    if (!SHA256.test(sha256)) throw new CacheVerificationError(`not a sha256: ${JSON.stringify(sha256)}`)
    const forMs = options.forMs ?? DEFAULT_QUARANTINE_MS
    const now = options.now ?? this.now()
    return this.locks.run(sha256, async () => {
      const entry: QuarantineEntry = { sha256, reason, at: now, until: now + forMs }
      try {
        await this.quarantineStore.add(entry)
      } finally {
        // Even if the record could not be written (disk full), the bad file must stop being shown.
        await this.dropFiles(sha256)
      }
      return entry
    })
  }

  isQuarantined(sha256: string, now: number = this.now()): boolean {
    return this.quarantineStore.active(sha256, now) !== undefined
  }

  /** Live quarantine entries, oldest first, for status reports. */
  quarantined(now: number = this.now()): QuarantineEntry[] {
    return this.quarantineStore.list(now)
  }

  /**
   * Re-hashes every stored object (a scrub: disks and power cuts corrupt files) and removes any whose
   * bytes no longer match their name. Returns the hashes removed.
   */
  async verifyAll(): Promise<string[]> {
    await this.index.scanObjects()
    return this.verifyEach(this.index.objects().map(([sha]) => sha))
  }

  /**
   * Re-hashes just these objects (at boot, the active manifest's assets, so the screen can start before
   * the whole cache is checked). Hashes not on disk are skipped. Returns the hashes removed as corrupt.
   */
  async verifyOnly(shas: Iterable<string>): Promise<string[]> {
    return this.verifyEach([...new Set(shas)].filter((sha) => SHA256.test(sha)))
  }

  /** Verifies the stored objects no verify call has checked yet (the background half of a fast boot). */
  async verifyRemaining(): Promise<string[]> {
    return this.verifyEach(this.index.objects().flatMap(([sha]) => (this.index.isVerified(sha) ? [] : [sha])))
  }

  /** Makes room for a download under the quota: see CacheSpace.ensureSpace. */
  ensureSpace(bytesNeeded: number, keep: ReadonlySet<string>): Promise<string[]> {
    return this.space.ensureSpace(bytesNeeded, keep)
  }

  stats(): CacheStats {
    return { ...this.index.totals(), quarantinedCount: this.quarantined().length, quotaBytes: this.space.quotaBytes }
  }

  private async verifyEach(shas: string[]): Promise<string[]> {
    const removed: string[] = []
    for (const sha of shas) {
      const outcome = await this.locks.run(sha, () => verifyObject(this.index, sha))
      if (outcome === 'removed') {
        this.space.forget(sha)
        removed.push(sha)
      }
    }
    return removed
  }

  /** Deletes the object and partial of a hash and forgets it. Caller holds the hash's lock. */
  private async dropFiles(sha256: string): Promise<void> {
    await this.index.removeObject(sha256)
    await this.index.removePart(sha256)
    this.space.forget(sha256)
  }
}
