// Proof-of-play journal: every start/end the screen reports, kept durably on disk until the source
// system acknowledged it (at-least-once across power cuts), in bounded segment files.
import { createHash, randomBytes } from 'node:crypto'
import { mkdir, open, readdir, readFile, rm, type FileHandle } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import { fsyncDir, writeFileAtomic } from '../fs-atomic'
import type { Logger } from '../log'
import { PlayEvent, PlayRecord, type PlayBatch } from '../protocol/plays'

export interface PlayJournalOptions {
  /** Part of every entry id, so ids from different boards never collide on the server. */
  deviceId: string
  log?: Logger
  /** A segment is closed and a new one started past either bound. */
  maxSegmentEntries?: number
  maxSegmentBytes?: number
  /** Bounds for all segment files together; past them the oldest segments are dropped (and counted). */
  maxTotalEntries?: number
  maxTotalBytes?: number
}

export interface JournalStats {
  /** Entries written but not yet acknowledged. */
  pendingEntries: number
  /** Bytes of all segment files (acknowledged entries in a partly acknowledged segment included). */
  diskBytes: number
  segments: number
  /** Unsent entries thrown away because the journal was over its bounds (a long offline spell). */
  droppedEntries: number
  droppedSegments: number
  /** Lines that failed their checksum when the journal was opened (a torn write from a crash). */
  skippedLines: number
  ackedThrough: number
  nextSeq: number
}

interface Segment {
  file: string
  firstSeq: number
  lastSeq: number
  entries: number
  /** Length of the intact part; a failed write may have left junk after it. */
  bytes: number
  /** A write into it failed: it takes no more entries. */
  sealed?: boolean
}

/** What survives restarts besides the segments: who we are, what the server has, what we dropped. */
const JournalState = z.object({
  /** Random per journal: if the folder is ever wiped, new ids cannot collide with ones the server already has. */
  epoch: z.string().regex(/^[0-9a-f]{8,32}$/),
  /** Every entry with seq ≤ this is acknowledged or dropped: its segment can go. */
  ackedThrough: z.number().int().nonnegative(),
  droppedEntries: z.number().int().nonnegative(),
  droppedSegments: z.number().int().nonnegative()
})
type JournalState = z.infer<typeof JournalState>

const STATE_FILE = 'journal.json'
const SEGMENT_NAME = /^seg-(\d{16})\.jsonl$/

const segmentName = (firstSeq: number): string => `seg-${String(firstSeq).padStart(16, '0')}.jsonl`
const checksum = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 12)

/** One line per entry: the record and a checksum of its JSON, so a torn or zero-filled tail is recognised. */
function encodeLine(record: PlayRecord): string {
  const body = JSON.stringify(record)
  return `{"c":"${checksum(body)}","r":${body}}\n`
}

function decodeLine(line: string): PlayRecord | null {
  try {
    const parsed = JSON.parse(line) as { c?: unknown; r?: unknown }
    if (typeof parsed.c !== 'string' || parsed.c !== checksum(JSON.stringify(parsed.r))) return null
    const record = PlayRecord.safeParse(parsed.r)
    return record.success ? record.data : null
  } catch {
    return null
  }
}

/** Valid records of a segment, and the byte offset just after the last valid line (what a torn tail is cut back to). */
function parseSegment(bytes: Buffer): { records: PlayRecord[]; goodBytes: number; badLines: number } {
  const records: PlayRecord[] = []
  let goodBytes = 0
  let badLines = 0
  let start = 0
  while (start < bytes.length) {
    const end = bytes.indexOf(0x0a, start)
    // A last line without its newline was being written when the process died.
    const record = end === -1 ? null : decodeLine(bytes.subarray(start, end).toString('utf8'))
    if (record) {
      records.push(record)
      goodBytes = end + 1
    } else {
      badLines++
    }
    if (end === -1) break
    start = end + 1
  }
  return { records, goodBytes, badLines }
}

export class PlayJournal {
  private readonly options: Required<Omit<PlayJournalOptions, 'log'>> & { log?: Logger }
  private state: JournalState = { epoch: '', ackedThrough: 0, droppedEntries: 0, droppedSegments: 0 }
  private segments: Segment[] = []
  /** The open, last segment that new entries go to; null until the next append starts one. */
  private active: { segment: Segment; handle: FileHandle } | null = null
  private nextSeq = 1
  private skippedLines = 0
  private opened = false
  /** Entries given a seq but not yet written: one write and one fsync cover all of them (group commit). */
  private pending: { line: string; seq: number; resolve(): void; reject(error: unknown): void }[] = []
  private flushing: Promise<unknown> | null = null
  /** Serialises everything that touches the files, so reads never see a half-done rotation or drop. */
  private tail: Promise<unknown> = Promise.resolve()

  constructor(
    private readonly dir: string,
    options: PlayJournalOptions
  ) {
    this.options = {
      maxSegmentEntries: 500,
      maxSegmentBytes: 128 * 1024,
      maxTotalEntries: 50_000,
      maxTotalBytes: 8 * 1024 * 1024,
      ...options
    }
    const o = this.options
    // Dropping whole segments only bounds the total if several segments fit in it.
    if (o.maxTotalBytes < 2 * o.maxSegmentBytes || o.maxTotalEntries < 2 * o.maxSegmentEntries) {
      throw new RangeError('the journal bounds must hold at least two segments')
    }
  }

