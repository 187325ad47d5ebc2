// The media writer under SIGKILL, in a real child process: killed mid-upload, it leaves no final file and
// no row (only a temp file, swept at the next start); killed at any moment, every final file is complete
// and correct, and every row names a file that is there.
import type { ChildProcess } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openSqlite } from '../../../server/db/database'
import { uploadMedia } from '../../../server/library/intake'
import { createLibrary } from '../../../server/library/library'
import { hasMedia, sweepMediaTemp } from '../../../server/library/media-files'
import { runChild } from '../../main/core/cache/fixtures/kill-child'
import { seededRandom } from '../../helpers/seeded-random'
import { useTempDirs } from '../../helpers/temp-dir'
import { chunked, EDITOR, ffmpegMake, openTestLibrary } from './fixtures/media'

const CHILD = join(__dirname, 'fixtures', 'upload-child.ts')
const live = new Set<ChildProcess>()
const tempDir = useTempDirs()
let video = ''
let videoDir = ''
let videoBytes: Buffer
let videoSha = ''

beforeAll(async () => {
  // About 2 MB: long enough that a kill lands mid-write, small enough for many runs. Its own folder: the
  // per-test temp folders go after each test.
  videoDir = await mkdtemp(join(tmpdir(), 'bangtin-kill-video-'))
  const dir = videoDir
  // Noise, every frame a key frame: incompressible enough to make a file of that size in a moment.
  video = ffmpegMake(dir, 'big.mp4', ['-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=25,noise=alls=60:allf=t', '-t', '2', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-g', '1', '-crf', '10', '-preset', 'ultrafast'])
  videoBytes = await readFile(video)
  videoSha = createHash('sha256').update(videoBytes).digest('hex')
}, 60_000)

afterAll(async () => {
  for (const child of live) child.kill('SIGKILL')
  if (videoDir) await rm(videoDir, { recursive: true, force: true })
})

async function prepared(): Promise<string> {
  const dir = await tempDir()
  const t = await openTestLibrary(dir)
  await t.opened.close()
  return dir
}

async function state(dir: string) {
  const root = join(dir, 'media')
  const finals: string[] = []
  const temps: string[] = []
  for (const entry of await readdir(root, { withFileTypes: true }).catch(() => [])) {
    if (entry.isDirectory()) for (const name of await readdir(join(root, entry.name))) finals.push(join(root, entry.name, name))
    else temps.push(entry.name)
  }
  const opened = await openSqlite(join(dir, 'source.sqlite'))
  const media = await opened.db.selectFrom('library_media').selectAll().execute()
  const content = await opened.db.selectFrom('library_content').selectAll().execute()
  await opened.close()
  return { root, finals, temps, media, content }
}

describe('upload under SIGKILL', () => {
  it('killed mid-body: no final file, no row; the temp file is swept at the next start and the upload then works', async () => {
    const dir = await prepared()
    const run = await runChild(CHILD, [dir, video, 'hang', '0'], { delayMs: 0, after: 'half' }, live)
    expect(run.killed, run.report).toBe(true)
    const after = await state(dir)
    expect(after.finals).toEqual([])
    expect(after.media).toEqual([])
    expect(after.content).toEqual([])
    expect(after.temps).toHaveLength(1)
    expect(after.temps[0]).toMatch(/^\.tmp-/)

    expect(await sweepMediaTemp(after.root)).toBe(1)
    expect((await state(dir)).temps).toEqual([])
    const opened = await openSqlite(join(dir, 'source.sqlite'))
    const library = createLibrary({ db: opened.db, mediaRoot: after.root })
    const result = await uploadMedia(library, EDITOR, { unitId: 'xa-a1', body: chunked(videoBytes) })
    expect(result.item.kind).toBe('video')
    expect(await hasMedia(after.root, videoSha)).toBe(true)
    await opened.close()
  }, 60_000)

  it('killed at random moments: every final file is whole and correct, every row names a file that is there', async () => {
    const seed = Date.now()
    const next = seededRandom(seed)
    const outcomes = { killed: 0, completed: 0 }
    for (let run = 0; run < 8; run++) {
      const dir = await prepared()
      const delayMs = Math.floor(next() * 900)
      const result = await runChild(CHILD, [dir, video, 'run', '2'], { delayMs, after: 'start' }, live)
      const context = `seed ${seed}, run ${run}, kill ${delayMs} ms after start`
      if (!result.killed && !result.completed) throw new Error(`child failed (${context}): ${result.report}`)
      outcomes[result.killed ? 'killed' : 'completed']++
      const after = await state(dir)
      for (const file of after.finals) {
        expect(createHash('sha256').update(await readFile(file)).digest('hex'), context).toBe(file.split('/').pop())
      }
      for (const row of after.media) expect(await hasMedia(after.root, row.sha256), context).toBe(true)
      for (const row of after.content) expect(after.media.map((m) => m.sha256), context).toContain(row.media_sha256)
      expect(after.temps.every((name) => name.startsWith('.tmp-')), context).toBe(true)
      if (result.completed) expect(after.content, context).toHaveLength(1)
      await sweepMediaTemp(after.root)
      expect((await state(dir)).temps, context).toEqual([])
    }
    // Which moments the kills hit depends on the machine; the invariants above hold for every one.
    expect(outcomes.killed + outcomes.completed).toBe(8)
  }, 120_000)
})
