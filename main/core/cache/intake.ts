// How bytes become cache objects: streamed into tmp/<sha>.part while hashed (resuming a kept prefix),
// fsynced, checked, then renamed into objects/; and how stored objects are verified again later.
import { createHash, type Hash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { type FileHandle, mkdir, open, rename, stat } from 'node:fs/promises'
import { dirname } from 'node:path'
import { fsyncDir } from '../fs-atomic'
import { CacheVerificationError, IncompleteDownloadError } from './cache-errors'
import { fileSize, type ObjectIndex } from './object-index'
import type { QuarantineEntry, QuarantineStore } from './quarantine-store'

/** How long a hash whose bytes failed verification is refused, unless the caller says otherwise. */
export const DEFAULT_QUARANTINE_MS = 10 * 60_000

export interface ExpectedFile {
  sha256: string
  size: number
}

/** Anything yielding the bytes: a Node Readable, a fetch body, an async generator. */
export type ByteSource = AsyncIterable<Uint8Array | string>

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

export interface IntakeContext {
  index: ObjectIndex
  quarantineStore: QuarantineStore
  now(): number
  /** Deletes the object and partial of a hash and forgets it (the caller holds the hash's lock). */
  dropFiles(sha256: string): Promise<void>
}

/** The body of an import, run under the hash's lock once it is known not to be quarantined or cached. */
export async function receive(ctx: IntakeContext, expected: ExpectedFile, source: ByteSource, options: ImportOptions): Promise<void> {
  const { index } = ctx
  const sha = expected.sha256
  const part = index.partPath(sha)
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
  index.setPart(sha, received)
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
        index.setPart(sha, received)
      }
    } else {
      discard(source)
    }
    await handle.sync()
  } catch (error) {
    // A cut: keep what arrived so the next attempt resumes. Best-effort fsync so it survives a power cut.
    await handle.sync().catch(() => undefined)
    await handle.close().catch(() => undefined)
    await index.refreshPart(sha)
    throw error
  }
  await handle.close()

  if (!tooLong && received < expected.size && !options.endIsFinal) {
    throw new IncompleteDownloadError(sha, received, expected.size)
  }
  const actual = tooLong ? null : hash.digest('hex')
  if (actual !== sha) {
    await index.removePart(sha)
    const got = actual === null ? `more bytes than the expected ${expected.size}` : `${received} bytes sha256 ${actual}`
    const reason = `bytes do not match: expected ${expected.size} bytes sha256 ${sha}, got ${got}`
    if (resumed) {
      throw new CacheVerificationError(`${reason} (resumed at byte ${resumeFrom}; partial discarded, retry from 0)`)
    }
    const forMs = options.quarantineForMs ?? DEFAULT_QUARANTINE_MS
    if (forMs <= 0) throw new CacheVerificationError(reason)
    const now = ctx.now()
    const entry: QuarantineEntry = { sha256: sha, reason, at: now, until: now + forMs }
    // The verification error is what the caller must see; a full disk only costs durability.
    await ctx.quarantineStore.add(entry).catch(() => undefined)
    await ctx.dropFiles(sha)
    throw new CacheVerificationError(`${reason}; quarantined until ${new Date(entry.until).toISOString()}`, entry)
  }
  await adopt(index, sha, part)
}

/**
 * Finishes a partial that already holds every byte (the process died between its fsync and the rename):
 * true if the object is now verified; a partial with the wrong bytes is discarded. Caller holds the lock.
 */
export async function finishPartial(index: ObjectIndex, expected: ExpectedFile): Promise<boolean> {
  const sha = expected.sha256
  const part = index.partPath(sha)
  if ((await fileSize(part)) !== expected.size) return false
  if ((await hashFile(part)) !== sha) {
    await index.removePart(sha)
    return false
  }
  // The process that wrote it may have died before its fsync.
  const handle = await open(part, 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
  await adopt(index, sha, part)
  return true
}

/** Moves a verified partial into objects/: rename is the only way a file enters there. */
async function adopt(index: ObjectIndex, sha256: string, part: string): Promise<void> {
  const target = index.objectPath(sha256)
  const dir = dirname(target)
  // A new prefix directory's own entry must be durable too, or a power cut could lose the object.
  if ((await mkdir(dir, { recursive: true })) !== undefined) await fsyncDir(index.objectsDir)
  await rename(part, target)
  await fsyncDir(dir)
  index.deletePart(sha256)
  const info = await stat(target)
  index.setStored(sha256, { size: info.size, mtimeMs: info.mtimeMs })
  index.markVerified(sha256)
}

/**
 * Re-hashes a stored object (caller holds its lock). One already verified stays available while it is
 * re-hashed; one whose bytes no longer match its name is deleted ('removed').
 */
export async function verifyObject(index: ObjectIndex, sha256: string): Promise<'ok' | 'removed' | 'missing'> {
  if (!index.object(sha256)) return 'missing'
  let actual: string
  try {
    actual = await hashFile(index.objectPath(sha256))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
    index.deleteStored(sha256)
    return 'missing'
  }
  if (actual !== sha256) {
    await index.removeObject(sha256)
    return 'removed'
  }
  index.markVerified(sha256)
  return 'ok'
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
export function holdErrors(source: ByteSource): void {
  const emitter = source as Partial<NodeJS.EventEmitter>
  if (typeof emitter.on === 'function') emitter.on('error', ignoreError)
}

function ignoreError(): void {
  // Delivered through iteration (see holdErrors).
}

/** Releases a source we will not read (an HTTP body left open would hold its socket). */
export function discard(source: ByteSource): void {
  const stream = source as { destroy?: () => void; cancel?: () => Promise<void> }
  try {
    if (typeof stream.destroy === 'function') stream.destroy()
    else if (typeof stream.cancel === 'function') stream.cancel().catch(() => undefined)
    else source[Symbol.asyncIterator]().return?.()?.catch(() => undefined)
  } catch {
    // Nothing more can be done with a source that will not close.
  }
}
