// Proof-of-play journal: durable appends, re-sendable batches, acknowledgement, torn tails and bounds.
import { appendFile, readdir, readFile, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { PlayBatch, type PlayEvent } from '../../../../main/core/protocol/plays'
import { PlayJournal } from '../../../../main/core/reporting/play-journal'
import { memoryLogger } from '../../../../main/core/log'
import { useTempDirs } from '../../../helpers/temp-dir'

const play = (n: number): PlayEvent => ({ itemId: `item-${n % 3}`, programVersion: 'v7', startedAt: 1_700_000_000_000 + n * 10_000, endedAt: 1_700_000_000_000 + n * 10_000 + 8_000 })

async function segmentFiles(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((name) => name.startsWith('seg-')).sort()
}

describe('PlayJournal', () => {
  const tempDir = useTempDirs()

  it('gives the same batch until it is acknowledged, then the next one', async () => {
    const journal = new PlayJournal(await tempDir(), { deviceId: 'board-1' })
    await journal.open()
    for (let n = 0; n < 5; n++) await journal.append(play(n))
    const first = await journal.nextBatch(3)
    expect(PlayBatch.parse(first)).toEqual(first)
    expect(first?.entries.map((e) => e.itemId)).toEqual(['item-0', 'item-1', 'item-2'])
    expect(await journal.nextBatch(3)).toEqual(first)
    expect(await journal.acknowledge(first!.batchId)).toBe(true)
    expect(await journal.acknowledge(first!.batchId)).toBe(false)
    const second = await journal.nextBatch(3)
    expect(second?.entries.map((e) => e.seq)).toEqual([4, 5])
    await journal.acknowledge(second!.batchId)
    expect(await journal.nextBatch(3)).toBeNull()
    expect(journal.stats()).toMatchObject({ pendingEntries: 0, segments: 0, droppedEntries: 0 })
  })

  it('keeps unacknowledged plays across a restart and never reuses an id', async () => {
    const dir = await tempDir()
    const journal = new PlayJournal(dir, { deviceId: 'board-1' })
    await journal.open()
    const ids = new Set<string>()
    for (let n = 0; n < 4; n++) ids.add((await journal.append(play(n))).id)
    await journal.acknowledge((await journal.nextBatch(4))!.batchId)
    for (let n = 4; n < 6; n++) ids.add((await journal.append(play(n))).id)
    await journal.close()

    const reopened = new PlayJournal(dir, { deviceId: 'board-1' })
    await reopened.open()
    const batch = await reopened.nextBatch(10)
    expect(batch?.entries.map((e) => e.startedAt)).toEqual([play(4).startedAt, play(5).startedAt])
    await reopened.acknowledge(batch!.batchId)
    // Everything acknowledged and its files gone: the sequence still continues from the state file.
    ids.add((await reopened.append(play(6))).id)
    expect(ids.size).toBe(7)
    expect(reopened.stats().nextSeq).toBe(8)
  })

  it('skips a torn last line after a crash and appends cleanly after it', async () => {
    const dir = await tempDir()
    const log = memoryLogger()
    const journal = new PlayJournal(dir, { deviceId: 'board-1', log })
    await journal.open()
    for (let n = 0; n < 3; n++) await journal.append(play(n))
    await journal.close()
    const [file] = await segmentFiles(dir)
    // Half a line, then the zero bytes a power cut can leave at the end of a file.
    await appendFile(join(dir, file!), '{"c":"0123456789ab","r":{"itemId":"item-x","progr' + '\0'.repeat(40))

    const reopened = new PlayJournal(dir, { deviceId: 'board-1', log })
    await reopened.open()
    expect(reopened.stats()).toMatchObject({ skippedLines: 1, pendingEntries: 3 })
    await reopened.append(play(3))
    const batch = await reopened.nextBatch(10)
    expect(batch?.entries.map((e) => e.seq)).toEqual([1, 2, 3, 4])
    const text = await readFile(join(dir, file!), 'utf8')
    expect(text.split('\n').filter(Boolean)).toHaveLength(4)
    expect(log.records.some((r) => r.message.includes('damaged'))).toBe(true)
  })

  it('skips a damaged line in the middle without losing the lines after it', async () => {
    const dir = await tempDir()
    const journal = new PlayJournal(dir, { deviceId: 'board-1' })
    await journal.open()
    for (let n = 0; n < 3; n++) await journal.append(play(n))
    await journal.close()
    const [file] = await segmentFiles(dir)
    const lines = (await readFile(join(dir, file!), 'utf8')).split('\n')
    lines[1] = lines[1]!.replace('item-1', 'item-9') // checksum no longer matches
    await writeFile(join(dir, file!), lines.join('\n'))
    const reopened = new PlayJournal(dir, { deviceId: 'board-1' })
    await reopened.open()
    expect((await reopened.nextBatch(10))?.entries.map((e) => e.seq)).toEqual([1, 3])
    expect(reopened.stats().skippedLines).toBe(1)
  })

  it('stays within its bounds offline by dropping the oldest plays, and says how many', async () => {
    const dir = await tempDir()
    const journal = new PlayJournal(dir, { deviceId: 'board-1', maxSegmentEntries: 10, maxSegmentBytes: 1 << 20, maxTotalEntries: 40, maxTotalBytes: 4 << 20 })
    await journal.open()
    for (let n = 0; n < 205; n++) await journal.append(play(n))
    const stats = journal.stats()
    expect(stats.pendingEntries).toBeLessThanOrEqual(40)
    expect(stats.droppedEntries + stats.pendingEntries).toBe(205)
    expect((await segmentFiles(dir)).length).toBeLessThanOrEqual(4)
    const batch = await journal.nextBatch(1000)
    expect(batch?.entries.at(-1)?.seq).toBe(205) // the newest are the ones kept
    expect(batch?.dropped).toEqual({ entries: stats.droppedEntries, segments: stats.droppedSegments })
    // The count survives a restart, so the report still says so after a power cut.
    await journal.close()
    const reopened = new PlayJournal(dir, { deviceId: 'board-1', maxSegmentEntries: 10, maxSegmentBytes: 1 << 20, maxTotalEntries: 40, maxTotalBytes: 4 << 20 })
    await reopened.open()
    expect(reopened.stats().droppedEntries).toBe(stats.droppedEntries)
  })

  it('bounds bytes as well as entries', async () => {
    const dir = await tempDir()
    const journal = new PlayJournal(dir, { deviceId: 'board-1', maxSegmentEntries: 1000, maxSegmentBytes: 4096, maxTotalEntries: 100_000, maxTotalBytes: 16_384 })
    await journal.open()
    for (let n = 0; n < 500; n++) await journal.append(play(n))
    let bytes = 0
    for (const file of await segmentFiles(dir)) bytes += (await stat(join(dir, file))).size
    expect(bytes).toBeLessThanOrEqual(16_384 + 4096)
    expect(journal.stats().droppedEntries).toBeGreaterThan(0)
  })

  it('writes concurrent appends with one fsync each round, all durable and in order', async () => {
    const dir = await tempDir()
    const journal = new PlayJournal(dir, { deviceId: 'board-1', maxSegmentEntries: 50 })
    await journal.open()
    const records = await Promise.all(Array.from({ length: 300 }, (_, n) => journal.append(play(n))))
    expect(records.map((r) => r.seq)).toEqual(Array.from({ length: 300 }, (_, n) => n + 1))
    await journal.close()
    const reopened = new PlayJournal(dir, { deviceId: 'board-1', maxSegmentEntries: 50 })
    await reopened.open()
    expect(reopened.stats().pendingEntries).toBe(300)
    expect((await reopened.nextBatch(1000))?.entries).toHaveLength(300)
  })

  it('refuses an acknowledgement it did not hand out and a play that is not a play', async () => {
    const journal = new PlayJournal(await tempDir(), { deviceId: 'board-1' })
    await journal.open()
    await journal.append(play(0))
    expect(await journal.acknowledge('ffffffff:1-1')).toBe(false)
    expect(await journal.acknowledge('garbage')).toBe(false)
    await expect(journal.append({ ...play(1), itemId: '' })).rejects.toThrow()
    expect(journal.stats().pendingEntries).toBe(1)
  })
})
