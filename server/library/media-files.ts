// The content-addressed media folder: every file the server may send a board, named by its sha256.
//
// Layout (every writer under DATA/media keeps it; server/store may write here too, through this module):
//   DATA/media/ab/abcdef0123…   a complete file whose sha256 is abcdef0123… (64 lowercase hex digits), in the
//                               folder named by its first two digits. Never rewritten: same name, same bytes.
//   DATA/media/.tmp-<random>    a file being written. Never read, never served; a file of this name is swept
//                               at start (sweepMediaTemp), when no writer is running.
// Why a final name only ever holds complete bytes: the writer streams into a temp file in DATA/media (the
// same file system, so the rename is atomic), hashes as it goes, fsyncs the file, renames it to its sha256
// and fsyncs the folder. A kill at any moment leaves either no final file or a complete one; the database
// row that names a file is written after the rename, so a row never names a missing file.
import { createHash, randomBytes, type Hash } from 'node:crypto'
import { mkdir, open, readdir, rename, rm, stat, type FileHandle } from 'node:fs/promises'
import { join } from 'node:path'

const SHA256 = /^[0-9a-f]{64}$/
const TEMP_PREFIX = '.tmp-'

/** Where the file with this sha256 lives (whether or not it exists yet). */
export function mediaPath(root: string, sha256: string): string {
  if (!SHA256.test(sha256)) throw new Error(`not a lowercase sha256: ${sha256}`)
  return join(root, sha256.slice(0, 2), sha256)
}

export async function hasMedia(root: string, sha256: string): Promise<boolean> {
  const info = await stat(mediaPath(root, sha256)).catch(() => null)
  return info?.isFile() ?? false
}

/** Removes temp files a killed writer left. Call at start, before any writer runs; returns how many. */
export async function sweepMediaTemp(root: string): Promise<number> {
  await mkdir(root, { recursive: true })
  let swept = 0
  for (const name of await readdir(root)) {
    if (!name.startsWith(TEMP_PREFIX)) continue
    await rm(join(root, name), { force: true })
    swept++
  }
  return swept
}

export interface StoredMedia {
  sha256: string
  size: number
  /** The final path. */
  path: string
  /** True when the same bytes were already stored (the new copy was dropped). */
  existed: boolean
}

/**
 * One file being written: `write` chunks, then `finish` (hash known, bytes on disk, still under the temp
 * name, where a caller may examine it: ffprobe), then `commit` (renamed into place) or `abort`.
 */
export class MediaTemp {
  private readonly hash: Hash = createHash('sha256')
  private bytes = 0
  private done: { sha256: string; size: number } | null = null
  private closed = false

  private constructor(
    private readonly root: string,
    readonly tempPath: string,
    private readonly handle: FileHandle
  ) {}

  static async create(root: string): Promise<MediaTemp> {
    await mkdir(root, { recursive: true })
    const tempPath = join(root, `${TEMP_PREFIX}${randomBytes(12).toString('hex')}`)
    // 'wx': a name collision is an error, never a shared file.
    return new MediaTemp(root, tempPath, await open(tempPath, 'wx', 0o640))
  }

  get size(): number {
    return this.bytes
  }

  async write(chunk: Uint8Array): Promise<void> {
    if (this.done || this.closed) throw new Error('media temp file already finished')
    this.hash.update(chunk)
    this.bytes += chunk.byteLength
    let at = 0
    while (at < chunk.byteLength) {
      const { bytesWritten } = await this.handle.write(chunk, at, chunk.byteLength - at)
      at += bytesWritten
    }
  }

  /** Flushes the bytes to disk and closes the temp file; the hash is known from here on. */
  async finish(): Promise<{ sha256: string; size: number }> {
    if (this.done) return this.done
    await this.handle.sync()
    await this.handle.close()
    this.closed = true
    this.done = { sha256: this.hash.digest('hex'), size: this.bytes }
    return this.done
  }

  /** Gives the file its final name (or drops it when those bytes are already stored). */
  async commit(): Promise<StoredMedia> {
    const { sha256, size } = await this.finish()
    const path = mediaPath(this.root, sha256)
    const folder = join(this.root, sha256.slice(0, 2))
    await mkdir(folder, { recursive: true })
    const existing = await stat(path).catch(() => null)
    if (existing?.isFile()) {
      await rm(this.tempPath, { force: true })
      return { sha256, size, path, existed: true }
    }
    await rename(this.tempPath, path)
    await syncFolder(folder)
    return { sha256, size, path, existed: false }
  }

  /** Drops the temp file (a refused upload, a client gone). Safe to call more than once. */
  async abort(): Promise<void> {
    if (!this.closed) {
      this.closed = true
      await this.handle.close().catch(() => undefined)
    }
    await rm(this.tempPath, { force: true })
  }
}

/** Stores a whole stream (no checks): for writers that only need the layout (screenshots, bundles). */
export async function storeMediaStream(root: string, source: AsyncIterable<Uint8Array>): Promise<StoredMedia> {
  const temp = await MediaTemp.create(root)
  try {
    for await (const chunk of source) await temp.write(chunk)
    return await temp.commit()
  } catch (error) {
    await temp.abort()
    throw error
  }
}

/** Makes a rename in `folder` durable (a power cut after the rename must not lose the name). */
async function syncFolder(folder: string): Promise<void> {
  let handle: FileHandle | null = null
  try {
    handle = await open(folder, 'r')
    await handle.sync()
  } catch (error) {
    // Windows cannot open or fsync a folder; there the rename's durability is the file system's.
    const code = (error as NodeJS.ErrnoException).code
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EACCES') throw error
  } finally {
    await handle?.close()
  }
}
