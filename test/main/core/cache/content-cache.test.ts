// The cache's basic promises: verified bytes in, paths out only for verified hashes, nothing unverified
// ever under objects/, and honest accounting.
import { readdir, readFile, mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import {
  CacheVerificationError,
  ContentCache,
  IncompleteDownloadError
} from '../../../../main/core/cache/content-cache'
import { useTempDirs } from '../../../helpers/temp-dir'
import { reservedBytes } from '../../../../main/core/cache/eviction-policy'
import { bytesOf, expectedOf, openCache, ROOMY_DISK, sha } from './cache-test-kit'

describe('ContentCache', () => {
  const tempDir = useTempDirs()

  it('stores verified bytes under their hash and hands out their path', async () => {
    const cache = await openCache(await tempDir())
    const bytes = Buffer.from('ảnh thông báo')
    await cache.importStream(expectedOf(bytes), Readable.from([bytes]))
    const path = cache.pathOf(sha(bytes))
    expect(path).not.toBeNull()
    expect(await readFile(path!)).toEqual(bytes)
    expect(cache.stats().verifiedBytes).toBe(bytes.length)
  })

  it('imports an empty file', async () => {
    const cache = await openCache(await tempDir())
    const empty = Buffer.alloc(0)
    await cache.importStream(expectedOf(empty), bytesOf())
    expect(cache.has(sha(empty))).toBe(true)
  })

  it('refuses bytes that do not match the hash and leaves nothing behind', async () => {
    const cache = await openCache(await tempDir())
    const bytes = Buffer.from('real')
    const expected = { sha256: sha(Buffer.from('other')), size: bytes.length }
    await expect(cache.importStream(expected, Readable.from([bytes]))).rejects.toBeInstanceOf(CacheVerificationError)
    expect(cache.pathOf(expected.sha256)).toBeNull()
    expect(await readdir(join(cache.root, 'tmp'))).toEqual([])
    expect(await readdir(join(cache.root, 'objects'))).toEqual([])
  })

  it('keeps a stream that ends early for a resume, and refuses one longer than announced', async () => {
    const cache = await openCache(await tempDir())
    const bytes = Buffer.from('0123456789')
    const early = cache.importStream(expectedOf(bytes), Readable.from([bytes.subarray(0, 5)]))
    await expect(early).rejects.toBeInstanceOf(IncompleteDownloadError)
    await expect(early).rejects.toThrow(/after 5 of 10 bytes/)
    expect(await cache.partialBytes(sha(bytes))).toBe(5)

    const longer = Buffer.from('0123')
    await expect(cache.importStream(expectedOf(longer), Readable.from([bytes]))).rejects.toThrow(/more bytes/)
    expect(await cache.partialBytes(sha(longer))).toBe(0)
    expect(cache.has(sha(longer))).toBe(false)
  })

  it('judges a local file that is short or wrong as wrong bytes, without quarantine, so a fixed file is taken at once', async () => {
    const dir = await tempDir()
    const cache = await openCache(dir)
    const poster = Buffer.from('the real poster bytes')
    const file = join(dir, 'poster.jpg')
    await writeFile(file, poster.subarray(0, 8))
    await expect(cache.importFile(expectedOf(poster), file)).rejects.toThrow(/do not match: .* got 8 bytes/)
    await writeFile(file, 'X'.repeat(poster.length))
    await expect(cache.importFile(expectedOf(poster), file)).rejects.toThrow(/do not match/)
    expect(cache.isQuarantined(sha(poster))).toBe(false)
    expect(await readdir(join(cache.root, 'tmp'))).toEqual([])

    await writeFile(file, poster)
    await cache.importFile(expectedOf(poster), file)
    expect(cache.has(sha(poster))).toBe(true)
  })

  it('endIsFinal makes a clean early end of a stream count as wrong bytes', async () => {
    const cache = await openCache(await tempDir())
    const bytes = Buffer.from('0123456789')
    await expect(
      cache.importStream(expectedOf(bytes), bytesOf(bytes.subarray(0, 4)), { endIsFinal: true })
    ).rejects.toBeInstanceOf(CacheVerificationError)
    expect(cache.isQuarantined(sha(bytes))).toBe(true)
    expect(await cache.partialBytes(sha(bytes))).toBe(0)
  })

  it.each(['../../etc/passwd', 'A'.repeat(64), 'a'.repeat(63), 'a'.repeat(65), `${'a'.repeat(62)}/.`, ''])(
    'never maps %j to a path',
    async (name) => {
      const cache = await openCache(await tempDir())
      expect(cache.pathOf(name)).toBeNull()
      expect(await cache.partialBytes(name)).toBe(0)
      await expect(cache.importStream({ sha256: name, size: 1 }, Readable.from([Buffer.from('x')]))).rejects.toThrow()
      await expect(cache.quarantine(name, 'test')).rejects.toThrow()
    }
  )

  it('refuses a size that is not a byte count', async () => {
    const cache = await openCache(await tempDir())
    const bytes = Buffer.from('x')
    for (const size of [-1, 1.5, Number.NaN]) {
      await expect(cache.importStream({ sha256: sha(bytes), size }, bytesOf(bytes))).rejects.toThrow(/not a file size/)
    }
  })

  it('re-verifies at boot and removes an object whose bytes were corrupted on disk', async () => {
    const dir = await tempDir()
    const first = await openCache(dir)
    const good = Buffer.from('good file')
    const bad = Buffer.from('file that rots')
    await first.importStream(expectedOf(good), Readable.from([good]))
    await first.importStream(expectedOf(bad), Readable.from([bad]))
    await writeFile(first.pathOf(sha(bad))!, 'bit rot')

    const afterReboot = new ContentCache(first.root)
    await afterReboot.open()
    expect(afterReboot.has(sha(good))).toBe(false) // nothing is trusted before verification
    expect(afterReboot.stats().verifiedBytes).toBe(0)
    expect(await afterReboot.verifyAll()).toEqual([sha(bad)])
    expect(afterReboot.has(sha(good))).toBe(true)
    expect(afterReboot.has(sha(bad))).toBe(false)
    expect(afterReboot.stats().verifiedBytes).toBe(good.length)
  })

  it('treats an import of a hash it already holds as done, without reading the source', async () => {
    const cache = await openCache(await tempDir())
    const bytes = Buffer.from('bản tin')
    await cache.importStream(expectedOf(bytes), bytesOf(bytes))
    const again = Readable.from([Buffer.from('never read')])
    await cache.importStream(expectedOf(bytes), again)
    expect(again.destroyed).toBe(true)
    expect(cache.stats().verifiedCount).toBe(1)
  })

  it('at open keeps partial downloads and removes everything else from tmp/ and junk from objects/', async () => {
    const dir = await tempDir()
    const cache = await openCache(dir)
    const bytes = Buffer.from('partial download')
    await expect(
      cache.importStream(expectedOf(bytes), (async function* () {
        yield bytes.subarray(0, 7)
        throw new Error('cut')
      })())
    ).rejects.toThrow('cut')
    const tmp = join(cache.root, 'tmp')
    await writeFile(join(tmp, `${sha(bytes)}.1a2b.part`), 'old-style temp name')
    await writeFile(join(tmp, 'random'), 'x')
    await mkdir(join(tmp, `${'c'.repeat(64)}.part`))
    await mkdir(join(cache.root, 'objects', 'zz'), { recursive: true })
    await mkdir(join(cache.root, 'objects', 'ab'), { recursive: true })
    await writeFile(join(cache.root, 'objects', 'ab', 'c'.repeat(64)), 'wrong prefix')
    await writeFile(join(cache.root, 'objects', 'ab', 'notes.txt'), 'junk')

    const reopened = new ContentCache(cache.root)
    await reopened.open()
    expect(await readdir(tmp)).toEqual([`${sha(bytes)}.part`])
    expect(await reopened.partialBytes(sha(bytes))).toBe(7)
    expect((await readdir(join(cache.root, 'objects'))).sort()).toEqual(['ab'])
    expect(await readdir(join(cache.root, 'objects', 'ab'))).toEqual([])
    expect(reopened.stats()).toMatchObject({ partialBytes: 7, storedCount: 0 })
  })

  it('keeps stats() in step with imports, verification and removals', async () => {
    const dir = await tempDir()
    const cache = await openCache(dir, { quotaBytes: 1_000 })
    const a = Buffer.from('aaaa')
    const b = Buffer.from('bbbbbbbb')
    await cache.importStream(expectedOf(a), bytesOf(a))
    await cache.importStream(expectedOf(b), bytesOf(b))
    expect(cache.stats()).toEqual({
      verifiedBytes: 12,
      verifiedCount: 2,
      storedBytes: 12,
      storedCount: 2,
      partialBytes: 0,
      quarantinedCount: 0,
      quotaBytes: 1_000
    })
    await cache.quarantine(sha(a), 'cannot decode')
    expect(cache.stats()).toMatchObject({ verifiedBytes: 8, verifiedCount: 1, storedBytes: 8, quarantinedCount: 1 })

    const reopened = await openCache(dir)
    // No quota set: the one the disk allows (what it holds plus the free space above the reserve).
    expect(reopened.stats()).toMatchObject({ verifiedBytes: 0, storedBytes: 8, storedCount: 1, quotaBytes: 8 + ROOMY_DISK.freeBytes - reservedBytes(ROOMY_DISK.totalBytes) })
    await reopened.verifyAll()
    expect(reopened.stats().verifiedBytes).toBe(8)
  })

  it('accepts strings and Uint8Arrays from any async iterable', async () => {
    const cache = await openCache(await tempDir())
    const bytes = Buffer.from('Thông báo số 1')
    const text = bytes.toString('utf8')
    await cache.importStream(expectedOf(bytes), (async function* () {
      yield text.slice(0, 4)
      yield new Uint8Array(Buffer.from(text.slice(4)))
    })())
    expect(await readFile(cache.pathOf(sha(bytes))!)).toEqual(bytes)
  })
})
