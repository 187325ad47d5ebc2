// Importing a content folder (the project's own assets/demo) into a unit: files through the upload intake,
// texts as notices, again without duplicates; a folder with a bad file or notice is refused by name.
import { cp, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, expect, it } from 'vitest'
import { listContent } from '../../../server/library/content'
import { importContentCommand, startLibrary } from '../../../server/library/commands'
import { LibraryError } from '../../../server/library/errors'
import { manifestItemForContent } from '../../../server/library/manifest-item'
import { useTempDirs } from '../../helpers/temp-dir'
import { EDITOR, openTestLibrary, type TestLibrary } from './fixtures/media'

const tempDir = useTempDirs()
const open: TestLibrary[] = []
afterEach(async () => {
  for (const t of open.splice(0)) await t.opened.close()
})
async function openLib(): Promise<TestLibrary> {
  const t = await openTestLibrary(await tempDir())
  open.push(t)
  return t
}
const DEMO = join(process.cwd(), 'assets', 'demo')

it('imports assets/demo into a commune: its picture, its video, its two notices; a second run adds nothing', async () => {
  const { library } = await openLib()
  const lines: string[] = []
  const first = await importContentCommand(library, ['--unit', 'xa-a1', DEMO], (line) => lines.push(line))
  expect(first.items.map((item) => [item.kind, item.status]).sort()).toEqual(
    [
      ['image', 'imported'],
      ['text', 'imported'],
      ['text', 'imported'],
      ['video', 'imported']
    ].sort()
  )
  expect(lines.at(-1)).toMatch(/^4 imported, 0 already there/)
  const listed = await listContent(library, EDITOR, { unitIds: ['xa-a1'] })
  expect(listed.find((item) => item.kind === 'video')).toMatchObject({ name: 'clip', file: { format: 'MP4', probed: true } })
  expect(listed.find((item) => item.kind === 'image')).toMatchObject({ name: 'poster', file: { format: 'JPEG' } })

  // The import's playlist, turned back into manifest items, holds the same durations.
  const playlist = first.playlists[0]
  expect(playlist?.items.length).toBeGreaterThan(0)
  for (const entry of playlist?.items ?? []) {
    const { item } = await manifestItemForContent(library, entry.contentId, entry.durationSec !== undefined ? { durationSec: entry.durationSec } : {})
    if (entry.durationSec !== undefined) expect(item.durationSec).toBe(entry.durationSec)
  }

  const again = await importContentCommand(library, ['--unit=xa-a1', DEMO], () => undefined)
  expect(again.items.every((item) => item.status === 'already')).toBe(true)
  expect(await listContent(library, EDITOR, { unitIds: ['xa-a1'] })).toHaveLength(4)
})

it('refuses by name: no unit, an unknown unit, a bad notice (before storing anything), a file that is not a picture', async () => {
  const { library } = await openLib()
  await expect(importContentCommand(library, [DEMO], () => undefined)).rejects.toMatchObject({ field: 'unit', code: 'usage' })
  await expect(importContentCommand(library, ['--unit', 'khong-co', DEMO], () => undefined)).rejects.toMatchObject({ status: 404, field: 'unit' })

  const folder = await tempDir()
  await cp(DEMO, folder, { recursive: true })
  const manifest = JSON.parse(await (await import('node:fs/promises')).readFile(join(folder, 'manifest.json'), 'utf8')) as { playlists: Array<{ items: Array<Record<string, unknown>> }> }
  const text = manifest.playlists[0]?.items.find((item) => item.kind === 'text') as Record<string, unknown>
  text.body = 'a\u0007b'
  await writeFile(join(folder, 'manifest.json'), JSON.stringify(manifest))
  const error = await importContentCommand(library, ['--unit', 'xa-a1', folder], () => undefined).catch((e: unknown) => e)
  expect(error).toBeInstanceOf(LibraryError)
  expect(error).toMatchObject({ code: 'control-character', field: expect.stringMatching(/^playlists\.0\.items\.\d+\.body$/) })
  // Refused before anything was stored.
  expect(await listContent(library, EDITOR)).toEqual([])

  // A "picture" that is a web page, listed with its true hash: the intake refuses it, naming the item.
  const html = Buffer.from('<html><body>poster</body></html>')
  const poster = (manifest as unknown as { assets: Array<{ url: string; sha256: string; size: number }> }).assets.find((a) => a.url === 'poster.jpg')
  if (!poster) throw new Error('assets/demo has no poster.jpg')
  const oldSha = poster.sha256
  poster.sha256 = (await import('node:crypto')).createHash('sha256').update(html).digest('hex')
  poster.size = html.length
  for (const item of manifest.playlists[0]?.items ?? []) if (item.asset === oldSha) item.asset = poster.sha256
  text.body = 'Hợp lệ'
  await writeFile(join(folder, 'manifest.json'), JSON.stringify(manifest))
  await writeFile(join(folder, 'poster.jpg'), html)
  const refused = await importContentCommand(library, ['--unit', 'xa-a1', folder], () => undefined).catch((e: unknown) => e)
  expect(refused).toMatchObject({ code: 'unsupported-type', field: 'items.poster' })
  expect((refused as LibraryError).vi).toContain('poster.jpg')
})

it('at start: sweeps what a killed upload left, and says when ffprobe is missing', async () => {
  const { library } = await openLib()
  await (await import('node:fs/promises')).mkdir(library.mediaRoot, { recursive: true })
  await writeFile(join(library.mediaRoot, '.tmp-left-by-a-kill'), 'partial')
  const started = await startLibrary(library)
  expect(started).toMatchObject({ sweptTempFiles: 1, ffprobe: true })
  const without = await startLibrary({ ...library, ffprobe: '/nonexistent/ffprobe' })
  expect(without.ffprobe).toBe(false)
  expect(without.lines.join('\n')).toMatch(/ffprobe not found/)
})
