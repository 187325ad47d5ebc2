// Cache space, through the cache's public API on real files: retired content leaves after its grace
// period with no quota set, room is made least recently *played* first, a board with no quota keeps its
// disk from filling, and what a manifest references or the screen shows is never evicted.
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { QuotaExceededError, type ContentCache } from '../../../../main/core/cache/content-cache'
import { DEFAULT_RETIRED_GRACE_MS, type DiskReading } from '../../../../main/core/cache/eviction-policy'
import { assetsOnScreen } from '../../../../main/core/cache/space'
import { useTempDirs } from '../../../helpers/temp-dir'
import { fakeClock, fill, openCache as openCacheIn } from './cache-test-kit'

const DAY = 86_400_000
const GiB = 1024 ** 3

/** A manifest as the space sees it: one image item per file, items named item-<name>. */
function manifest(version: string, files: Record<string, string>) {
  const entries = Object.entries(files)
  return {
    version,
    assets: entries.map(([, sha256]) => ({ sha256 })),
    playlists: [{ items: entries.map(([name, sha256]) => ({ id: `item-${name}`, kind: 'image', asset: sha256 })) }]
  }
}

describe('cache space', () => {
  const tempDir = useTempDirs()
  // Closed after each test, before its folder goes (a cache left open writes usage.json a moment later).
  const open: ContentCache[] = []
  afterEach(async () => {
    for (const cache of open.splice(0)) await cache.close().catch(() => undefined)
  })
  const openCache = async (...args: Parameters<typeof openCacheIn>): Promise<ContentCache> => {
    const cache = await openCacheIn(...args)
    open.push(cache)
    return cache
  }

  const present = (cache: ContentCache, hashes: Record<string, string>): string[] =>
    Object.keys(hashes).filter((name) => cache.has(hashes[name]!))

  async function filesOnDisk(cache: ContentCache): Promise<number> {
    let count = 0
    for (const prefix of await readdir(join(cache.root, 'objects'))) count += (await readdir(join(cache.root, 'objects', prefix))).length
    return count
  }

  it('evicts content no manifest references once its grace period is over, with no quota set', async () => {
    const clock = fakeClock()
    const cache = await openCache(await tempDir(), { now: clock.now })
    const hashes = await fill(cache, ['old', 'kept'])
    cache.space.reference([manifest('v1', hashes)])
    cache.space.reference([manifest('v2', { kept: hashes.kept! })]) // 'old' is retired from now on
    await cache.space.settled()
    expect(present(cache, hashes)).toEqual(['old', 'kept'])

    clock.advance(DEFAULT_RETIRED_GRACE_MS - 1)
    expect(await cache.space.sweep()).toEqual([])
    clock.advance(1)
    expect(await cache.space.sweep()).toEqual([hashes.old])
    expect(present(cache, hashes)).toEqual(['kept'])
    expect(await filesOnDisk(cache)).toBe(1)
    expect(cache.stats()).toMatchObject({ storedCount: 1, storedBytes: 100 })
  })

  it('dates retirement across a restart, starts over when content comes back, and honours a configured grace', async () => {
    const clock = fakeClock()
    const dir = await tempDir()
    const first = await openCache(dir, { now: clock.now, retiredGraceMs: 2 * DAY })
    const hashes = await fill(first, ['a', 'b'])
    first.space.reference([])
    await first.space.settled()
    await first.close()

    clock.advance(DAY)
    const second = await openCache(dir, { now: clock.now, retiredGraceMs: 2 * DAY })
    second.space.reference([manifest('v2', { b: hashes.b! })]) // b is back: its retirement is undone
    await second.space.settled()
    clock.advance(DAY)
    expect(await second.space.sweep()).toEqual([hashes.a]) // two days since a was retired, before the restart
    second.space.reference([])
    clock.advance(2 * DAY - 1)
    expect(await second.space.sweep()).toEqual([])
    clock.advance(1)
    expect(await second.space.sweep()).toEqual([hashes.b])
  })

  it('evicts nothing as retired until it knows what is referenced', async () => {
    const clock = fakeClock()
    const cache = await openCache(await tempDir(), { now: clock.now, retiredGraceMs: 0 })
    await fill(cache, ['a'])
    clock.advance(365 * DAY)
    expect(await cache.space.sweep()).toEqual([])
    expect(cache.stats().storedCount).toBe(1)
  })

  it('never evicts what a manifest references or the screen shows, however long retired or tight the quota', async () => {
    const clock = fakeClock()
    const cache = await openCache(await tempDir(), { now: clock.now, quotaBytes: 300 })
    const hashes = await fill(cache, ['active', 'pending', 'emergency', 'gone'])
    let onScreen = [hashes.emergency!]
    const unpin = cache.space.pin(() => onScreen)
    cache.space.reference([manifest('active', { active: hashes.active! }), null, manifest('pending', { pending: hashes.pending! })])
    await cache.space.settled()
    // 400 bytes held under a 300-byte quota: the trim takes only what nothing holds.
    expect(present(cache, hashes)).toEqual(['active', 'pending', 'emergency'])
    clock.advance(100 * DAY)
    expect(await cache.space.sweep()).toEqual([])
    const refused = await cache.ensureSpace(100, new Set()).catch((error: unknown) => error)
    expect(refused).toBeInstanceOf(QuotaExceededError)
    expect(present(cache, hashes)).toEqual(['active', 'pending', 'emergency'])

    // Off the screen, the emergency image is retired like anything else.
    onScreen = []
    unpin()
    expect(await cache.space.sweep()).toEqual([])
    clock.advance(DEFAULT_RETIRED_GRACE_MS)
    expect(await cache.space.sweep()).toEqual([hashes.emergency])
  })

  it('makes room least recently played first, not in the order manifests were activated', async () => {
    const cache = await openCache(await tempDir(), { quotaBytes: 400 })
    const hashes = await fill(cache, ['a', 'b', 'c', 'd'])
    const v1 = manifest('v1', hashes)
    cache.space.reference([v1])
    for (const name of ['d', 'b', 'a', 'c']) cache.space.notePlayed({ itemId: `item-${name}`, programVersion: 'v1/main/main' })
    cache.space.notePlayed({ itemId: 'item-unknown', programVersion: 'v1/main/main' }) // ignored
    cache.space.reference([manifest('v2', {})])
    await cache.space.settled()
    expect(await cache.ensureSpace(150, new Set())).toEqual([hashes.d, hashes.b])
    expect(present(cache, hashes)).toEqual(['a', 'c'])
    await cache.close()
  })

  it('tells apart an item id that active and pending manifests use for different files by the programme version', async () => {
    const cache = await openCache(await tempDir(), { quotaBytes: 200 })
    const hashes = await fill(cache, ['old', 'new'])
    cache.space.reference([{ ...manifest('v1', { x: hashes.old! }) }, { ...manifest('v2', { x: hashes.new! }) }])
    cache.space.notePlayed({ itemId: 'item-x', programVersion: 'v2/main/main' })
    cache.space.notePlayed({ itemId: 'item-x', programVersion: 'v1/main/main' })
    cache.space.reference([])
    await cache.space.settled()
    expect(await cache.ensureSpace(100, new Set())).toEqual([hashes.new]) // v2's file was played first
  })

  it('without a quota keeps 10 % of the disk free, or 2 GiB if that is more', async () => {
    // A disk whose free space follows what the cache holds, as a real one does.
    let disk = { totalBytes: 40 * GiB, othersBytes: 36 * GiB - 250 } // keeps 4 GiB: 250 bytes to spare
    const reading = async (): Promise<DiskReading> => {
      const { storedBytes, partialBytes } = cache.stats()
      return { totalBytes: disk.totalBytes, freeBytes: disk.totalBytes - disk.othersBytes - storedBytes - partialBytes }
    }
    const cache = await openCache(await tempDir(), { disk: reading })
    const hashes = await fill(cache, ['a', 'b'])
    cache.space.markPlayed(hashes.b!)
    cache.space.markPlayed(hashes.a!)
    // 200 held + 50 spare = 250 allowed: 150 more fits only without b, the least recently played.
    expect(await cache.ensureSpace(150, new Set())).toEqual([hashes.b])
    expect(cache.stats().quotaBytes).toBe(250)
    expect(await cache.ensureSpace(150, new Set())).toEqual([])

    // A small disk: 10 % would be 0.8 GiB, so 2 GiB is kept instead; what is kept cannot make room for it.
    disk = { totalBytes: 8 * GiB, othersBytes: 6 * GiB - 110 }
    await expect(cache.ensureSpace(200, new Set([hashes.a!]))).rejects.toThrow(/200 bytes needed but only 10 can be made available \(quota 110 bytes, what keeps 10 % of the disk or 2 GiB free/)
    expect(present(cache, hashes)).toEqual(['a'])
  })

  it('gives way when something else fills the disk: a sweep trims unreferenced files under the disk quota', async () => {
    const clock = fakeClock()
    let disk: DiskReading = { freeBytes: 100 * GiB, totalBytes: 200 * GiB }
    const cache = await openCache(await tempDir(), { now: clock.now, disk: async () => disk })
    const hashes = await fill(cache, ['current', 'older', 'oldest'])
    cache.space.markPlayed(hashes.oldest!)
    cache.space.markPlayed(hashes.older!)
    cache.space.reference([manifest('v3', { current: hashes.current! })])
    await cache.space.settled()
    expect(present(cache, hashes)).toEqual(['current', 'older', 'oldest']) // within their grace, room to spare

    disk = { ...disk, freeBytes: 20 * GiB - 150 } // logs filled the disk to 150 bytes past its reserve
    expect(await cache.space.sweep()).toEqual([hashes.oldest, hashes.older])
    expect(present(cache, hashes)).toEqual(['current'])
  })

  it('names the files a screen may show: planned items and held emergency images', () => {
    const plan = { zones: [{ items: [{ id: 't', kind: 'text' }, { id: 'i', kind: 'image', asset: 'a'.repeat(64) }] }, { items: [] }] }
    expect(assetsOnScreen(plan, [{ asset: 'e'.repeat(64) }, {}])).toEqual(['a'.repeat(64), 'e'.repeat(64)])
    expect(assetsOnScreen(null, [])).toEqual([])
  })
})
