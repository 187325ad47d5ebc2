// Quarantine: wrong bytes (or undecodable media) block a hash for a while, durably, so the sync engine
// backs off instead of fetching garbage in a tight loop.
import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import {
  CacheVerificationError,
  DEFAULT_QUARANTINE_MS,
  QuarantinedError
} from '../../../../main/core/cache/content-cache'
import { useTempDirs } from '../../../helpers/temp-dir'
import { bytesFor, bytesOf, cutAfter, expectedOf, fakeClock, openCache, sha } from './cache-test-kit'

describe('ContentCache quarantine', () => {
  const tempDir = useTempDirs()

  it('quarantines a hash whose download has the wrong bytes, with the reason and a ten-minute expiry', async () => {
    const clock = fakeClock()
    const cache = await openCache(await tempDir(), { now: clock.now })
    const right = bytesFor('right', 2_000)
    const wrong = bytesFor('wrong', 2_000)

    const failure = await cache.importStream(expectedOf(right), bytesOf(wrong)).catch((error: unknown) => error)
    expect(failure).toBeInstanceOf(CacheVerificationError)
    const [entry, ...others] = cache.quarantined()
    expect((failure as CacheVerificationError).quarantine).toEqual(entry)
    expect(others).toEqual([])
    expect(entry).toEqual({
      sha256: sha(right),
      reason: `bytes do not match: expected 2000 bytes sha256 ${sha(right)}, got 2000 bytes sha256 ${sha(wrong)}`,
      at: clock.now(),
      until: clock.now() + DEFAULT_QUARANTINE_MS
    })
    expect(cache.isQuarantined(sha(right))).toBe(true)
    expect(cache.stats().quarantinedCount).toBe(1)
    expect(await readdir(join(cache.root, 'tmp'))).toEqual([])
  })

  it('refuses to import a quarantined hash, without reading the source, until the entry expires', async () => {
    const clock = fakeClock()
    const cache = await openCache(await tempDir(), { now: clock.now })
    const right = bytesFor('right', 1_000)
    await expect(cache.importStream(expectedOf(right), bytesOf(Buffer.alloc(1_000)))).rejects.toThrow()

    const source = Readable.from([right])
    const refused = cache.importStream(expectedOf(right), source)
    await expect(refused).rejects.toBeInstanceOf(QuarantinedError)
    await expect(refused).rejects.toThrow(/quarantined until .*bytes do not match/)
    expect(source.destroyed).toBe(true)
    const error = await cache.importStream(expectedOf(right), bytesOf(right)).catch((e: unknown) => e)
    expect((error as QuarantinedError).entry.until).toBe(clock.now() + DEFAULT_QUARANTINE_MS)

    clock.advance(DEFAULT_QUARANTINE_MS - 1)
    expect(cache.isQuarantined(sha(right))).toBe(true)
    clock.advance(1)
    expect(cache.isQuarantined(sha(right))).toBe(false)
    await cache.importStream(expectedOf(right), bytesOf(right))
    expect(cache.has(sha(right))).toBe(true)
  })

  it('takes the now parameter for isQuarantined and quarantined()', async () => {
    const cache = await openCache(await tempDir())
    const hash = sha(Buffer.from('clip'))
    const entry = await cache.quarantine(hash, 'video cannot be decoded', { forMs: 60_000, now: 1_000_000 })
    expect(entry).toEqual({ sha256: hash, reason: 'video cannot be decoded', at: 1_000_000, until: 1_060_000 })
    expect(cache.isQuarantined(hash, 1_059_999)).toBe(true)
    expect(cache.quarantined(1_059_999)).toEqual([entry])
    expect(cache.isQuarantined(hash, 1_060_000)).toBe(false)
    expect(cache.quarantined(1_060_000)).toEqual([])
  })

  it('a manual quarantine removes the verified object and any partial', async () => {
    const cache = await openCache(await tempDir())
    const clip = bytesFor('clip', 3_000)
    const other = bytesFor('other', 3_000)
    await cache.importStream(expectedOf(clip), bytesOf(clip))
    await expect(cache.importStream(expectedOf(other), cutAfter(other.subarray(0, 1_000)))).rejects.toThrow()

    await cache.quarantine(sha(clip), 'renderer: decode error')
    await cache.quarantine(sha(other), 'renderer: decode error')
    expect(cache.pathOf(sha(clip))).toBeNull()
    expect(cache.stats().verifiedBytes).toBe(0)
    expect(await cache.partialBytes(sha(other))).toBe(0)
    expect(await readdir(join(cache.root, 'objects', sha(clip).slice(0, 2)))).toEqual([])
    expect(cache.stats()).toMatchObject({ storedCount: 0, partialBytes: 0, quarantinedCount: 2 })
  })

  it('survives a restart, one JSON file per hash, and is forgotten after expiry', async () => {
    const dir = await tempDir()
    const clock = fakeClock()
    const first = await openCache(dir, { now: clock.now })
    const hash = sha(Buffer.from('bad'))
    await first.quarantine(hash, 'checksum mismatch', { forMs: 5 * 60_000 })
    const file = join(first.root, 'quarantine', `${hash}.json`)
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ sha256: hash, reason: 'checksum mismatch' })

    clock.advance(60_000)
    const second = await openCache(dir, { now: clock.now })
    expect(second.isQuarantined(hash)).toBe(true)
    expect(second.quarantined()[0]?.reason).toBe('checksum mismatch')

    clock.advance(4 * 60_000)
    const third = await openCache(dir, { now: clock.now })
    expect(third.isQuarantined(hash)).toBe(false)
    expect(await readdir(join(first.root, 'quarantine'))).toEqual([])
  })

  it('removes an expired entry file lazily, without losing a newer quarantine of the same hash', async () => {
    const dir = await tempDir()
    const cache = await openCache(dir)
    const hash = sha(Buffer.from('flapping'))
    await cache.quarantine(hash, 'first', { forMs: 1_000, now: 10_000 })
    expect(cache.isQuarantined(hash, 11_000)).toBe(false) // schedules the file's removal
    await cache.quarantine(hash, 'second', { forMs: 1_000, now: 11_000 })
    await cache.close()
    const reopened = await openCache(dir, { now: () => 11_500 })
    expect(reopened.quarantined().map((entry) => entry.reason)).toEqual(['second'])

    expect(reopened.isQuarantined(hash, 12_000)).toBe(false)
    await reopened.close()
    expect(await readdir(join(reopened.root, 'quarantine'))).toEqual([])
  })

  it('drops an entry stamped in the future: a clock that jumped back must not stretch a back-off into years', async () => {
    const cache = await openCache(await tempDir())
    const hash = sha(Buffer.from('clock'))
    await cache.quarantine(hash, 'bad bytes', { forMs: 600_000, now: Date.UTC(2025, 0, 1) })
    expect(cache.isQuarantined(hash, Date.UTC(1970, 0, 1, 0, 5))).toBe(false)
  })

  it('at open, deletes files of a hash whose quarantine was recorded just before a crash', async () => {
    const dir = await tempDir()
    const cache = await openCache(dir)
    const clip = bytesFor('half-quarantined', 2_000)
    await cache.importStream(expectedOf(clip), bytesOf(clip))
    const until = Date.now() + 60_000
    await writeFile(
      join(cache.root, 'quarantine', `${sha(clip)}.json`),
      JSON.stringify({ sha256: sha(clip), reason: 'decode error', at: Date.now(), until })
    )
    await writeFile(join(cache.root, 'quarantine', `.${sha(clip)}.json.0011aa.tmp`), '{"torn')
    await writeFile(join(cache.root, 'quarantine', `${'e'.repeat(64)}.json`), 'not json')

    const reopened = await openCache(dir)
    expect(reopened.isQuarantined(sha(clip))).toBe(true)
    expect(reopened.stats().storedCount).toBe(0)
    expect(await reopened.verifyAll()).toEqual([])
    expect(await readdir(join(cache.root, 'quarantine'))).toEqual([`${sha(clip)}.json`])
  })

  it('quarantineForMs: 0 refuses the bytes without blocking the hash', async () => {
    const cache = await openCache(await tempDir())
    const right = bytesFor('local file', 500)
    await expect(
      cache.importStream(expectedOf(right), bytesOf(Buffer.alloc(500)), { quarantineForMs: 0 })
    ).rejects.toThrow(/do not match/)
    expect(cache.isQuarantined(sha(right))).toBe(false)
  })

  it('a quarantine reached while another import of the hash is waiting makes that import refuse', async () => {
    const cache = await openCache(await tempDir())
    const right = bytesFor('queued', 1_000)
    const bad = cache.importStream(expectedOf(right), bytesOf(Buffer.alloc(1_000)))
    const queued = cache.importStream(expectedOf(right), bytesOf(right))
    await expect(bad).rejects.toBeInstanceOf(CacheVerificationError)
    await expect(queued).rejects.toBeInstanceOf(QuarantinedError)
  })
})
