// Files waiting to go up to the source system (screenshots, log bundles): kept on disk so a power cut
// or a week offline loses nothing but the oldest, bounded per kind, and handed out oldest first.
import { mkdir, readdir, readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { writeFileAtomic } from '../fs-atomic'
import type { Logger } from '../log'
import { UploadMeta } from '../protocol/api'

export interface PendingUpload {
  /** The upload's id: the uploader acknowledges by it. */
  batchId: string
  meta: UploadMeta
  bytes: Buffer
}

export interface OutboxOptions {
  /** How many of each kind are kept; adding one more drops the oldest of that kind. */
  keep: Record<UploadMeta['kind'], number>
  log?: Logger
}

interface Entry {
  seq: number
  meta: UploadMeta
}

// Each upload is two files: `<seq>.bin` (the bytes) and `<seq>.json` (its meta), the meta written
// last, so an entry without its .json is a write cut short and is removed at open.
const SEQ_DIGITS = 12
const name = (seq: number, ext: 'bin' | 'json'): string => `${String(seq).padStart(SEQ_DIGITS, '0')}.${ext}`

export class UploadOutbox {
  private entries: Entry[] = []
  private nextSeq = 1
  private droppedCount = 0
  private queue: Promise<unknown> = Promise.resolve()

  constructor(
    private readonly dir: string,
    private readonly options: OutboxOptions
  ) {}

  async open(): Promise<void> {
    await mkdir(this.dir, { recursive: true })
    const files = await readdir(this.dir)
    const entries: Entry[] = []
    for (const file of files) {
      const match = /^(\d+)\.json$/.exec(file)
      if (!match) continue
      const seq = Number(match[1])
      try {
        const meta = UploadMeta.parse(JSON.parse(await readFile(join(this.dir, file), 'utf8')))
        if (!files.includes(name(seq, 'bin'))) throw new Error('its bytes are missing')
        entries.push({ seq, meta })
      } catch (error) {
        this.options.log?.warn('dropping an unreadable pending upload', { file, reason: (error as Error).message })
        await this.remove(seq)
      }
    }
    entries.sort((a, b) => a.seq - b.seq)
    const known = new Set(entries.map((e) => e.seq))
    // Leftovers: .bin without meta (cut short) and temp files of an interrupted atomic write.
    for (const file of files) {
      const match = /^(\d+)\.bin$/.exec(file)
      if ((match && !known.has(Number(match[1]))) || file.endsWith('.tmp')) await rm(join(this.dir, file), { force: true })
    }
    this.entries = entries
    this.nextSeq = (entries.at(-1)?.seq ?? 0) + 1
  }

  /** Stores a file for upload; the oldest of its kind beyond the bound is dropped. */
  add(meta: UploadMeta, bytes: Buffer): Promise<void> {
    return this.serial(async () => {
      const parsed = UploadMeta.parse(meta)
      const seq = this.nextSeq++
      await writeFileAtomic(join(this.dir, name(seq, 'bin')), bytes)
      await writeFileAtomic(join(this.dir, name(seq, 'json')), JSON.stringify(parsed))
      this.entries.push({ seq, meta: parsed })
      const sameKind = this.entries.filter((e) => e.meta.kind === parsed.kind)
      for (const old of sameKind.slice(0, Math.max(0, sameKind.length - this.options.keep[parsed.kind]))) {
        this.droppedCount++
        this.options.log?.warn('pending upload dropped: too many waiting', { kind: old.meta.kind, id: old.meta.id })
        await this.remove(old.seq)
      }
    })
  }

  /** The oldest pending upload, or null. (`size` is there for the uploader's interface: one file at a time.) */
  async nextBatch(_size?: number): Promise<PendingUpload | null> {
    await this.queue
    const entry = this.entries[0]
    if (!entry) return null
    try {
      return { batchId: entry.meta.id, meta: entry.meta, bytes: await readFile(join(this.dir, name(entry.seq, 'bin'))) }
    } catch (error) {
      // A passing error (EMFILE, EIO) is the uploader's to retry later; only bytes that are gone are dropped.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
      this.options.log?.warn('pending upload lost its bytes; dropped', { id: entry.meta.id })
      this.droppedCount++
      await this.serial(() => this.remove(entry.seq))
      return this.nextBatch()
    }
  }

  /** The server has it: forget it. */
  acknowledge(id: string): Promise<void> {
    return this.serial(async () => {
      for (const entry of this.entries.filter((e) => e.meta.id === id)) await this.remove(entry.seq)
    })
  }

  /** An upload given up on elsewhere (the server refused it for good). */
  countDropped(): void {
    this.droppedCount++
  }

  get pending(): number {
    return this.entries.length
  }

  get dropped(): number {
    return this.droppedCount
  }

  private async remove(seq: number): Promise<void> {
    this.entries = this.entries.filter((e) => e.seq !== seq)
    // The meta goes first: without it the bytes are a leftover that the next open removes.
    await rm(join(this.dir, name(seq, 'json')), { force: true })
    await rm(join(this.dir, name(seq, 'bin')), { force: true })
  }

  private serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task)
    this.queue = run.catch(() => {})
    return run
  }
}
