// Resumable downloads: a cut keeps tmp/<sha>.part, the next attempt re-hashes it and appends the rest,
// and imports of one hash never interleave.
import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  CacheVerificationError,
  ContentCache,
  IncompleteDownloadError
} from '../../../../main/core/cache/content-cache'
import { useTempDirs } from '../../../helpers/temp-dir'
import { bytesFor, bytesOf, cutAfter, expectedOf, openCache, sha, splitAt } from './cache-test-kit'

describe('ContentCache resumable downloads', () => {
  const tempDir = useTempDirs()

  it('keeps the partial after a cut and completes it from where it stopped', async () => {
    const cache = await openCache(await tempDir())
    const bytes = bytesFor('video', 100_000)
    const expected = expectedOf(bytes)

    await expect(
      cache.importStream(expected, cutAfter(bytes.subarray(0, 30_000), bytes.subarray(30_000, 41_000)))
    ).rejects.toThrow('socket hang up')
    expect(await cache.partialBytes(expected.sha256)).toBe(41_000)
    expect(cache.has(expected.sha256)).toBe(false)
    expect(cache.stats().partialBytes).toBe(41_000)
    expect(cache.isQuarantined(expected.sha256)).toBe(false) // a cut is not a reason to back off

    // Only the rest is sent: the hash can only match if the kept bytes were hashed first.
    await cache.importStream(expected, bytesOf(bytes.subarray(41_000)), { resumeFrom: 41_000 })
    expect(await readFile(cache.pathOf(expected.sha256)!)).toEqual(bytes)
    expect(await cache.partialBytes(expected.sha256)).toBe(0)
    expect(cache.stats()).toMatchObject({ partialBytes: 0, verifiedBytes: bytes.length })
  })

  it('resumes across a restart of the process', async () => {
    const dir = await tempDir()
    const bytes = bytesFor('restart', 50_000)
    const first = await openCache(dir)
    await expect(first.importStream(expectedOf(bytes), cutAfter(bytes.subarray(0, 12_345)))).rejects.toThrow()

    const second = await openCache(dir)
    const have = await second.partialBytes(sha(bytes))
    expect(have).toBe(12_345)
    await second.importStream(expectedOf(bytes), Readable.from([bytes.subarray(have)]), { resumeFrom: have })
    expect(second.has(sha(bytes))).toBe(true)
  })

  it('starts again from 0 when the resume offset does not match the partial', async () => {
    const cache = await openCache(await tempDir())
    const bytes = bytesFor('mismatch', 20_000)
    await expect(cache.importStream(expectedOf(bytes), cutAfter(bytes.subarray(0, 5_000)))).rejects.toThrow()

    // The caller thinks it has 4 000 bytes (stale), so the server sends from 4 000: not a continuation
    // of the 5 000 on disk. The import must not append (that would be 21 000 bytes); it restarts the
    // partial with what it was given.
    await expect(
      cache.importStream(expectedOf(bytes), bytesOf(bytes.subarray(4_000)), { resumeFrom: 4_000 })
    ).rejects.toBeInstanceOf(IncompleteDownloadError)
    expect(await cache.partialBytes(sha(bytes))).toBe(16_000)
    expect(cache.has(sha(bytes))).toBe(false)

    // With the whole file from 0 (what a caller does when its Range is not honoured) it works.
    const other = bytesFor('mismatch-2', 20_000)
    await expect(cache.importStream(expectedOf(other), cutAfter(other.subarray(0, 5_000)))).rejects.toThrow()
    await cache.importStream(expectedOf(other), bytesOf(other), { resumeFrom: 4_000 })
    expect(await readFile(cache.pathOf(sha(other))!)).toEqual(other)
  })

  it('truncates an old partial when the import does not ask to resume', async () => {
    const cache = await openCache(await tempDir())
    const bytes = bytesFor('fresh', 10_000)
    await expect(cache.importStream(expectedOf(bytes), cutAfter(bytes.subarray(0, 3_000)))).rejects.toThrow()
    await cache.importStream(expectedOf(bytes), bytesOf(bytes))
    expect(await readFile(cache.pathOf(sha(bytes))!)).toEqual(bytes)
  })

  it('a resumed import with wrong bytes drops the partial without quarantine; a fresh one then quarantines', async () => {
    const cache = await openCache(await tempDir())
    const bytes = bytesFor('tail', 10_000)
    await expect(cache.importStream(expectedOf(bytes), cutAfter(bytes.subarray(0, 4_000)))).rejects.toThrow()
    const garbage = Buffer.alloc(6_000, 0x55)

    const resumed = cache.importStream(expectedOf(bytes), bytesOf(garbage), { resumeFrom: 4_000 })
    await expect(resumed).rejects.toThrow(/resumed at byte 4000; partial discarded/)
    await expect(resumed).rejects.toMatchObject({ quarantine: null })
    expect(await cache.partialBytes(sha(bytes))).toBe(0)
    expect(cache.isQuarantined(sha(bytes))).toBe(false)

    await expect(cache.importStream(expectedOf(bytes), bytesOf(garbage, garbage.subarray(0, 4_000)))).rejects.toThrow(
      /quarantined until/
    )
    expect(cache.isQuarantined(sha(bytes))).toBe(true)
  })

  it('a partial torn on disk is caught by the final hash and dropped', async () => {
    const cache = await openCache(await tempDir())
    const bytes = bytesFor('torn', 8_000)
    await expect(cache.importStream(expectedOf(bytes), cutAfter(bytes.subarray(0, 3_000)))).rejects.toThrow()
    await writeFile(join(cache.root, 'tmp', `${sha(bytes)}.part`), Buffer.alloc(3_000)) // zeros after a power cut
    await expect(
      cache.importStream(expectedOf(bytes), bytesOf(bytes.subarray(3_000)), { resumeFrom: 3_000 })
    ).rejects.toBeInstanceOf(CacheVerificationError)
    expect(cache.has(sha(bytes))).toBe(false)
    await cache.importStream(expectedOf(bytes), bytesOf(bytes))
    expect(cache.has(sha(bytes))).toBe(true)
  })

  it('finishes a partial that already holds every byte (killed between fsync and rename) from an empty source', async () => {
    const cache = await openCache(await tempDir())
    const bytes = bytesFor('complete', 5_000)
    await writeFile(join(cache.root, 'tmp', `${sha(bytes)}.part`), bytes)
    const reopened = new ContentCache(cache.root)
    await reopened.open()
    const have = await reopened.partialBytes(sha(bytes))
    expect(have).toBe(bytes.length)
    await reopened.importStream(expectedOf(bytes), bytesOf(), { resumeFrom: have })
    expect(reopened.has(sha(bytes))).toBe(true)
  })

  it('completePartial finishes a complete partial without a download, and refuses anything else', async () => {
    const cache = await openCache(await tempDir())
    const bytes = bytesFor('complete partial', 6_000)
    expect(await cache.completePartial(expectedOf(bytes))).toBe(false) // nothing there

    await expect(cache.importStream(expectedOf(bytes), cutAfter(bytes.subarray(0, 2_000)))).rejects.toThrow()
    expect(await cache.completePartial(expectedOf(bytes))).toBe(false) // not all bytes yet
    expect(await cache.partialBytes(sha(bytes))).toBe(2_000) // and left alone

    await writeFile(join(cache.root, 'tmp', `${sha(bytes)}.part`), Buffer.alloc(6_000))
    expect(await cache.completePartial(expectedOf(bytes))).toBe(false) // all bytes, wrong ones
    expect(await cache.partialBytes(sha(bytes))).toBe(0)
    expect(cache.isQuarantined(sha(bytes))).toBe(false)

    await writeFile(join(cache.root, 'tmp', `${sha(bytes)}.part`), bytes)
    const reopened = await openCache(join(cache.root, '..'))
    expect(await reopened.completePartial(expectedOf(bytes))).toBe(true)
    expect(await readFile(reopened.pathOf(sha(bytes))!)).toEqual(bytes)
    expect(await reopened.completePartial(expectedOf(bytes))).toBe(true) // already there
    expect(reopened.stats()).toMatchObject({ partialBytes: 0, verifiedBytes: 6_000 })
  })

  it('drops a partial that is longer than the file', async () => {
    const cache = await openCache(await tempDir())
    const bytes = bytesFor('short file', 1_000)
    await writeFile(join(cache.root, 'tmp', `${sha(bytes)}.part`), bytesFor('x', 1_500))
    const source = Readable.from([Buffer.from('more')])
    await expect(cache.importStream(expectedOf(bytes), source, { resumeFrom: 1_500 })).rejects.toThrow(/more bytes/)
    expect(source.destroyed).toBe(true)
    expect(await readdir(join(cache.root, 'tmp'))).toEqual([])
  })

  it('an early clean end of a resumed import keeps every byte so far', async () => {
    const cache = await openCache(await tempDir())
    const bytes = bytesFor('early end', 9_000)
    await expect(cache.importStream(expectedOf(bytes), bytesOf(bytes.subarray(0, 2_000)))).rejects.toBeInstanceOf(
      IncompleteDownloadError
    )
    await expect(
      cache.importStream(expectedOf(bytes), bytesOf(bytes.subarray(2_000, 7_000)), { resumeFrom: 2_000 })
    ).rejects.toBeInstanceOf(IncompleteDownloadError)
    expect(await cache.partialBytes(sha(bytes))).toBe(7_000)
    await cache.importStream(expectedOf(bytes), bytesOf(bytes.subarray(7_000)), { resumeFrom: 7_000 })
    expect(cache.has(sha(bytes))).toBe(true)
  })

  it('a source that fails before any byte leaves no empty partial behind', async () => {
    const cache = await openCache(await tempDir())
    await expect(cache.importFile(expectedOf(Buffer.from('x')), join(cache.root, 'missing.mp4'))).rejects.toThrow(
      /ENOENT/
    )
    expect(await readdir(join(cache.root, 'tmp'))).toEqual([])
  })

  // Under load a file stream could fail to open (ENOENT) before the import got to reading it, while it
  // waited for its hash's turn; an 'error' event nobody listened to then escaped as an uncaught exception.
  it('a source that fails while waiting for its turn rejects its import and nothing escapes', async () => {
    const cache = await openCache(await tempDir())
    const bytes = Buffer.from('x')
    const escaped: unknown[] = []
    const record = (error: unknown): void => void escaped.push(error)
    process.on('uncaughtException', record)
    try {
      let release!: () => void
      const held = new Promise<void>((resolve) => (release = resolve))
      async function* cutLate(): AsyncGenerator<Uint8Array> {
        await held
        yield* cutAfter()
      }
      const first = cache.importStream(expectedOf(bytes), cutLate())
      // Both fail while the first import holds the hash: a missing file, and a stream destroyed with an error.
      const missing = cache.importFile(expectedOf(bytes), join(cache.root, 'missing.mp4'))
      const broken = new Readable({ read() {} })
      const second = cache.importStream(expectedOf(bytes), broken)
      broken.destroy(Object.assign(new Error('disk gone'), { code: 'EIO' }))
      await new Promise((resolve) => setTimeout(resolve, 50))
      release()
      await expect(first).rejects.toThrow('socket hang up')
      await expect(missing).rejects.toThrow(/ENOENT/)
      await expect(second).rejects.toThrow('disk gone')
      expect(escaped).toEqual([])
      expect(await readdir(join(cache.root, 'tmp'))).toEqual([])
    } finally {
      process.off('uncaughtException', record)
    }
  })

  it('property: any chunking, any cut, any chunking of the rest gives the same verified object', async () => {
    const dir = await tempDir()
    const cache = await openCache(dir)
    let run = 0
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 0, maxLength: 3_000 }),
        fc.array(fc.nat(3_000), { maxLength: 8 }),
        fc.nat(3_000),
        fc.array(fc.nat(3_000), { maxLength: 8 }),
        fc.boolean(),
        async (raw, firstSplits, cutAt, restSplits, restart) => {
          // A per-run prefix keeps every run's hash distinct, so earlier runs never make it a no-op.
          const bytes = Buffer.concat([Buffer.from(`run ${run++}:`), raw])
          const cut = Math.min(cutAt, bytes.length)
          const expected = expectedOf(bytes)
          await expect(cache.importStream(expected, cutAfter(...splitAt(bytes.subarray(0, cut), firstSplits)))).rejects.toThrow()
          const target = restart ? await openCache(dir) : cache
          const have = await target.partialBytes(expected.sha256)
          expect(have).toBe(cut)
          await target.importStream(expected, bytesOf(...splitAt(bytes.subarray(have), restSplits)), { resumeFrom: have })
          expect(await readFile(target.pathOf(expected.sha256)!)).toEqual(bytes)
          expect(await target.partialBytes(expected.sha256)).toBe(0)
          if (restart) await cache.open() // the property's cache sees what the restarted one did
        }
      ),
      { numRuns: 60 }
    )
  })

  it('serializes two imports of one hash: the second starts only after the first ended', async () => {
    const cache = await openCache(await tempDir())
    const bytes = bytesFor('same hash', 40_000)
    const expected = expectedOf(bytes)
    const events: string[] = []
    let releaseFirst!: () => void
    const firstMayEnd = new Promise<void>((resolve) => {
      releaseFirst = resolve
    })
    let firstStarted!: () => void
    const firstRunning = new Promise<void>((resolve) => {
      firstStarted = resolve
    })

    async function* first(): AsyncGenerator<Uint8Array> {
      events.push('first: start')
      yield bytes.subarray(0, 15_000)
      firstStarted()
      await firstMayEnd
      events.push('first: cut')
      throw new Error('cut')
    }
    async function* second(): AsyncGenerator<Uint8Array> {
      events.push('second: start')
      yield bytes.subarray(15_000, 30_000)
      yield bytes.subarray(30_000)
      events.push('second: end')
    }

    const one = cache.importStream(expected, first())
    // The second caller already knows the first will have written 15 000 bytes; it asks to resume there.
    const two = cache.importStream(expected, second(), { resumeFrom: 15_000 })
    await firstRunning
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(events).toEqual(['first: start'])
    releaseFirst()
    await expect(one).rejects.toThrow('cut')
    await two
    expect(events).toEqual(['first: start', 'first: cut', 'second: start', 'second: end'])
    expect(await readFile(cache.pathOf(expected.sha256)!)).toEqual(bytes)
  })

  it('many concurrent imports of one hash all resolve and leave one object', async () => {
    const cache = await openCache(await tempDir())
    const bytes = bytesFor('crowd', 30_000)
    const sources = Array.from({ length: 6 }, () => Readable.from(splitAt(bytes, [7_000, 19_000])))
    await Promise.all(sources.map((source) => cache.importStream(expectedOf(bytes), source)))
    expect(cache.stats()).toMatchObject({ verifiedCount: 1, verifiedBytes: bytes.length, partialBytes: 0 })
    expect(sources.slice(1).every((source) => source.destroyed)).toBe(true)
  })
})