  /** Reads the segments, cuts off a torn last line and removes what was already acknowledged. */
  async open(): Promise<void> {
    await mkdir(this.dir, { recursive: true })
    this.state = await this.loadState()
    const names = (await readdir(this.dir)).filter((n) => SEGMENT_NAME.test(n)).sort()
    let highest = this.state.ackedThrough
    for (const [index, file] of names.entries()) {
      const path = join(this.dir, file)
      const bytes = await readFile(path)
      const { records, goodBytes, badLines } = parseSegment(bytes)
      const last = index === names.length - 1
      this.skippedLines += badLines
      if (badLines > 0) this.options.log?.warn('proof-of-play journal: skipped damaged lines', { file, badLines })
      // Appends continue in the last segment, so its torn tail must go or the next line would be glued to it.
      if (last && bytes.length !== goodBytes) await this.truncate(path, goodBytes)
      const first = records[0]
      const lastRecord = records.at(-1)
      if (!first || !lastRecord || lastRecord.seq <= this.state.ackedThrough) {
        await rm(path, { force: true })
        continue
      }
      highest = Math.max(highest, lastRecord.seq)
      this.segments.push({
        file,
        firstSeq: first.seq,
        lastSeq: lastRecord.seq,
        entries: records.length,
        bytes: goodBytes
      })
    }
    this.nextSeq = highest + 1
    this.opened = true
  }

  /** Resolves once the entry is on disk and fsync'd; only then may the screen's report be forgotten. */
  append(event: PlayEvent): Promise<PlayRecord> {
    if (!this.opened) return Promise.reject(new Error('the journal is not open'))
    const checked = PlayEvent.safeParse(event)
    if (!checked.success) return Promise.reject(checked.error)
    const seq = this.nextSeq++
    const record: PlayRecord = { ...checked.data, id: `${this.options.deviceId}:${this.state.epoch}:${seq}`, seq }
    return new Promise((resolve, reject) => {
      this.pending.push({ line: encodeLine(record), seq, resolve: () => resolve(record), reject })
      this.scheduleFlush()
    })
  }

  /** Appends that arrive while a flush runs wait for the next one, which then writes them all at once. */
  private scheduleFlush(): void {
    if (this.flushing) return
    this.flushing = this.exclusive(() => this.flush())
      .catch((error: unknown) => this.options.log?.error('proof-of-play journal upkeep failed', { reason: String(error) }))
      .finally(() => {
        this.flushing = null
        if (this.pending.length > 0) this.scheduleFlush()
      })
  }

  /**
   * The oldest unacknowledged entries, at most `max`. Until it is acknowledged the same batch comes back
   * (same id, same entries), so a send that failed or whose answer was lost is simply repeated.
   */
  nextBatch(max: number): Promise<PlayBatch | null> {
    return this.exclusive(async () => {
      const entries: PlayRecord[] = []
      for (const segment of this.segments) {
        if (entries.length >= max) break
        if (segment.lastSeq <= this.state.ackedThrough) continue
        const bytes = await readFile(join(this.dir, segment.file))
        for (const record of parseSegment(bytes.subarray(0, segment.bytes)).records) {
          if (record.seq <= this.state.ackedThrough) continue
          if (entries.length >= max) break
          entries.push(record)
        }
      }
      const first = entries[0]
      const last = entries.at(-1)
      if (!first || !last) return null
      return {
        batchId: `${this.state.epoch}:${first.seq}-${last.seq}`,
        entries,
        dropped: { entries: this.state.droppedEntries, segments: this.state.droppedSegments }
      }
    })
  }

  /** The server has the batch: its entries may go. Unknown or stale ids are ignored (returns false). */
  acknowledge(batchId: string): Promise<boolean> {
    return this.exclusive(async () => {
      const match = /^([0-9a-f]+):(\d+)-(\d+)$/.exec(batchId)
      if (!match || match[1] !== this.state.epoch) return false
      const lastSeq = Number(match[3])
      if (lastSeq <= this.state.ackedThrough || lastSeq >= this.nextSeq) return false
      // The cursor is durable before any file goes: a crash in between leaves files that open() removes.
      await this.saveState({ ...this.state, ackedThrough: lastSeq })
      await this.removeConsumed()
      return true
    })
  }

  stats(): JournalStats {
    const pendingEntries = this.segments.reduce(
      (sum, s) => sum + (s.lastSeq <= this.state.ackedThrough ? 0 : s.entries - Math.max(0, this.state.ackedThrough - s.firstSeq + 1)),
      0
    )
    return {
      pendingEntries,
      diskBytes: this.segments.reduce((sum, s) => sum + s.bytes, 0),
      segments: this.segments.length,
      droppedEntries: this.state.droppedEntries,
      droppedSegments: this.state.droppedSegments,
      skippedLines: this.skippedLines,
      ackedThrough: this.state.ackedThrough,
      nextSeq: this.nextSeq
    }
  }

