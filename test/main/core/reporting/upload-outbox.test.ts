import { readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { memoryLogger } from '../../../../main/core/log'
import type { UploadMeta } from '../../../../main/core/protocol/api'
import { UploadOutbox } from '../../../../main/core/reporting/upload-outbox'
import { useTempDirs } from '../../../helpers/temp-dir'

const shot = (id: string): Extract<UploadMeta, { kind: 'screenshot' }> => ({ kind: 'screenshot', id, takenAt: '2026-11-22T03:00:00+07:00', contentType: 'image/jpeg', width: 960, height: 540 })
const logs = (id: string): UploadMeta => ({ kind: 'logs', id, takenAt: '2026-11-22T03:00:00+07:00', contentType: 'application/gzip' })

describe('UploadOutbox', () => {
  const tempDir = useTempDirs()

  it('hands uploads out oldest first and forgets one once acknowledged', async () => {
    const outbox = new UploadOutbox(await tempDir(), { keep: { screenshot: 5, logs: 2 } })
    await outbox.open()
    expect(await outbox.nextBatch()).toBeNull()
    await outbox.add(shot('a'), Buffer.from('A'))
    await outbox.add(logs('b'), Buffer.from('B'))
    expect(await outbox.nextBatch()).toMatchObject({ batchId: 'a', bytes: Buffer.from('A'), meta: { kind: 'screenshot' } })
    await outbox.acknowledge('a')
    expect(await outbox.nextBatch()).toMatchObject({ batchId: 'b', bytes: Buffer.from('B') })
    await outbox.acknowledge('b')
    expect(await outbox.nextBatch()).toBeNull()
    expect(outbox.pending).toBe(0)
  })

  it('keeps at most N of a kind, dropping the oldest of that kind only, and counts what it dropped', async () => {
    const log = memoryLogger()
    const dir = await tempDir()
    const outbox = new UploadOutbox(dir, { keep: { screenshot: 3, logs: 1 }, log })
    await outbox.open()
    await outbox.add(logs('l1'), Buffer.from('log'))
    for (let i = 1; i <= 10; i++) await outbox.add(shot(`s${i}`), Buffer.alloc(1000, i))
    expect(outbox.pending).toBe(4)
    expect(outbox.dropped).toBe(7)
    const ids: string[] = []
    for (let next = await outbox.nextBatch(); next; next = await outbox.nextBatch()) {
      ids.push(next.batchId)
      await outbox.acknowledge(next.batchId)
    }
    expect(ids).toEqual(['l1', 's8', 's9', 's10'])
    // Nothing left behind on disk: the bound is on files, not only on the list.
    expect(await readdir(dir)).toEqual([])
    expect(log.records.filter((r) => r.message === 'pending upload dropped: too many waiting')).toHaveLength(7)
  })

  it('survives a restart with its queue and order, and clears what an interrupted write left', async () => {
    const dir = await tempDir()
    const first = new UploadOutbox(dir, { keep: { screenshot: 5, logs: 2 } })
    await first.open()
    await first.add(shot('x'), Buffer.from('X'))
    await first.add(shot('y'), Buffer.from('Y'))
    // A power cut: bytes written but no meta; a temp file of an atomic write; a meta that is garbage.
    await writeFile(join(dir, '000000000099.bin'), 'half')
    await writeFile(join(dir, '.000000000100.json.abc.tmp'), '{')
    await writeFile(join(dir, '000000000101.json'), '{"kind":"screenshot"')
    await writeFile(join(dir, '000000000101.bin'), 'junk')
    const log = memoryLogger()
    const second = new UploadOutbox(dir, { keep: { screenshot: 5, logs: 2 }, log })
    await second.open()
    expect(second.pending).toBe(2)
    expect((await readdir(dir)).sort()).toEqual(['000000000001.bin', '000000000001.json', '000000000002.bin', '000000000002.json'])
    expect(await second.nextBatch()).toMatchObject({ batchId: 'x' })
    await second.add(shot('z'), Buffer.from('Z'))
    await second.acknowledge('x')
    await second.acknowledge('y')
    expect(await second.nextBatch()).toMatchObject({ batchId: 'z', bytes: Buffer.from('Z') })
    expect(log.records.some((r) => r.message === 'dropping an unreadable pending upload')).toBe(true)
  })

  it('keeps an upload whose bytes cannot be read right now (the uploader retries), drops one whose bytes are gone', async () => {
    const { mkdir, rm } = await import('node:fs/promises')
    const dir = await tempDir()
    const outbox = new UploadOutbox(dir, { keep: { screenshot: 5, logs: 2 } })
    await outbox.open()
    await outbox.add(shot('a'), Buffer.from('A'))
    await outbox.add(shot('b'), Buffer.from('B'))
    // A directory where the bytes should be: reading fails with EISDIR, a stand-in for EIO or EMFILE.
    await rm(join(dir, '000000000001.bin'))
    await mkdir(join(dir, '000000000001.bin'))
    await expect(outbox.nextBatch()).rejects.toThrow(/EISDIR/)
    expect(outbox.pending).toBe(2)
    await rm(join(dir, '000000000001.bin'), { recursive: true })
    expect(await outbox.nextBatch()).toMatchObject({ batchId: 'b' })
    expect(outbox).toMatchObject({ pending: 1, dropped: 1 })
  })

  it('refuses meta that is not a protocol upload', async () => {
    const outbox = new UploadOutbox(await tempDir(), { keep: { screenshot: 5, logs: 2 } })
    await outbox.open()
    await expect(outbox.add({ ...shot('../etc'), id: '../etc' }, Buffer.from('x'))).rejects.toThrow()
    await expect(outbox.add({ ...shot('w'), width: 0 }, Buffer.from('x'))).rejects.toThrow()
    expect(outbox.pending).toBe(0)
  })
})
