// Files the store keeps beside the database: published media in a content-addressed folder
// (DATA/media/ab/abcdef…) and uploads. Written to a temporary name, fsynced, then renamed, so a kill at
// any moment leaves either no file or the whole file under its final name, never a partial one.
import { createHash, randomBytes } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import type { AssetSource } from '../state'

const TMP_PREFIX = '.tmp-'

/** fsync a directory so a rename in it survives a power cut (not only a process kill). */
async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}

/** Writes chunks to `path` atomically; returns the sha256 and size of what was written. With `expectSha256`, bytes hashing to anything else are refused (no file). */
export async function writeAtomically(path: string, chunks: AsyncIterable<Buffer> | Iterable<Buffer>, expectSha256?: string): Promise<{ sha256: string; size: number }> {
  const dir = dirname(path)
  await mkdir(dir, { recursive: true, mode: 0o700 })
  const tmp = join(dir, `${TMP_PREFIX}${randomBytes(8).toString('hex')}`)
  const hash = createHash('sha256')
  let size = 0
  const handle = await open(tmp, 'wx', 0o600)
  try {
    for await (const chunk of chunks) {
      hash.update(chunk)
      size += chunk.length
      await handle.write(chunk)
    }
    await handle.sync()
    const sha256 = hash.digest('hex')
    if (expectSha256 !== undefined && sha256 !== expectSha256) throw new Error(`file for asset ${expectSha256} hashes to ${sha256} (changed while being stored?)`)
    await handle.close()
    await rename(tmp, path)
    await syncDir(dir)
    return { sha256, size }
  } catch (error) {
    await handle.close().catch(() => undefined)
    await rm(tmp, { force: true })
    throw error
  }
}

function chunksOf(source: AssetSource): AsyncIterable<Buffer> | Iterable<Buffer> {
  return source.kind === 'buffer' ? [source.bytes] : (createReadStream(source.path) as AsyncIterable<Buffer>)
}

/** The content-addressed media folder. */
export class MediaFolder {
  constructor(readonly root: string) {}

  pathOf(sha256: string): string {
    return join(this.root, sha256.slice(0, 2), sha256)
  }

  /**
   * Stores a file under its hash, unless it is already there whole. The bytes are hashed as they are
   * copied: a file that changed since it was checked is refused, not stored under a name it does not match.
   */
  async put(sha256: string, source: AssetSource): Promise<{ path: string; size: number }> {
    const path = this.pathOf(sha256)
    const size = source.kind === 'buffer' ? source.bytes.length : source.size
    const existing = await stat(path).catch(() => null)
    if (existing?.isFile() && existing.size === size) return { path, size }
    const written = await writeAtomically(path, chunksOf(source), sha256)
    return { path, size: written.size }
  }
}

/** Removes what a kill left behind: temporary files never renamed to a final name. */
export async function removeLeftovers(root: string): Promise<number> {
  let removed = 0
  const entries = await readdir(root, { withFileTypes: true, recursive: true }).catch(() => [])
  for (const entry of entries) {
    if (!entry.isFile() || !entry.name.includes(TMP_PREFIX)) continue
    await rm(join(entry.parentPath, entry.name), { force: true })
    removed++
  }
  return removed
}
