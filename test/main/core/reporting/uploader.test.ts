// The upload loop: batches go out in order, failures back off with jitter, nothing is acknowledged unsent.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import { PlayBatch } from '../../../../main/core/protocol/plays'
import { PlayJournal } from '../../../../main/core/reporting/play-journal'
import { retryDelayMs, startUploader } from '../../../../main/core/reporting/uploader'
import { useTempDirs } from '../../../helpers/temp-dir'

describe('startUploader', () => {
  const tempDir = useTempDirs()

  it('delivers everything over real HTTP despite a flaky server, acknowledging only what was stored', async () => {
    const stored: string[] = []
    let calls = 0
    const server = createServer((request, response) => {
      const chunks: Buffer[] = []
      request.on('data', (c: Buffer) => chunks.push(c))
      request.on('end', () => {
        calls++
        if (calls % 3 === 1) return void response.writeHead(503).end()
        const batch = PlayBatch.parse(JSON.parse(Buffer.concat(chunks).toString()))
        stored.push(...batch.entries.map((e) => e.id))
        response.writeHead(204).end()
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
    const journal = new PlayJournal(await tempDir(), { deviceId: 'b' })
    await journal.open()
    const ids: string[] = []
    for (let n = 0; n < 25; n++) ids.push((await journal.append({ itemId: 'a', programVersion: 'v', startedAt: n, endedAt: n + 5 })).id)
    const uploader = startUploader({
      journal,
      batchSize: 4,
      idleMs: 10,
      retryBaseMs: 1,
      retryMaxMs: 5,
      send: async (batch, signal) => {
        const response = await fetch(url, { method: 'POST', body: JSON.stringify(batch), signal })
        if (!response.ok) throw new Error(`HTTP ${response.status}`)
      }
    })
    while (journal.stats().pendingEntries > 0) await new Promise((r) => setTimeout(r, 10))
    await uploader.stop()
    server.close()
    expect(stored).toEqual(ids)
  })

  it('backs off exponentially up to a cap, with jitter in the upper half', () => {
    expect(retryDelayMs(1, 1000, 60_000, () => 0)).toBe(500)
    expect(retryDelayMs(1, 1000, 60_000, () => 1)).toBe(1000)
    expect(retryDelayMs(4, 1000, 60_000, () => 1)).toBe(8000)
    expect(retryDelayMs(50, 1000, 60_000, () => 0.5)).toBe(45_000)
  })

  it('stops promptly even in the middle of a long backoff', async () => {
    const journal = new PlayJournal(await tempDir(), { deviceId: 'b' })
    await journal.open()
    await journal.append({ itemId: 'a', programVersion: 'v', startedAt: 0, endedAt: 1 })
    let sends = 0
    const uploader = startUploader({ journal, retryBaseMs: 60_000, send: () => (sends++, Promise.reject(new Error('offline'))) })
    // Stopped once the first send has failed and the minute-long backoff has begun.
    await expect.poll(() => sends).toBe(1)
    await uploader.stop()
    expect(sends).toBe(1)
    expect(journal.stats().pendingEntries).toBe(1)
  })
})
