// Quota: room for a download is made by evicting what nobody needs, least recently played first, and
// never what the caller keeps; partial downloads count too.
import { readFile, utimes } from 'node:fs/promises'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { QuotaExceededError } from '../../../../main/core/cache/content-cache'
import { useTempDirs } from '../../../helpers/temp-dir'
import { bytesFor, bytesOf, cutAfter, expectedOf, fill, openCache, sha } from './cache-test-kit'

describe('ContentCache quota', () => {
  const tempDir = useTempDirs()

  const names = (hashes: Record<string, string>, evicted: string[]): string[] =>
    evicted.map((hash) => Object.keys(hashes).find((name) => hashes[name] === hash) ?? hash)

  it('does nothing while the new bytes fit', async () => {
    const cache = await openCache(await tempDir(), { quotaBytes: 400 })
    await fill(cache, ['a', 'b', 'c'])
    expect(await cache.ensureSpace(100, new Set())).toEqual([])
    expect(cache.stats().verifiedCount).toBe(3)
  })

  it('evicts never-played objects first, then the least recently played, only as many as needed', async () => {
    const cache = await openCache(await tempDir(), { quotaBytes: 400 })
    const hashes = await fill(cache, ['a', 'b', 'c', 'd'])
    cache.space.markPlayed(hashes.c!)
    cache.space.markPlayed(hashes.a!)
    cache.space.markPlayed(hashes.b!)
    const evicted = await cache.ensureSpace(150, new Set())
    expect(names(hashes, evicted)).toEqual(['d', 'c'])
    expect(cache.has(hashes.d!)).toBe(false)
    expect(cache.has(hashes.c!)).toBe(false)
    expect(cache.has(hashes.a!) && cache.has(hashes.b!)).toBe(true)
    expect(cache.stats()).toMatchObject({ storedBytes: 200, verifiedBytes: 200 })
    await cache.close() // a usage.json write is pending
  })

  it('never evicts what the caller keeps, however old', async () => {
    const cache = await openCache(await tempDir(), { quotaBytes: 400 })
    const hashes = await fill(cache, ['a', 'b', 'c', 'd'])
    cache.space.markPlayed(hashes.c!)
    cache.space.markPlayed(hashes.a!)
    cache.space.markPlayed(hashes.b!)
    const evicted = await cache.ensureSpace(200, new Set([hashes.d!, hashes.c!]))
    expect(names(hashes, evicted)).toEqual(['a', 'b'])
    expect(cache.has(hashes.c!) && cache.has(hashes.d!)).toBe(true)
    await cache.close()
  })

  it('orders never-used objects by file age, oldest first, including unverified ones after a restart', async () => {
    const dir = await tempDir()
    const first = await openCache(dir)
    const hashes = await fill(first, ['new', 'old', 'middle'])
    const at = (name: string) => join(first.root, 'objects', hashes[name]!.slice(0, 2), hashes[name]!)
    await utimes(at('old'), new Date('2024-01-01'), new Date('2024-01-01'))
    await utimes(at('middle'), new Date('2024-06-01'), new Date('2024-06-01'))
    await utimes(at('new'), new Date('2025-01-01'), new Date('2025-01-01'))

    const cache = await openCache(dir, { quotaBytes: 300 })
    expect(cache.stats()).toMatchObject({ storedBytes: 300, verifiedBytes: 0 }) // unverified bytes still use disk
    expect(names(hashes, await cache.ensureSpace(150, new Set()))).toEqual(['old', 'middle'])
  })

  it('throws QuotaExceededError with the numbers, and evicts nothing, when the kept content leaves no room', async () => {
    const cache = await openCache(await tempDir(), { quotaBytes: 400 })
    const hashes = await fill(cache, ['a', 'b', 'c', 'd'])
    const keep = new Set([hashes.a!, hashes.b!, hashes.c!])
    const attempt = cache.ensureSpace(250, keep)
    await expect(attempt).rejects.toBeInstanceOf(QuotaExceededError)
    await expect(attempt).rejects.toThrow(/250 bytes needed but only 100 can be made available \(quota 400 bytes/)
    const error = (await cache.ensureSpace(250, keep).catch((e: unknown) => e)) as QuotaExceededError
    expect([error.neededBytes, error.availableBytes, error.quotaBytes]).toEqual([250, 100, 400])
    expect(cache.stats().verifiedCount).toBe(4)

    await expect(cache.ensureSpace(401, new Set())).rejects.toThrow(/401 bytes needed but only 400/)
    expect(cache.stats().verifiedCount).toBe(4)
  })

  it('counts partial downloads against the quota and drops the ones nobody wants first', async () => {
    const cache = await openCache(await tempDir(), { quotaBytes: 1_000 })
    const hashes = await fill(cache, ['shown'], 500)
    const wanted = bytesFor('wanted', 600)
    const stale = bytesFor('stale', 600)
    await expect(cache.importStream(expectedOf(wanted), cutAfter(wanted.subarray(0, 300)))).rejects.toThrow()
    expect(cache.stats().partialBytes).toBe(300)

    // 500 stored + 300 partial + the 300 still missing = 1 100: over, and both files are kept.
    const keep = new Set([hashes.shown!, sha(wanted)])
    await expect(cache.ensureSpace(300, keep)).rejects.toThrow(/300 bytes needed but only 200/)

    await expect(cache.importStream(expectedOf(stale), cutAfter(stale.subarray(0, 150)))).rejects.toThrow()
    await expect(cache.ensureSpace(200, keep)).resolves.toEqual([sha(stale)])
    expect(await cache.partialBytes(sha(stale))).toBe(0)
    expect(await cache.partialBytes(sha(wanted))).toBe(300)
  })

  it('keeps the usage order across a restart once flushed', async () => {
    const dir = await tempDir()
    const first = await openCache(dir)
    const hashes = await fill(first, ['a', 'b', 'c'])
    first.space.markPlayed(hashes.b!)
    first.space.markPlayed(hashes.a!)
    first.space.markPlayed(hashes.c!)
    await first.close()

    const second = await openCache(dir, { quotaBytes: 300 })
    second.space.markPlayed(hashes.b!) // b is now the most recent; a is the least
    expect(names(hashes, await second.ensureSpace(200, new Set()))).toEqual(['a', 'c'])
    await second.close()
    const saved = JSON.parse(await readFile(join(second.root, 'usage.json'), 'utf8')) as { played: Record<string, number> }
    expect(Object.keys(saved.played)).toEqual([hashes.b!]) // evicted hashes are forgotten
  })

  it('writes usage.json at most once per interval, and on close', async () => {
    const cache = await openCache(await tempDir(), { usageWriteIntervalMs: 60_000 })
    const hashes = await fill(cache, ['a', 'b'])
    const file = join(cache.root, 'usage.json')
    const read = async (): Promise<string> => readFile(file, 'utf8').catch(() => '')

    cache.space.markPlayed(hashes.a!)
    // The first use after a quiet spell is written straight away (on the next turn of the event loop).
    for (let i = 0; i < 100 && (await read()) === ''; i++) await new Promise((resolve) => setTimeout(resolve, 10))
    const firstWrite = await read()
    expect(firstWrite).toContain(hashes.a!)

    cache.space.markPlayed(hashes.b!)
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(await read()).toBe(firstWrite)
    await cache.close()
    expect(await read()).toContain(hashes.b!)
  })

  it('property: an eviction fits the quota, spares the kept, and takes the shortest least-recently-played prefix', async () => {
    const dir = await tempDir()
    let run = 0
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ size: fc.integer({ min: 1, max: 300 }), used: fc.option(fc.nat(20)), kept: fc.boolean() }), {
          minLength: 1,
          maxLength: 6
        }),
        fc.integer({ min: 0, max: 1_500 }),
        fc.integer({ min: 0, max: 600 }),
        async (files, quotaBytes, needed) => {
          run++
          const seeding = await openCache(join(dir, `run-${run}`))
          const hashes: string[] = []
          for (const [index, file] of files.entries()) {
            const bytes = bytesFor(`run ${run} file ${index}`, file.size)
            await seeding.importStream(expectedOf(bytes), bytesOf(bytes))
            hashes.push(sha(bytes))
          }
          const cache = await openCache(join(dir, `run-${run}`), { quotaBytes })
          await cache.verifyAll()
          // Use order: by `used` value; files with none were never used.
          const usedOrder = files
            .map((file, index) => ({ index, used: file.used }))
            .filter((entry): entry is { index: number; used: number } => entry.used !== null)
            .sort((a, b) => a.used - b.used || a.index - b.index)
          for (const { index } of usedOrder) cache.space.markPlayed(hashes[index]!)
          const keep = new Set(hashes.filter((_, index) => files[index]!.kept))
          const before = cache.stats().storedBytes

          const outcome = await cache.ensureSpace(needed, keep).catch((error: unknown) => error)
          await cache.close()
          const evictable = files.reduce((sum, file, index) => sum + (keep.has(hashes[index]!) ? 0 : file.size), 0)
          if (outcome instanceof QuotaExceededError) {
            expect(before - evictable + needed).toBeGreaterThan(quotaBytes)
            expect(cache.stats().storedBytes).toBe(before)
            return
          }
          const evicted = outcome as string[]
          expect(cache.stats().storedBytes + needed).toBeLessThanOrEqual(quotaBytes)
          expect(evicted.some((hash) => keep.has(hash))).toBe(false)
          // Never-used first (all the same age here, so any order among them), then by use order.
          const neverUsed = hashes.filter((hash, index) => !keep.has(hash) && files[index]!.used === null)
          const byUse = usedOrder.map(({ index }) => hashes[index]!).filter((hash) => !keep.has(hash))
          const takenNeverUsed = evicted.filter((hash) => neverUsed.includes(hash))
          expect(evicted.slice(0, takenNeverUsed.length).every((hash) => neverUsed.includes(hash))).toBe(true)
          if (takenNeverUsed.length < neverUsed.length) expect(evicted).toEqual(takenNeverUsed)
          expect(evicted.slice(takenNeverUsed.length)).toEqual(byUse.slice(0, evicted.length - takenNeverUsed.length))
          if (evicted.length > 0) {
            // Minimal: without the last eviction it would not have fitted.
            const lastSize = files[hashes.indexOf(evicted[evicted.length - 1]!)]!.size
            expect(cache.stats().storedBytes + lastSize + needed).toBeGreaterThan(quotaBytes)
          }
        }
      ),
      { numRuns: 40 }
    )
  })
})
