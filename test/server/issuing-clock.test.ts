// A server clock stepped back (an NTP correction on the district server) must not freeze its boards: boards
// refuse documents older than the newest they took, so the server never signs one older than it signed before.
import { afterEach, expect, test } from 'vitest'
import { useTempDirs } from '../helpers/temp-dir'
import { manifestWith, startDevice, startServer, type Device } from '../main/core/sync/sync-fixture'
import type { TestServer } from '../../server/testing/test-server'

const tempDir = useTempDirs()
const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

test('after the server clock goes back an hour, a new publication still reaches the board', async () => {
  let serverClock = Date.now()
  const server: TestServer = await startServer({ now: () => serverClock })
  cleanups.push(() => server.close())
  server.publish(manifestWith('v1', []), new Map())
  const device: Device = await startDevice(server, await tempDir())
  cleanups.push(() => device.stop())
  await expect.poll(() => device.activated.map((m) => m.version), { timeout: 20_000 }).toEqual(['v1'])

  serverClock -= 3_600_000
  server.publish(manifestWith('v2', []), new Map())
  await device.engine.syncNow('test')
  await expect.poll(() => device.activated.map((m) => m.version), { timeout: 20_000 }).toEqual(['v1', 'v2'])
  expect(device.log.records.filter((r) => /older|high-water/i.test(`${r.message} ${JSON.stringify(r.fields ?? {})}`))).toEqual([])
})

test('a command signed after the clock went back is newer than the one before it', async () => {
  let serverClock = Date.now()
  const server: TestServer = await startServer({ now: () => serverClock })
  cleanups.push(() => server.close())
  const first = server.command('resync')
  serverClock -= 3_600_000
  const second = server.command('resync')
  expect(Date.parse(second.issuedAt)).toBeGreaterThan(Date.parse(first.issuedAt))
  const emergency = server.emergency({ title: 'Bão số 3' })
  expect(Date.parse(emergency.issuedAt)).toBeGreaterThan(Date.parse(second.issuedAt))
  expect(server.recentLog().some((entry) => JSON.stringify(entry).includes('clock-behind-signed'))).toBe(true)
})
