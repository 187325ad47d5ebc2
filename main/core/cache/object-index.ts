// The cache's index of its files: complete objects (verified in this process or not yet) and partial
// downloads, with their sizes. Rebuilt from the folders at open, trusting nothing but the names.
import { readdir, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'

// On disk under root: objects/<2 hex>/<sha256> (complete files, entered only by rename) and
// tmp/<sha256>.part (resumable partial downloads).
export const SHA256 = /^[0-9a-f]{64}$/
const PART_FILE = /^([0-9a-f]{64})\.part$/
const PREFIX_DIR = /^[0-9a-f]{2}$/

export interface StoredObject {
  size: number
  mtimeMs: number
}

export class ObjectIndex {
  readonly objectsDir: string
  readonly tempDir: string
  /** Every well-named object file on disk, verified or not. */
  private readonly stored = new Map<string, StoredObject>()
  private storedTotal = 0
  /** Hashes whose bytes were verified in this process (at import or by a verify call). */
  private readonly verified = new Set<string>()
  private verifiedTotal = 0
  /** Sizes of tmp/<sha>.part files, kept current while a download writes. */
  private readonly parts = new Map<string, number>()

  constructor(root: string) {
    this.objectsDir = join(root, 'objects')
    this.tempDir = join(root, 'tmp')
  }

  /** Forgets everything, then indexes the partials (anything else in tmp/ is debris) and the objects. */
  async rebuild(): Promise<void> {
    this.stored.clear()
    this.storedTotal = 0
    this.verified.clear()
    this.verifiedTotal = 0
    this.parts.clear()
    for (const entry of await readdir(this.tempDir, { withFileTypes: true })) {
      const path = join(this.tempDir, entry.name)
      const sha = PART_FILE.exec(entry.name)?.[1]
      if (sha !== undefined && entry.isFile()) this.parts.set(sha, await fileSize(path))
      else await rm(path, { recursive: true, force: true })
    }
    await this.scanObjects()
  }

  /** Adds every well-named object file to the index (unverified) and deletes anything else in objects/. */
  async scanObjects(): Promise<void> {
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

  objectPath(sha256: string): string {
    return join(this.objectsDir, sha256.slice(0, 2), sha256)
  }

  partPath(sha256: string): string {
    return join(this.tempDir, `${sha256}.part`)
  }

  isVerified(sha256: string): boolean {
    return this.verified.has(sha256)
  }

  object(sha256: string): StoredObject | undefined {
    return this.stored.get(sha256)
  }

  objects(): [string, StoredObject][] {
    return [...this.stored]
  }

  partials(): [string, number][] {
    return [...this.parts]
  }

  /** Every hash with a file here, complete or partial. */
  hashes(): Set<string> {
    return new Set([...this.stored.keys(), ...this.parts.keys()])
  }

  setStored(sha256: string, object: StoredObject): void {
    this.deleteStored(sha256)
    this.stored.set(sha256, object)
    this.storedTotal += object.size
  }

  deleteStored(sha256: string): void {
    const previous = this.stored.get(sha256)
    if (!previous) return
    this.unverify(sha256)
    this.stored.delete(sha256)
    this.storedTotal -= previous.size
  }

  markVerified(sha256: string): void {
    const entry = this.stored.get(sha256)
    if (!entry || this.verified.has(sha256)) return
    this.verified.add(sha256)
    this.verifiedTotal += entry.size
  }

  unverify(sha256: string): void {
    if (!this.verified.delete(sha256)) return
    this.verifiedTotal -= this.stored.get(sha256)?.size ?? 0
  }

  setPart(sha256: string, bytes: number): void {
    this.parts.set(sha256, bytes)
  }

  deletePart(sha256: string): void {
    this.parts.delete(sha256)
  }

  /** Re-reads a partial's size after a failed write; an empty partial is not worth keeping. */
  async refreshPart(sha256: string): Promise<void> {
    const bytes = await fileSize(this.partPath(sha256))
    if (bytes > 0) this.parts.set(sha256, bytes)
    else await this.removePart(sha256)
  }

  async removeObject(sha256: string): Promise<void> {
    await rm(this.objectPath(sha256), { force: true, recursive: true })
    this.deleteStored(sha256)
  }

  async removePart(sha256: string): Promise<void> {
    await rm(this.partPath(sha256), { force: true })
    this.parts.delete(sha256)
  }

  totals(): { storedBytes: number; storedCount: number; verifiedBytes: number; verifiedCount: number; partialBytes: number } {
    let partialBytes = 0
    for (const bytes of this.parts.values()) partialBytes += bytes
    return { storedBytes: this.storedTotal, storedCount: this.stored.size, verifiedBytes: this.verifiedTotal, verifiedCount: this.verified.size, partialBytes }
  }

  /** Disk in use: every object (verified or not) plus partial downloads. */
  bytesInUse(): number {
    const totals = this.totals()
    return totals.storedBytes + totals.partialBytes
  }
}

export async function fileSize(path: string): Promise<number> {
  try {
    return (await stat(path)).size
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0
    throw error
  }
}
