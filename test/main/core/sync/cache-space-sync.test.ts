// Cache space through the real sync path (reference server on 127.0.0.1, real files): a board with no
// quota takes twenty generations of content and its cache stays bounded, and room is made by what the
// screen played, not by the order manifests were activated.
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { ReferenceServer } from '../../../../server/reference-server'
import { useTempDirs } from '../../../helpers/temp-dir'
import { fakeClock } from '../cache/cache-test-kit'
import { filesOf, makeAsset, manifestWith, startDevice, startServer, type Device, type TestAsset } from './sync-fixture'

const DAY = 86_400_000
const GENERATIONS = 20
const FILES_PER_GENERATION = 3
const FILE_BYTES = 20_000
/** Generous: the loaded 2-core machines these run on. */
const WAIT = { timeout: 20_000 }

async function objectsOnDisk(device: Device): Promise<number> {
  const objects = join(device.cache.root, 'objects')
  let count = 0
  for (const prefix of await readdir(objects)) count += (await readdir(join(objects, prefix))).length
  return count
}

describe('cache space through the sync path', () => {
  const tempDir = useTempDirs()
  const cleanup: (() => Promise<void>)[] = []
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step()
  })
  async function setUp(options: Parameters<typeof startDevice>[2]): Promise<{ server: ReferenceServer; device: Device }> {
    const server = await startServer()
    cleanup.push(() => server.close())
    const device = await startDevice(server, await tempDir(), options)
    cleanup.push(() => device.stop())
    return { server, device }
  }

  it(`a board with no quota takes ${GENERATIONS} generations of content a day apart and keeps only those within the grace period`, async () => {
    const clock = fakeClock()
    const { server, device } = await setUp({ cache: { now: clock.now } })
    const generations: TestAsset[][] = []
    const cached = (generation: number): boolean[] => generations[generation - 1]!.map((asset) => device.cache.has(asset.sha256))
    for (let g = 1; g <= GENERATIONS; g++) {
      if (g > 1) clock.advance(DAY)
      const assets = Array.from({ length: FILES_PER_GENERATION }, () => makeAsset(FILE_BYTES))
      generations.push(assets)
      server.publish(manifestWith(`g${g}`, assets), filesOf(assets))
      await expect.poll(() => device.activated.length, WAIT).toBe(g)
      // Generation k is retired when g = k + 2 is fetched (until then the active or pending manifest names it),
      // so seven days later, at g = k + 9, it leaves: generations g-8 … g stay.
      const oldest = Math.max(1, g - 8)
      const retiredLeft = () => generations.slice(0, oldest - 1).flatMap((assets, k) => assets.filter((a) => device.cache.has(a.sha256)).map(() => `g${k + 1}`))
      await expect.poll(retiredLeft, { ...WAIT, message: `after generation ${g}, files of generations older than ${oldest} left` }).toEqual([])
      for (let k = oldest; k <= g; k++) expect(cached(k), `generation ${k} after ${g}`).toEqual([true, true, true])
      expect(device.cache.stats().storedBytes).toBeLessThanOrEqual(9 * FILES_PER_GENERATION * FILE_BYTES)
    }
    expect(await objectsOnDisk(device)).toBe(9 * FILES_PER_GENERATION)
    expect(device.cache.stats()).toMatchObject({ storedCount: 9 * FILES_PER_GENERATION, partialBytes: 0 })
  }, 120_000)

  it('makes room least recently played first: activating a manifest is not playing it', async () => {
    const [a, b, c, d] = Array.from({ length: 4 }, () => makeAsset(FILE_BYTES))
    const { server, device } = await setUp({ quotaBytes: 3.5 * FILE_BYTES })
    server.publish(manifestWith('v1', [a!, b!, c!]), filesOf([a!, b!, c!]))
    await expect.poll(() => device.activated.length, WAIT).toBe(1)
    // The screen played c, then a, then b (manifestWith names item i `img-<i>-<sha prefix>`).
    for (const [index, asset] of [[2, c], [0, a], [1, b]] as const) {
      device.cache.space.notePlayed({ itemId: `img-${index}-${asset!.sha256.slice(0, 8)}`, programVersion: 'v1/main/main' })
    }
    server.publish(manifestWith('v2', [d!]), filesOf([d!]))
    await expect.poll(() => device.cache.has(d!.sha256), WAIT).toBe(true)
    // c was played longest ago (and activated last): it made room; a and b stay while there is room.
    expect([a, b, c].map((asset) => device.cache.has(asset!.sha256))).toEqual([true, true, false])
    expect(device.cache.stats().storedBytes).toBeLessThanOrEqual(3.5 * FILE_BYTES)
  })
})
