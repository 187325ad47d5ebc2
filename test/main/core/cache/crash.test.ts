// A real crash test: a child process imports a 20 MB file slowly and is killed with SIGKILL at random
// moments. After every kill, objects/ must hold only correct files and the partial must resume.
import type { ChildProcess } from 'node:child_process'
import { createHash } from 'node:crypto'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ContentCache, hashFile } from '../../../../main/core/cache/content-cache'
import { useTempDirs } from '../../../helpers/temp-dir'
import { generatedBytes, generatedStream } from './fixtures/generated-content'
import { runChild } from './fixtures/kill-child'
import { seededRandom } from '../../../helpers/seeded-random'

const CHILD = join(__dirname, 'fixtures', 'crash-import-child.ts')
const SIZE = 20 * 1024 * 1024
/**
 * Pause per 64 KiB block, chosen per run: at 2 ms a whole import takes over a second, so most kills land
 * mid-stream; at 0 ms it takes a fraction of one, so kills also land in the final fsync and rename.
 */
const PAUSES_MS = [0, 1, 2]
const LANES = 2
const KILLS_PER_LANE = 10
/** Runs that finish before their kill do not count; this bounds the loop if that keeps happening. */
const MAX_RUNS_PER_LANE = 30

/** Children still running, so a failing lane can stop the others before the temp folders go. */
const live = new Set<ChildProcess>()

describe('ContentCache under SIGKILL', () => {
  const tempDir = useTempDirs()

  it('never leaves a wrong file in objects/, and always resumes, whatever moment the process dies', async () => {
    const seed = Date.now()
    const next = seededRandom(seed)
    const stats = { kills: 0, completedRounds: 0, resumedFrom: [] as number[] }
    // One lane failing stops the others (and their children) before the temp folders are removed.
    let stopped = false

    async function lane(lane: number): Promise<void> {
      const root = join(await tempDir(), 'cache')
      let round = 0
      let name = `lane ${lane} round ${round}`
      let bytes = generatedBytes(name, SIZE)
      let sha256 = createHash('sha256').update(bytes).digest('hex')

      let kills = 0
      for (let runs = 0; kills < KILLS_PER_LANE && runs < MAX_RUNS_PER_LANE && !stopped; runs++) {
        const early = next() < 0.2 // some kills land in startup and open(), before the import
        const pauseMs = PAUSES_MS[Math.floor(next() * PAUSES_MS.length)] ?? 0
        // A fast import is over in ~200 ms: a longer window would mostly let it finish unkilled.
        const delayMs = Math.floor(next() * (early ? 600 : pauseMs === 0 ? 200 : 300))
        const run = await runChild(CHILD, [root, name, String(SIZE), sha256, String(pauseMs)], { delayMs, early, after: 'importing' }, live)
        const context = `PRNG seed ${seed}, lane ${lane}, run ${runs}, pause ${pauseMs} ms, kill after ${delayMs} ms${early ? ' from spawn' : ''}`
        if (!run.killed && !run.completed) throw new Error(`child failed (${context}): ${run.report}`)
        if (run.killed) {
          kills++
          stats.kills++
        }

        const cache = new ContentCache(root, { retiredGraceMs: 0 })
        await cache.open()
        // Every file under objects/ is complete and correct: verification removes nothing.
        for (const prefix of await readdir(join(root, 'objects'))) {
          for (const file of await readdir(join(root, 'objects', prefix))) {
            expect(await hashFile(join(root, 'objects', prefix, file)), context).toBe(file)
          }
        }
        expect(await cache.verifyAll(), context).toEqual([])
        const temp = await readdir(join(root, 'tmp'))
        expect(temp.every((file) => file === `${sha256}.part`), context).toBe(true)

        if (cache.has(sha256)) {
          // The round finished (in the child, or it was killed after the rename): start a new file.
          expect(await cache.partialBytes(sha256), context).toBe(0)
          // Retired at once (no grace) and swept: the next round starts from an empty cache.
          cache.space.reference([])
          await cache.space.settled()
          expect(cache.stats().storedCount, context).toBe(0)
          await cache.close()
          stats.completedRounds++
          round++
          name = `lane ${lane} round ${round}`
          bytes = generatedBytes(name, SIZE)
          sha256 = createHash('sha256').update(bytes).digest('hex')
          continue
        }
        // The partial is a true prefix of the file, so the next attempt can resume from its end.
        const have = await cache.partialBytes(sha256)
        stats.resumedFrom.push(have)
        if (have > 0) {
          const part = await readFile(join(root, 'tmp', `${sha256}.part`))
          expect(part.equals(bytes.subarray(0, have)), context).toBe(true)
        }
        await cache.close()
      }

      if (stopped) return
      // The last partial resumes in this process and the import succeeds.
      const cache = new ContentCache(root)
      await cache.open()
      expect(await cache.verifyAll()).toEqual([])
      const have = await cache.partialBytes(sha256)
      await cache.importStream({ sha256, size: SIZE }, generatedStream(name, SIZE, have, 0), { resumeFrom: have })
      expect(cache.has(sha256)).toBe(true)
      expect((await readFile(cache.pathOf(sha256)!)).equals(bytes)).toBe(true)
      await cache.close()
    }

    const lanes = Array.from({ length: LANES }, (_, index) =>
      lane(index).catch((error: unknown) => {
        stopped = true
        for (const child of live) child.kill('SIGKILL')
        throw error
      })
    )
    const outcomes = await Promise.allSettled(lanes)
    for (const outcome of outcomes) if (outcome.status === 'rejected') throw outcome.reason
    expect(stats.kills).toBeGreaterThanOrEqual(20)
    // The kills must have landed mid-import, not only before or after it.
    expect(stats.resumedFrom.some((bytes) => bytes > 0 && bytes < SIZE)).toBe(true)
  }, 40_000)
})
