// A server shedding load says how long to leave it alone (Retry-After); the board's manifest polling and
// its report uploads wait at least that long instead of their own short back-off (issue 12).
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, expect, test } from 'vitest'
import { memoryLogger } from '../../../../main/core/log'
import { PlayJournal } from '../../../../main/core/reporting/play-journal'
import { startUploader } from '../../../../main/core/reporting/uploader'
import { httpRequestJson } from '../../../../main/core/sync/http-request'
import { MAX_RETRY_AFTER_MS } from '../../../../main/core/sync/source-adapter'
import { useTempDirs } from '../../../helpers/temp-dir'
import { startDevice, startServer, type Device } from './sync-fixture'
import type { TestServer } from '../../../../server/testing/test-server'

const tempDir = useTempDirs()
const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function until<T>(probe: () => T | undefined, what: string): Promise<T> {
  for (let waited = 0; waited < 20_000; waited += 20) {
    const value = probe()
    if (value !== undefined) return value
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  throw new Error(`timed out waiting for ${what}`)
}

test('a 503 with Retry-After on the manifest holds the next sync attempt back at least that long (not the 100 ms back-off)', async () => {
  const server: TestServer = await startServer()
  cleanups.push(() => server.close())
  server.faults.failApi = 503
  server.faults.retryAfterSec = 600
  const device: Device = await startDevice(server, await tempDir())
  cleanups.push(() => device.stop())
  const retry = await until(() => device.log.records.find((r) => r.message === 'sync will retry'), 'the sync to schedule its retry')
  expect(retry.fields?.askedByServerMs).toBe(600_000)
  expect(retry.fields?.inMs).toBeGreaterThanOrEqual(600_000)
})

test('a hostile Retry-After of a year is capped, so it cannot park the board', async () => {
  const server: TestServer = await startServer()
  cleanups.push(() => server.close())
  server.faults.failApi = 429
  server.faults.retryAfterSec = 365 * 24 * 3600
  const device: Device = await startDevice(server, await tempDir())
  cleanups.push(() => device.stop())
  const retry = await until(() => device.log.records.find((r) => r.message === 'sync will retry'), 'the sync to schedule its retry')
  expect(retry.fields?.askedByServerMs).toBe(MAX_RETRY_AFTER_MS)
})

test('a report upload answered 429 with Retry-After waits that long before trying again', async () => {
  const http = createServer((_req, res) => res.writeHead(429, { 'retry-after': '120', 'content-type': 'application/json' }).end('{"error":"busy"}'))
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
  cleanups.push(() => new Promise((resolve) => http.close(() => resolve())))
  const url = new URL(`http://127.0.0.1:${(http.address() as AddressInfo).port}/api/v1/reports`)
  const journal = new PlayJournal(await tempDir(), { deviceId: 'b' })
  await journal.open()
  await journal.append({ itemId: 'a', programVersion: 'v', startedAt: 0, endedAt: 5 })
  const log = memoryLogger()
  const uploader = startUploader({
    journal,
    retryBaseMs: 1,
    retryMaxMs: 5,
    log,
    send: (batch, signal) => httpRequestJson('POST', url, { signal, body: batch }).then(() => undefined)
  })
  cleanups.push(() => uploader.stop())
  const warned = await until(() => log.records.find((r) => r.message.includes('upload failed')), 'the upload to fail')
  expect(warned.fields?.delayMs).toBeGreaterThanOrEqual(120_000)
})
