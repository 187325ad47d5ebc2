// Fast boot: re-hash the active manifest's assets first so the screen can start, the rest later; an
// object nobody has re-hashed since the restart is never handed out.
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ContentCache } from '../../../../main/core/cache/content-cache'
import { useTempDirs } from '../../../helpers/temp-dir'
import { bytesFor, bytesOf, expectedOf, openCache, sha } from './cache-test-kit'

describe('ContentCache verification at boot', () => {
  const tempDir = useTempDirs()

  async function cacheWith(names: string[]): Promise<{ root: string; hashes: Record<string, string> }> {
    const cache = await openCache(await tempDir())
    const hashes: Record<string, string> = {}
    for (const name of names) {
      const bytes = bytesFor(name, 1_000)
      await cache.importStream(expectedOf(bytes), bytesOf(bytes))
      hashes[name] = sha(bytes)
    }
    return { root: cache.root, hashes }
  }

  it('verifyOnly re-hashes just the given objects; the others stay hidden until verifyRemaining', async () => {
    const { root, hashes } = await cacheWith(['active-1', 'active-2', 'later-1', 'later-2'])
    const cache = new ContentCache(root)
    await cache.open()
    expect(await cache.verifyOnly([hashes['active-1']!, hashes['active-2']!, hashes['active-1']!])).toEqual([])
    expect(cache.has(hashes['active-1']!) && cache.has(hashes['active-2']!)).toBe(true)
    expect(cache.pathOf(hashes['later-1']!)).toBeNull()
    expect(cache.stats()).toMatchObject({ verifiedCount: 2, verifiedBytes: 2_000, storedCount: 4, storedBytes: 4_000 })

    expect(await cache.verifyRemaining()).toEqual([])
    expect(cache.has(hashes['later-1']!) && cache.has(hashes['later-2']!)).toBe(true)
    expect(cache.stats().verifiedBytes).toBe(4_000)
  })

  it('verifyOnly removes a corrupt object and ignores hashes it does not hold or that are not hashes', async () => {
    const { root, hashes } = await cacheWith(['good', 'rotten'])
    await writeFile(join(root, 'objects', hashes.rotten!.slice(0, 2), hashes.rotten!), 'bit rot')
    const cache = new ContentCache(root)
    await cache.open()
    const unknown = sha(Buffer.from('never downloaded'))
    expect(await cache.verifyOnly([hashes.good!, hashes.rotten!, unknown, '../../etc/passwd'])).toEqual([hashes.rotten!])
    expect(cache.has(hashes.good!)).toBe(true)
    expect(cache.has(hashes.rotten!)).toBe(false)
    expect(cache.stats()).toMatchObject({ storedCount: 1, storedBytes: 1_000 })
  })

  it('a scrub keeps a good object available while it is re-hashed, and drops one that rotted since', async () => {
    const { root, hashes } = await cacheWith(['steady', 'rots-later'])
    const cache = new ContentCache(root)
    await cache.open()
    await cache.verifyAll()
    await writeFile(join(root, 'objects', hashes['rots-later']!.slice(0, 2), hashes['rots-later']!), 'bit rot')
    const scrub = cache.verifyAll()
    expect(cache.has(hashes.steady!)).toBe(true)
    expect(await scrub).toEqual([hashes['rots-later']!])
    expect(cache.has(hashes.steady!)).toBe(true)
    expect(cache.stats().verifiedBytes).toBe(1_000)
  })

  it('verifyAll finds objects that appeared on disk after open', async () => {
    const cache = await openCache(await tempDir())
    const bytes = bytesFor('copied in', 700)
    await mkdir(join(cache.root, 'objects', sha(bytes).slice(0, 2)), { recursive: true })
    await writeFile(join(cache.root, 'objects', sha(bytes).slice(0, 2), sha(bytes)), bytes)
    expect(cache.has(sha(bytes))).toBe(false)
    expect(await cache.verifyAll()).toEqual([])
    expect(cache.has(sha(bytes))).toBe(true)
  })
})
