// The upload loop: batches go out in order, failures back off with jitter, nothing is acknowledged unsent.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import { dailyCounts, dailyCountsCsv } from '../../../../main/core/reporting/play-stats'
import { PlayBatch, PlayJournal } from '../../../../main/core/reporting/play-journal'
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

describe('dailyCounts', () => {
  it('counts per local day in the board zone, de-duplicating re-sent records', () => {
    const at = (iso: string): number => Date.parse(iso)
    const records = [
      { id: 'x:1', itemId: 'thong-bao', startedAt: at('2024-03-01T16:59:50Z'), endedAt: at('2024-03-01T17:00:05Z') }, // 23:59:50 local
      { id: 'x:1', itemId: 'thong-bao', startedAt: at('2024-03-01T16:59:50Z'), endedAt: at('2024-03-01T17:00:05Z') }, // re-sent
      { id: 'x:2', itemId: 'thong-bao', startedAt: at('2024-03-01T17:00:00Z'), endedAt: at('2024-03-01T17:00:10Z') }, // 00:00 next day
      { id: 'x:3', itemId: 'phong, "chống" bão', startedAt: at('2024-03-01T03:00:00Z'), endedAt: at('2024-03-01T03:00:30.5Z') },
      { id: 'x:4', itemId: 'thong-bao', startedAt: at('2024-03-01T05:00:00Z'), endedAt: at('2024-03-01T04:59:00Z') } // clock stepped back
    ]
    const rows = dailyCounts(records, 'Asia/Ho_Chi_Minh')
    expect(rows).toEqual([
      { date: '2024-03-01', itemId: 'phong, "chống" bão', plays: 1, seconds: 30.5 },
      { date: '2024-03-01', itemId: 'thong-bao', plays: 2, seconds: 15 },
      { date: '2024-03-02', itemId: 'thong-bao', plays: 1, seconds: 10 }
    ])
    expect(dailyCountsCsv(rows)).toBe(
      'date,itemId,plays,seconds\r\n2024-03-01,"phong, ""chống"" bão",1,30.5\r\n2024-03-01,"thong-bao",2,15\r\n2024-03-02,"thong-bao",1,10\r\n'
    )
  })
})
