import { createHash } from 'node:crypto'
import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { CacheVerificationError, ContentCache } from '../../../../main/core/cache/content-cache'
import { useTempDirs } from '../../../helpers/temp-dir'

const sha = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex')

describe('ContentCache', () => {
  const tempDir = useTempDirs()

  async function openCache(): Promise<ContentCache> {
    const cache = new ContentCache(join(await tempDir(), 'cache'))
    await cache.open()
    return cache
  }

  it('stores verified bytes under their hash and hands out their path', async () => {
    const cache = await openCache()
    const bytes = Buffer.from('ảnh thông báo')
    await cache.importStream({ sha256: sha(bytes), size: bytes.length }, Readable.from([bytes]))
    const path = cache.pathOf(sha(bytes))
    expect(path).not.toBeNull()
    expect(await readFile(path!)).toEqual(bytes)
    expect(await cache.size()).toBe(bytes.length)
  })

  it('refuses bytes that do not match the hash and leaves nothing behind', async () => {
    const cache = await openCache()
    const bytes = Buffer.from('real')
    const expected = { sha256: sha(Buffer.from('other')), size: bytes.length }
    await expect(cache.importStream(expected, Readable.from([bytes]))).rejects.toBeInstanceOf(CacheVerificationError)
    expect(cache.pathOf(expected.sha256)).toBeNull()
    expect(await readdir(join(cache.root, 'tmp'))).toEqual([])
    expect(await readdir(join(cache.root, 'objects'))).toEqual([])
  })

  it('refuses a truncated stream and a stream longer than announced', async () => {
    const cache = await openCache()
    const bytes = Buffer.from('0123456789')
    await expect(
      cache.importStream({ sha256: sha(bytes), size: bytes.length }, Readable.from([bytes.subarray(0, 5)]))
    ).rejects.toThrow(/do not match/)
    await expect(
      cache.importStream({ sha256: sha(bytes), size: 4 }, Readable.from([bytes]))
    ).rejects.toThrow(/more bytes/)
    expect(await readdir(join(cache.root, 'tmp'))).toEqual([])
  })

  it.each(['../../etc/passwd', 'A'.repeat(64), 'a'.repeat(63), 'a'.repeat(65), `${'a'.repeat(62)}/.`, ''])(
    'never maps %j to a path',
    async (name) => {
      const cache = await openCache()
      expect(cache.pathOf(name)).toBeNull()
      await expect(cache.importStream({ sha256: name, size: 1 }, Readable.from([Buffer.from('x')]))).rejects.toThrow()
    }
  )

  it('re-verifies at boot and removes an object whose bytes were corrupted on disk', async () => {
    const root = join(await tempDir(), 'cache')
    const first = new ContentCache(root)
    await first.open()
    const good = Buffer.from('good file')
    const bad = Buffer.from('file that rots')
    await first.importStream({ sha256: sha(good), size: good.length }, Readable.from([good]))
    await first.importStream({ sha256: sha(bad), size: bad.length }, Readable.from([bad]))
    await writeFile(first.pathOf(sha(bad))!, 'bit rot')

    const afterReboot = new ContentCache(root)
    await afterReboot.open()
    expect(afterReboot.has(sha(good))).toBe(false) // nothing is trusted before verification
    expect(await afterReboot.verifyAll()).toEqual([sha(bad)])
    expect(afterReboot.has(sha(good))).toBe(true)
    expect(afterReboot.has(sha(bad))).toBe(false)
  })
})
