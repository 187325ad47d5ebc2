// Content-addressed media cache: files live under their sha256, are hashed while written, and are
// only ever handed out after their bytes have been verified.
import { createHash, randomBytes } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import type { Readable } from 'node:stream'
import { fsyncDir } from '../fs-atomic'

const SHA256 = /^[0-9a-f]{64}$/

export interface ExpectedFile {
  sha256: string
  size: number
}

export class CacheVerificationError extends Error {
  override name = 'CacheVerificationError'
}

export class ContentCache {
  private readonly objectsDir: string
  private readonly tempDir: string
  /** Hashes whose bytes were verified in this process (at import or by `verifyAll`). */
  private readonly verified = new Set<string>()

  constructor(readonly root: string) {
    this.objectsDir = join(root, 'objects')
    this.tempDir = join(root, 'tmp')
  }

  async open(): Promise<void> {
    await mkdir(this.objectsDir, { recursive: true })
    await rm(this.tempDir, { recursive: true, force: true })
    await mkdir(this.tempDir, { recursive: true })
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

  /**
   * Streams bytes into the cache: to a temp file while hashing, fsync, check size and hash, then an
   * atomic rename. A mismatch deletes the temp file and throws; the cache never holds unverified bytes.
   */
  async importStream(expected: ExpectedFile, source: Readable): Promise<void> {
    if (!SHA256.test(expected.sha256)) throw new CacheVerificationError(`not a sha256: ${JSON.stringify(expected.sha256)}`)
    const temp = join(this.tempDir, `${expected.sha256}.${randomBytes(4).toString('hex')}.part`)
    const hash = createHash('sha256')
    let size = 0
    const handle = await open(temp, 'wx', 0o644)
    try {
      for await (const chunk of source) {
        const bytes = chunk as Buffer
        size += bytes.length
        if (size > expected.size) throw new CacheVerificationError(`more bytes than the expected ${expected.size}`)
        hash.update(bytes)
        await handle.write(bytes)
      }
      await handle.sync()
    } catch (error) {
      await handle.close()
      await rm(temp, { force: true })
      throw error
    }
    await handle.close()
    const actual = hash.digest('hex')
    if (size !== expected.size || actual !== expected.sha256) {
      await rm(temp, { force: true })
      throw new CacheVerificationError(
        `bytes do not match: expected ${expected.size} bytes sha256 ${expected.sha256}, got ${size} bytes sha256 ${actual}`
      )
    }
    const target = this.objectPath(expected.sha256)
    await mkdir(join(target, '..'), { recursive: true })
    await rename(temp, target)
    await fsyncDir(join(target, '..'))
    this.verified.add(expected.sha256)
  }

  async importFile(expected: ExpectedFile, path: string): Promise<void> {
    await this.importStream(expected, createReadStream(path))
  }

  /**
   * Re-hashes every stored object (at boot: disks and power cuts corrupt files) and removes any whose
   * bytes no longer match their name. Returns the hashes removed.
   */
  async verifyAll(): Promise<string[]> {
    const removed: string[] = []
    for (const prefix of await readdir(this.objectsDir)) {
      for (const name of await readdir(join(this.objectsDir, prefix))) {
        const path = join(this.objectsDir, prefix, name)
        if (SHA256.test(name) && name.startsWith(prefix) && (await hashFile(path)) === name) {
          this.verified.add(name)
        } else {
          this.verified.delete(name)
          await rm(path, { force: true, recursive: true })
          removed.push(name)
        }
      }
    }
    return removed
  }

  /** Total bytes of verified objects. */
  async size(): Promise<number> {
    let total = 0
    for (const sha of this.verified) total += (await stat(this.objectPath(sha))).size
    return total
  }

  private objectPath(sha256: string): string {
    return join(this.objectsDir, sha256.slice(0, 2), sha256)
  }
}

export async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}