  async close(): Promise<void> {
    await this.flushing
    await this.exclusive(async () => {
      await this.active?.handle.close()
      this.active = null
      this.opened = false
    })
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.tail.then(work)
    this.tail = run.catch(() => undefined)
    return run
  }

  private async flush(): Promise<void> {
    const batch = this.pending.splice(0)
    if (batch.length === 0) return
    const text = batch.map((p) => p.line).join('')
    try {
      const active = await this.activeSegment(batch[0]?.seq ?? 0)
      await active.handle.write(text)
      await active.handle.sync()
      const segment = active.segment
      segment.entries += batch.length
      segment.bytes += Buffer.byteLength(text)
      segment.lastSeq = batch.at(-1)?.seq ?? segment.lastSeq
      for (const p of batch) p.resolve()
    } catch (error) {
      // The segment may now end in a partial line: start a fresh one rather than append after it.
      if (this.active) this.active.segment.sealed = true
      await this.active?.handle.close().catch(() => undefined)
      this.active = null
      for (const p of batch) p.reject(error)
      return
    }
    const { segment } = this.active ?? {}
    if (segment && (segment.entries >= this.options.maxSegmentEntries || segment.bytes >= this.options.maxSegmentBytes)) {
      await this.active?.handle.close()
      this.active = null
    }
    await this.enforceBounds()
  }

  private async activeSegment(firstSeq: number): Promise<{ segment: Segment; handle: FileHandle }> {
    if (this.active) return this.active
    const last = this.segments.at(-1)
    // After a restart the last segment takes more entries if it has room.
    if (last && !last.sealed && last.entries < this.options.maxSegmentEntries && last.bytes < this.options.maxSegmentBytes) {
      this.active = { segment: last, handle: await open(join(this.dir, last.file), 'a') }
      return this.active
    }
    const segment: Segment = { file: segmentName(firstSeq), firstSeq, lastSeq: firstSeq - 1, entries: 0, bytes: 0 }
    const handle = await open(join(this.dir, segment.file), 'a', 0o600)
    // The new name must survive a power cut too, not only the bytes in it.
    await fsyncDir(this.dir)
    this.segments.push(segment)
    this.active = { segment, handle }
    return this.active
  }

  /** Over the bounds: the oldest segments go, whatever was unsent in them is counted as dropped. */
  private async enforceBounds(): Promise<void> {
    const { maxTotalBytes, maxTotalEntries } = this.options
    const total = () => this.segments.reduce((sum, s) => ({ bytes: sum.bytes + s.bytes, entries: sum.entries + s.entries }), { bytes: 0, entries: 0 })
    let { bytes, entries } = total()
    let next = { ...this.state }
    const doomed: Segment[] = []
    for (const segment of this.segments) {
      if (bytes <= maxTotalBytes && entries <= maxTotalEntries) break
      if (segment === this.active?.segment) break
      const unsent = segment.lastSeq <= next.ackedThrough ? 0 : segment.entries - Math.max(0, next.ackedThrough - segment.firstSeq + 1)
      next = {
        ...next,
        ackedThrough: Math.max(next.ackedThrough, segment.lastSeq),
        droppedEntries: next.droppedEntries + unsent,
        droppedSegments: next.droppedSegments + (unsent > 0 ? 1 : 0)
      }
      doomed.push(segment)
      bytes -= segment.bytes
      entries -= segment.entries
    }
    if (doomed.length === 0) return
    this.options.log?.warn('proof-of-play journal over its bounds: dropped the oldest unsent plays', {
      droppedEntries: next.droppedEntries - this.state.droppedEntries
    })
    await this.saveState(next)
    await this.removeConsumed()
  }

  private async removeConsumed(): Promise<void> {
    const keep: Segment[] = []
    for (const segment of this.segments) {
      if (segment.lastSeq > this.state.ackedThrough) {
        keep.push(segment)
        continue
      }
      if (segment === this.active?.segment) {
        await this.active.handle.close()
        this.active = null
      }
      await rm(join(this.dir, segment.file), { force: true })
    }
    this.segments = keep
  }

  private async truncate(path: string, length: number): Promise<void> {
    const handle = await open(path, 'r+')
    try {
      await handle.truncate(length)
      await handle.sync()
    } finally {
      await handle.close()
    }
  }

  private async loadState(): Promise<JournalState> {
    try {
      return JournalState.parse(JSON.parse(await readFile(join(this.dir, STATE_FILE), 'utf8')))
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        // A new epoch keeps ids unique even though the acknowledged cursor is lost; re-sending is harmless.
        this.options.log?.error('proof-of-play journal state unreadable; starting a new epoch', { reason: String(error) })
      }
      const fresh = { epoch: randomBytes(8).toString('hex'), ackedThrough: 0, droppedEntries: 0, droppedSegments: 0 }
      await writeFileAtomic(join(this.dir, STATE_FILE), JSON.stringify(fresh))
      return fresh
    }
  }

  private async saveState(next: JournalState): Promise<void> {
    await writeFileAtomic(join(this.dir, STATE_FILE), JSON.stringify(next))
    this.state = next
  }
}
