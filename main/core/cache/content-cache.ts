// Content-addressed media cache: files live under their sha256, are hashed while written, and are
// only ever handed out after their bytes have been verified. Downloads resume; bad hashes back off.
import { createHash, type Hash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { type FileHandle, mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fsyncDir } from '../fs-atomic'
import { KeyedLock } from './keyed-lock'
import { type QuarantineEntry, QuarantineStore } from './quarantine-store'
import { UsageLog } from './usage-log'

export type { QuarantineEntry } from './quarantine-store'

// On disk under root: objects/<2 hex>/<sha256> (complete files, entered only by rename), tmp/<sha256>.part
// (resumable partial downloads), quarantine/<sha256>.json and usage.json.
const SHA256 = /^[0-9a-f]{64}$/
const PART_FILE = /^([0-9a-f]{64})\.part$/
const PREFIX_DIR = /^[0-9a-f]{2}$/

/** How long a hash whose bytes failed verification is refused, unless the caller says otherwise. */
export const DEFAULT_QUARANTINE_MS = 10 * 60_000
/** Least time between two best-effort writes of usage.json. */
export const USAGE_WRITE_INTERVAL_MS = 60_000

export interface ExpectedFile {
  sha256: string
  size: number
}

/** Anything yielding the bytes: a Node Readable, a fetch body, an async generator. */
export type ByteSource = AsyncIterable<Uint8Array | string>

export interface ContentCacheOptions {
  /** Most bytes the cache may hold on disk (objects plus partial downloads). Default: unlimited. */
  quotaBytes?: number
  /** Wall clock for quarantine stamps (tests pass a fake one). */
  now?: () => number
  /** Least time between usage.json writes; tests shorten it. */
  usageWriteIntervalMs?: number
}

export interface ImportOptions {
  /**
   * How many bytes of tmp/<sha>.part `source` continues from (the start of the HTTP Range that was
   * asked for). Used only when it equals the partial's size; otherwise the import starts from 0.
   */
  resumeFrom?: number
  /** How long a fresh import with the wrong bytes blocks this hash; 0 disables. Default 10 minutes. */
  quarantineForMs?: number
  /**
   * The source's end is the file's end (a local file; an HTTP body whose headers say it runs to the
   * last byte), so ending early means the bytes are wrong, not that the transfer was cut.
   */
  endIsFinal?: boolean
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
  quotaBytes: number
}

/** The bytes are wrong: the hash or size does not match, or the name is not a sha256. */
export class CacheVerificationError extends Error {
  override name = 'CacheVerificationError'
  constructor(
    message: string,
    /** The quarantine this failure started, or null (a resumed import, or quarantine disabled). */
    readonly quarantine: QuarantineEntry | null = null
  ) {
    super(message)
  }
}

/** The source ended cleanly before all bytes arrived. The partial is kept for a resume. */
export class IncompleteDownloadError extends Error {
  override name = 'IncompleteDownloadError'
  constructor(
    readonly sha256: string,
    readonly receivedBytes: number,
    readonly expectedBytes: number
  ) {
    super(`download of ${sha256} ended after ${receivedBytes} of ${expectedBytes} bytes; the partial is kept for a resume`)
  }
}

/** The hash is in quarantine: fetching it again is pointless until `entry.until`. */
export class QuarantinedError extends Error {
  override name = 'QuarantinedError'
  constructor(readonly entry: QuarantineEntry) {
    super(`${entry.sha256} is quarantined until ${new Date(entry.until).toISOString()}: ${entry.reason}`)
  }
}

/** Even after evicting everything not kept, the new bytes would not fit under the quota. */
export class QuotaExceededError extends Error {
  override name = 'QuotaExceededError'
  constructor(
    readonly neededBytes: number,
    readonly availableBytes: number,
    readonly quotaBytes: number
  ) {
    super(
      `cache quota exceeded: ${neededBytes} bytes needed but only ${availableBytes} can be made available ` +
        `(quota ${quotaBytes} bytes; the rest is held by content still in use)`
    )
  }
}

interface StoredObject {
  size: number
  mtimeMs: number
}

interface EvictionCandidate {
  sha256: string
  kind: 'object' | 'part'
  bytes: number
}

export class ContentCache {
  private readonly objectsDir: string
  private readonly tempDir: string
  private readonly quotaBytes: number
  private readonly now: () => number
  private readonly locks = new KeyedLock()
  /** ensureSpace calls run one at a time, so two of them cannot both count the same free bytes. */
  private readonly spaceLock = new KeyedLock()
  private readonly quarantineStore: QuarantineStore
  private readonly usage: UsageLog
  /** Every well-named object file on disk, verified or not. */
  private readonly stored = new Map<string, StoredObject>()
  private storedBytes = 0
  /** Hashes whose bytes were verified in this process (at import or by a verify call). */
  private readonly verified = new Set<string>()
  private verifiedBytes = 0
  /** Sizes of tmp/<sha>.part files, kept current while a download writes. */
  private readonly partSizes = new Map<string, number>()

  constructor(
    readonly root: string,
    options: ContentCacheOptions = {}
  ) {
    const quota = options.quotaBytes ?? Number.POSITIVE_INFINITY
    if (!(quota >= 0)) throw new RangeError(`quotaBytes must be a non-negative number, got ${quota}`)
    this.quotaBytes = quota
    this.now = options.now ?? Date.now
    this.objectsDir = join(root, 'objects')
    this.tempDir = join(root, 'tmp')
    this.quarantineStore = new QuarantineStore(join(root, 'quarantine'))
    this.usage = new UsageLog(join(root, 'usage.json'), options.usageWriteIntervalMs ?? USAGE_WRITE_INTERVAL_MS)
  }

  /**
   * Indexes what is on disk without trusting any of it: objects stay unverified until a verify call.
   * Partial downloads (`tmp/<sha>.part`) survive for resuming; anything else in tmp/ is debris.
   */
  async open(): Promise<void> {
    this.usage.stop()
    this.stored.clear()
    this.storedBytes = 0
    this.verified.clear()
    this.verifiedBytes = 0
    this.partSizes.clear()
    await mkdir(this.objectsDir, { recursive: true })
    await mkdir(this.tempDir, { recursive: true })
    await this.quarantineStore.load(this.now())
    await this.scanParts()
    await this.scanObjects()
    // Files of a quarantined hash are what a crash in the middle of quarantine() leaves behind.
    for (const sha of [...this.stored.keys(), ...this.partSizes.keys()]) {
      if (this.isQuarantined(sha)) await this.dropFiles(sha)
    }
    await this.usage.load()
    for (const name of await readdir(this.root)) {
      // Temp files of an interrupted usage.json write.
      if (name.startsWith('.usage.json.') && name.endsWith('.tmp')) await rm(join(this.root, name), { force: true })
    }
  }

  /** Writes pending usage order and waits for background file work. Call before exit. */
  async close(): Promise<void> {
    await this.usage.flush().catch(() => undefined)
    this.usage.stop()
    await this.quarantineStore.settle()
  }

  /**
   * The file path of a verified object, or null. The only way from a hash to a path, so nothing
   * outside the cache root can ever be reached through it (the hash must be 64 hex digits).
   */
  pathOf(sha256: string): string | null {
    if (!SHA256.test(sha256) || !this.verified.has(sha256)) return null
    return this.objectPath(sha256)
  }

  has(sha256: string): boolean {
    return this.pathOf(sha256) !== null
  }

  /** Bytes already downloaded for `sha256` (where an HTTP Range should start), 0 if none. */
  async partialBytes(sha256: string): Promise<number> {
    if (!SHA256.test(sha256)) return 0
    return fileSize(this.partPath(sha256))
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
      if (this.verified.has(expected.sha256)) {
        discard(source)
        return
      }
      await this.receive(expected, source, options)
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
      if (this.verified.has(sha)) return true
      if (this.quarantineStore.active(sha, this.now())) return false
      const part = this.partPath(sha)
      if ((await fileSize(part)) !== expected.size) return false
      if ((await hashFile(part)) !== sha) {
        await rm(part, { force: true })
        this.partSizes.delete(sha)
        return false
      }
      // The process that wrote it may have died before its fsync.
      const handle = await open(part, 'r')
      try {
        await handle.sync()
      } finally {
        await handle.close()
      }
      await this.adopt(sha, part)
      return true
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
    await this.scanObjects()
    return this.verifyEach([...this.stored.keys()])
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
    return this.verifyEach([...this.stored.keys()].filter((sha) => !this.verified.has(sha)))
  }

  /** Records that `sha256` was just shown (or is about to be), for least-recently-used eviction. */
  markUsed(sha256: string): void {
    if (SHA256.test(sha256)) this.usage.touch(sha256)
  }

  /** Writes the usage order now (otherwise it is written at most once a minute). */
  async flushUsage(): Promise<void> {
    await this.usage.flush()
  }

  /**
   * Makes room for `bytesNeeded` more bytes under the quota (for a resumed download: what is still
   * missing). Deletes, in order, partial downloads not in `keep`, objects never used (oldest file
   * first), then objects least recently used, stopping as soon as it fits. Hashes in `keep` and files
   * busy in another operation are never touched. Returns the evicted hashes. Throws
   * QuotaExceededError, having deleted nothing, when even all of that would not be enough.
   */
  async ensureSpace(bytesNeeded: number, keep: ReadonlySet<string>): Promise<string[]> {
    if (!(bytesNeeded >= 0)) throw new RangeError(`bytesNeeded must be a non-negative number, got ${bytesNeeded}`)
    return this.spaceLock.run('space', async () => {
      const evicted: string[] = []
      // A candidate can turn busy while we delete earlier ones; then choose again (bounded).
      for (let round = 0; round < 8; round++) {
        const inUse = this.bytesInUse()
        if (inUse + bytesNeeded <= this.quotaBytes) return evicted
        const chosen: EvictionCandidate[] = []
        let freed = 0
        for (const candidate of this.evictionOrder(keep)) {
          if (inUse - freed + bytesNeeded <= this.quotaBytes) break
          chosen.push(candidate)
          freed += candidate.bytes
        }
        if (inUse - freed + bytesNeeded > this.quotaBytes) {
          throw new QuotaExceededError(bytesNeeded, Math.max(0, this.quotaBytes - inUse + freed), this.quotaBytes)
        }
        for (const candidate of chosen) {
          if (await this.evict(candidate)) evicted.push(candidate.sha256)
        }
      }
      if (this.bytesInUse() + bytesNeeded <= this.quotaBytes) return evicted
      throw new QuotaExceededError(bytesNeeded, Math.max(0, this.quotaBytes - this.bytesInUse()), this.quotaBytes)
    })
  }

  /** Deletes every object and partial not in `keep` (when a manifest is retired). Returns their hashes. */
  async evictUnreferenced(keep: ReadonlySet<string>): Promise<string[]> {
    return this.spaceLock.run('space', async () => {
      const evicted = new Set<string>()
      for (const candidate of this.evictionOrder(keep)) {
        if (await this.evict(candidate)) evicted.add(candidate.sha256)
      }
      return [...evicted]
    })
  }

  /** Total bytes of verified objects. */
  size(): number {
    return this.verifiedBytes
  }

  stats(): CacheStats {
    let partialBytes = 0
    for (const bytes of this.partSizes.values()) partialBytes += bytes
    return {
      verifiedBytes: this.verifiedBytes,
      verifiedCount: this.verified.size,
      storedBytes: this.storedBytes,
      storedCount: this.stored.size,
      partialBytes,
      quarantinedCount: this.quarantined().length,
      quotaBytes: this.quotaBytes
    }
  }

  private async receive(expected: ExpectedFile, source: ByteSource, options: ImportOptions): Promise<void> {
    const sha = expected.sha256
    const part = this.partPath(sha)
    const resumeFrom = options.resumeFrom ?? 0
    let hash = createHash('sha256')
    let received = 0
    let resumed = false
    let handle: FileHandle
    try {
      if (resumeFrom > 0 && resumeFrom === (await fileSize(part))) {
        received = await hashPrefix(part, resumeFrom, hash)
        resumed = received === resumeFrom
        if (!resumed) {
          hash = createHash('sha256')
          received = 0
        }
      }
      // 'a' appends to the prefix just re-hashed; 'w' truncates a partial we cannot continue.
      handle = await open(part, resumed ? 'a' : 'w', 0o644)
    } catch (error) {
      discard(source)
      throw error
    }
    this.partSizes.set(sha, received)
    let tooLong = received > expected.size
    try {
      if (!tooLong) {
        for await (const chunk of source) {
          const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk
          if (received + bytes.length > expected.size) {
            tooLong = true
            break
          }
          hash.update(bytes)
          await writeAll(handle, bytes)
          received += bytes.length
          this.partSizes.set(sha, received)
        }
      } else {
        discard(source)
      }
      await handle.sync()
    } catch (error) {
      // A cut: keep what arrived so the next attempt resumes. Best-effort fsync so it survives a power cut.
      await handle.sync().catch(() => undefined)
      await handle.close().catch(() => undefined)
      await this.refreshPart(sha)
      throw error
    }
    await handle.close()

    if (!tooLong && received < expected.size && !options.endIsFinal) {
      throw new IncompleteDownloadError(sha, received, expected.size)
    }
    const actual = tooLong ? null : hash.digest('hex')
    if (actual !== sha) {
      await rm(part, { force: true })
      this.partSizes.delete(sha)
      const got = actual === null ? `more bytes than the expected ${expected.size}` : `${received} bytes sha256 ${actual}`
      const reason = `bytes do not match: expected ${expected.size} bytes sha256 ${sha}, got ${got}`
      if (resumed) {
        throw new CacheVerificationError(`${reason} (resumed at byte ${resumeFrom}; partial discarded, retry from 0)`)
      }
      const forMs = options.quarantineForMs ?? DEFAULT_QUARANTINE_MS
      if (forMs <= 0) throw new CacheVerificationError(reason)
      const now = this.now()
      const entry: QuarantineEntry = { sha256: sha, reason, at: now, until: now + forMs }
      // The verification error is what the caller must see; a full disk only costs durability.
      await this.quarantineStore.add(entry).catch(() => undefined)
      await this.dropFiles(sha)
      throw new CacheVerificationError(`${reason}; quarantined until ${new Date(entry.until).toISOString()}`, entry)
    }
    await this.adopt(sha, part)
  }

  /** Moves a verified partial into objects/: rename is the only way a file enters there. */
  private async adopt(sha256: string, part: string): Promise<void> {
    const target = this.objectPath(sha256)
    const dir = dirname(target)
    // A new prefix directory's own entry must be durable too, or a power cut could lose the object.
    if ((await mkdir(dir, { recursive: true })) !== undefined) await fsyncDir(this.objectsDir)
    await rename(part, target)
    await fsyncDir(dir)
    this.partSizes.delete(sha256)
    const info = await stat(target)
    this.setStored(sha256, { size: info.size, mtimeMs: info.mtimeMs })
    this.verified.add(sha256)
    this.verifiedBytes += info.size
  }

  private async verifyEach(shas: string[]): Promise<string[]> {
    const removed: string[] = []
    for (const sha of shas) {
      const outcome = await this.locks.run(sha, () => this.verifyObject(sha))
      if (outcome === 'removed') removed.push(sha)
    }
    return removed
  }

  /** A scrub of an object already verified keeps it available while it is being re-hashed. */
  private async verifyObject(sha256: string): Promise<'ok' | 'removed' | 'missing'> {
    if (!this.stored.has(sha256)) return 'missing'
    let actual: string
    try {
      actual = await hashFile(this.objectPath(sha256))
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
      this.deleteStored(sha256)
      return 'missing'
    }
    if (actual !== sha256) {
      await rm(this.objectPath(sha256), { force: true, recursive: true })
      this.deleteStored(sha256)
      this.usage.forget(sha256)
      return 'removed'
    }
    const entry = this.stored.get(sha256)
    if (entry && !this.verified.has(sha256)) {
      this.verified.add(sha256)
      this.verifiedBytes += entry.size
    }
    return 'ok'
  }

  /** Disk in use: every object (verified or not) plus partial downloads. */
  private bytesInUse(): number {
    let total = this.storedBytes
    for (const bytes of this.partSizes.values()) total += bytes
    return total
  }

  private evictionOrder(keep: ReadonlySet<string>): EvictionCandidate[] {
    const evictable = (sha: string): boolean => !keep.has(sha) && !this.locks.isBusy(sha)
    // A partial not in `keep` belongs to content that is no longer wanted: it can never be shown.
    const parts: EvictionCandidate[] = [...this.partSizes]
      .filter(([sha]) => evictable(sha))
      .map(([sha256, bytes]) => ({ sha256, kind: 'part', bytes }))
    const objects = [...this.stored]
      .filter(([sha]) => evictable(sha))
      .map(([sha256, object]) => ({ sha256, object, rank: this.usage.rank(sha256) }))
      .sort((a, b) => {
        if (a.rank === undefined && b.rank === undefined) {
          return a.object.mtimeMs - b.object.mtimeMs || a.sha256.localeCompare(b.sha256)
        }
        if (a.rank === undefined) return -1
        if (b.rank === undefined) return 1
        return a.rank - b.rank
      })
      .map(({ sha256, object }): EvictionCandidate => ({ sha256, kind: 'object', bytes: object.size }))
    return [...parts, ...objects]
  }

  private async evict(candidate: EvictionCandidate): Promise<boolean> {
    if (this.locks.isBusy(candidate.sha256)) return false
    await this.locks.run(candidate.sha256, async () => {
      if (candidate.kind === 'part') {
        await rm(this.partPath(candidate.sha256), { force: true })
        this.partSizes.delete(candidate.sha256)
      } else {
        await rm(this.objectPath(candidate.sha256), { force: true, recursive: true })
        this.unverify(candidate.sha256)
        this.deleteStored(candidate.sha256)
        this.usage.forget(candidate.sha256)
      }
    })
    return true
  }

  /** Deletes the object and partial of a hash and forgets it. Caller holds the hash's lock. */
  private async dropFiles(sha256: string): Promise<void> {
    await rm(this.objectPath(sha256), { force: true, recursive: true })
    await rm(this.partPath(sha256), { force: true })
    this.unverify(sha256)
    this.deleteStored(sha256)
    this.partSizes.delete(sha256)
    this.usage.forget(sha256)
  }

  /** Re-reads a partial's size after a failed write; an empty partial is not worth keeping. */
  private async refreshPart(sha256: string): Promise<void> {
    const bytes = await fileSize(this.partPath(sha256))
    if (bytes > 0) {
      this.partSizes.set(sha256, bytes)
    } else {
      await rm(this.partPath(sha256), { force: true })
      this.partSizes.delete(sha256)
    }
  }

  private async scanParts(): Promise<void> {
    for (const entry of await readdir(this.tempDir, { withFileTypes: true })) {
      const path = join(this.tempDir, entry.name)
      const sha = PART_FILE.exec(entry.name)?.[1]
      if (sha !== undefined && entry.isFile()) this.partSizes.set(sha, await fileSize(path))
      else await rm(path, { recursive: true, force: true })
    }
  }

  /** Adds every well-named object file to the index (unverified) and deletes anything else in objects/. */
  private async scanObjects(): Promise<void> {
    for (const prefix of await readdir(this.objectsDir, { withFileTypes: true })) {
      const prefixPath = join(this.objectsDir, prefix.name)
      if (!prefix.isDirectory() || !PREFIX_DIR.test(prefix.name)) {
        await rm(prefixPath, { recursive: true, force: true })
        continue
      }
      for (const entry of await readdir(prefixPath, { withFileTypes: true })) {
        const path = join(prefixPath, entry.name)
        if (!entry.isFile() || !SHA256.test(entry.name) || !entry.name.startsWith(prefix.name)) {
          await rm(path, { recursive: true, force: true })
          continue
        }
        if (this.stored.has(entry.name)) continue
        try {
          const info = await stat(path)
          this.setStored(entry.name, { size: info.size, mtimeMs: info.mtimeMs })
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
        }
      }
    }
  }

  private setStored(sha256: string, object: StoredObject): void {
    this.deleteStored(sha256)
    this.stored.set(sha256, object)
    this.storedBytes += object.size
  }

  private deleteStored(sha256: string): void {
    const previous = this.stored.get(sha256)
    if (!previous) return
    this.unverify(sha256)
    this.stored.delete(sha256)
    this.storedBytes -= previous.size
  }

  private unverify(sha256: string): void {
    if (!this.verified.delete(sha256)) return
    this.verifiedBytes -= this.stored.get(sha256)?.size ?? 0
  }

  private objectPath(sha256: string): string {
    return join(this.objectsDir, sha256.slice(0, 2), sha256)
  }

  private partPath(sha256: string): string {
    return join(this.tempDir, `${sha256}.part`)
  }
}

export async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

/** Feeds the first `bytes` bytes of `path` into `hash`; returns how many there were. */
async function hashPrefix(path: string, bytes: number, hash: Hash): Promise<number> {
  let read = 0
  for await (const chunk of createReadStream(path, { start: 0, end: bytes - 1 })) {
    hash.update(chunk as Buffer)
    read += (chunk as Buffer).length
  }
  return read
}

async function fileSize(path: string): Promise<number> {
  try {
    return (await stat(path)).size
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0
    throw error
  }
}

async function writeAll(handle: FileHandle, bytes: Uint8Array): Promise<void> {
  let offset = 0
  while (offset < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, offset, bytes.length - offset)
    offset += bytesWritten
  }
}

/**
 * A Node stream can fail before we read it (a file that does not open, while the import waits for its
 * hash's turn); an 'error' event with no listener would escape as an uncaught exception and end the
 * process. The error is not lost: reading a stream that failed rethrows it (`stream.errored`).
 */
function holdErrors(source: ByteSource): void {
  const emitter = source as Partial<NodeJS.EventEmitter>
  if (typeof emitter.on === 'function') emitter.on('error', ignoreError)
}

function ignoreError(): void {
  // Delivered through iteration (see holdErrors).
}

/** Releases a source we will not read (an HTTP body left open would hold its socket). */
function discard(source: ByteSource): void {
  const stream = source as { destroy?: () => void; cancel?: () => Promise<void> }
  try {
    if (typeof stream.destroy === 'function') stream.destroy()
    else if (typeof stream.cancel === 'function') stream.cancel().catch(() => undefined)
    else source[Symbol.asyncIterator]().return?.()?.catch(() => undefined)
  } catch {
    // Nothing more can be done with a source that will not close.
  }
}
