// A real crash test of eviction: a child process sweeps a thousand retired files out of the cache and is
// killed with SIGKILL at random moments of the sweep (dating them, writing usage.json, deleting them).
// After every kill the cache opens, holds only correct files, has lost nothing referenced, and its index
// matches the disk; the next run finishes the job. Every other run is killed at a chosen deletion (the
// child holds the sweep there), so kills in the middle of the deletions happen on any machine at any speed.
import type { ChildProcess } from 'node:child_process'
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ContentCache } from '../../../../main/core/cache/content-cache'
import { seededRandom } from '../../../helpers/seeded-random'
import { useTempDirs } from '../../../helpers/temp-dir'
import { bytesFor, ROOMY_DISK, sha } from './cache-test-kit'
import { runChild } from './fixtures/kill-child'

const CHILD = join(__dirname, 'fixtures', 'crash-evict-child.ts')
const KEPT = 20
const RETIRED_PER_ROUND = 1_000
const FILE_BYTES = 512
/** Kills at a chosen deletion, each between the first and the last; as many runs are killed at a random moment. */
const MID_SWEEP_KILLS = 3
const RUNS = 2 * MID_SWEEP_KILLS

const live = new Set<ChildProcess>()

/** Writes files straight into objects/ as an earlier run would have left them (the cache indexes them at open). */
async function plant(root: string, seeds: string[]): Promise<string[]> {
  const hashes: string[] = []
  for (const seed of seeds) {
    const bytes = bytesFor(seed, FILE_BYTES)
    const hash = sha(bytes)
    await mkdir(join(root, 'objects', hash.slice(0, 2)), { recursive: true })
    await writeFile(join(root, 'objects', hash.slice(0, 2), hash), bytes)
    hashes.push(hash)
  }
  return hashes
}

async function filesUnder(dir: string): Promise<string[]> {
  const files: string[] = []
  for (const prefix of await readdir(dir)) files.push(...(await readdir(join(dir, prefix))))
  return files
}

describe('cache eviction under SIGKILL', () => {
  const tempDir = useTempDirs()

  it('leaves a consistent cache whatever moment the sweep dies at, and finishes the job on the next run', async () => {
    const seed = Date.now()
    const next = seededRandom(seed)
    const root = join(await tempDir(), 'cache')
    const kept = await plant(root, Array.from({ length: KEPT }, (_, i) => `kept ${i}`))
    const planted = new Set(kept)
    // Kill delays are drawn from how long a whole sweep takes here (a guess, grown while kills land before the
    // first deletion, replaced by any run that finished), so kills spread over the sweep on any machine.
    let sweepMs = 50
    const stats = { runs: 0, kills: 0, midSweep: 0 }
    try {
      while (stats.runs < RUNS) {
        const round = stats.runs++
        if ((await filesUnder(join(root, 'objects'))).length < KEPT + RETIRED_PER_ROUND) {
          for (const hash of await plant(root, Array.from({ length: RETIRED_PER_ROUND }, (_, i) => `round ${round} file ${i}`))) planted.add(hash)
        }
        const before = (await filesUnder(join(root, 'objects'))).length
        const retired = before - KEPT
        // Odd runs: killed while the sweep is held after deletion k (1 ≤ k < all of them); even runs: at a random moment.
        const atDeletion = round % 2 === 1 ? 1 + Math.floor(next() * (retired - 1)) : null
        const delayMs = atDeletion === null ? Math.floor(next() * sweepMs) : 0
        const context = `PRNG seed ${seed}, run ${round}, ` + (atDeletion === null ? `kill ${delayMs} ms into the sweep` : `kill after deletion ${atDeletion}`)
        const run = await runChild(
          CHILD,
          [root, ...kept],
          atDeletion === null ? { delayMs, after: 'sweeping' } : { delayMs: 0, after: 'paused', env: { PAUSE_AFTER_DELETIONS: String(atDeletion) } },
          live
        )
        if (atDeletion !== null) expect(run.killed, `${context}: ${run.report}`).toBe(true)
        if (!run.killed && !run.completed) throw new Error(`child failed (${context}): ${run.report}`)
        if (run.completed && run.afterMs !== null) sweepMs = Math.max(1, run.afterMs)
        if (run.killed) stats.kills++

        const cache = new ContentCache(root, { disk: async () => ROOMY_DISK })
        await cache.open()
        const onDisk = await filesUnder(join(root, 'objects'))
        // The index is the disk, every file left is whole and right, and nothing referenced went.
        expect(cache.stats(), context).toMatchObject({ storedCount: onDisk.length, storedBytes: onDisk.length * FILE_BYTES, partialBytes: 0 })
        expect(await cache.verifyAll(), context).toEqual([])
        expect(kept.every((hash) => cache.has(hash)), context).toBe(true)
        expect(onDisk.every((hash) => planted.has(hash)), context).toBe(true)
        // Closed first: this test's own cache writes usage.json too (a temp file, then a rename).
        await cache.close()
        // usage.json is whole (written atomically) and the temp files of a torn write are gone.
        const names = await readdir(root)
        expect(names.filter((name) => name.endsWith('.tmp')), context).toEqual([])
        const usage = names.includes('usage.json') ? await readFile(join(root, 'usage.json'), 'utf8') : '{}'
        expect(() => JSON.parse(usage), context).not.toThrow()
        if (run.killed && onDisk.length > KEPT && onDisk.length < before) stats.midSweep++
        // Killed before a single deletion: the sweep takes longer here than guessed.
        if (run.killed && onDisk.length === before) sweepMs *= 1.5
      }

      // The next run, not killed, finishes the job: only what is referenced is left, and remembered.
      const last = await runChild(CHILD, [root, ...kept], { delayMs: 0, after: 'never printed' }, live)
      expect(last.completed, last.report).toBe(true)
      expect((await filesUnder(join(root, 'objects'))).sort()).toEqual([...kept].sort())
      const usage = JSON.parse(await readFile(join(root, 'usage.json'), 'utf8')) as { played: object; retired: object }
      expect([...Object.keys(usage.played), ...Object.keys(usage.retired)].every((hash) => kept.includes(hash))).toBe(true)
    } finally {
      for (const child of live) child.kill('SIGKILL')
    }
    console.log(`eviction crash test: ${stats.runs} runs, ${stats.kills} kills, ${stats.midSweep} of them in the middle of the deletions`)
    expect(stats.midSweep, `PRNG seed ${seed}`).toBeGreaterThanOrEqual(MID_SWEEP_KILLS)
  }, 180_000)
})
