// Content items become the protocol's manifest items (checked with the core's own schemas), with the
// files they need by path, and a whole manifest made of them passes the board's own parser.
import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { afterEach, beforeAll, expect, it } from 'vitest'
import { ManifestItem, parseManifest } from '../../../main/core/protocol/manifest'
import { createStream, createTextNotice, createTicker } from '../../../server/library/content'
import { LibraryError } from '../../../server/library/errors'
import { uploadMedia } from '../../../server/library/intake'
import { contentResolverFor, KIND_DEFAULT_SEC, manifestItemForContent } from '../../../server/library/manifest-item'
import { useTempDirs } from '../../helpers/temp-dir'
import { chunked, EDITOR, makeMp4, makePicture, openTestLibrary, type TestLibrary } from './fixtures/media'

const tempDir = useTempDirs()
const open: TestLibrary[] = []
afterEach(async () => {
  for (const t of open.splice(0)) await t.opened.close()
})

let png: Buffer
let mp4: Buffer
beforeAll(async () => {
  const dir = await tempDir()
  png = makePicture(dir, 'p.png')
  mp4 = makeMp4(dir)
}, 60_000)

it('turns every kind into a protocol item plus its files, and the manifest made of them parses', async () => {
  const t = await openTestLibrary(await tempDir())
  open.push(t)
  const { library } = t
  const image = await uploadMedia(library, EDITOR, { unitId: 'xa-a1', fileName: 'poster.png', body: chunked(png) })
  const video = await uploadMedia(library, EDITOR, { unitId: 'xa-a1', fileName: 'clip.mp4', body: chunked(mp4) })
  const text = await createTextNotice(library, EDITOR, { unitId: 'xa-a1', title: 'Ƀuôn Ea Tu', body: 'Tiêm chủng ơ̆ ngày 15/12' })
  const ticker = await createTicker(library, EDITOR, { unitId: 'xa-a1', text: 'Chạy chữ', speed: 'cham' })
  const stream = await createStream(library, EDITOR, { unitId: 'xa-a1', name: 'VTV1', url: 'https://live.example.vn/a.m3u8' })

  const compiled = [
    await manifestItemForContent(library, image.item.id, { durationSec: 8, itemId: 'i1' }),
    await manifestItemForContent(library, video.item.id, { itemId: 'i2' }),
    await manifestItemForContent(library, text.id, { durationSec: 15, itemId: 'i3' }),
    await manifestItemForContent(library, ticker.id, { itemId: 'i4' }),
    await manifestItemForContent(library, stream.id, { durationSec: 600, itemId: 'i5' })
  ]
  for (const { item } of compiled) expect(ManifestItem.safeParse(item).success).toBe(true)
  const pngSha = createHash('sha256').update(png).digest('hex')
  expect(compiled[0]).toMatchObject({
    item: { id: 'i1', kind: 'image', asset: pngSha, fit: 'contain', durationSec: 8 },
    assets: [{ sha256: pngSha, size: png.length, mime: 'image/png', url: `/api/v1/assets/${pngSha}` }]
  })
  // The compiler gets the bytes by path: the file under its sha256 is the upload.
  expect(await readFile(compiled[0]?.files.get(pngSha) as string)).toEqual(png)
  expect(compiled[1]?.item).toMatchObject({ kind: 'video', loops: 1, muted: true })
  expect(compiled[1]?.item).not.toHaveProperty('durationSec')
  // Played to its end: the probed length is what the compiler can count on.
  expect(compiled[1]?.expectedSec).toBeCloseTo(1, 0)
  expect(compiled[0]?.expectedSec).toBe(8)
  expect(compiled[2]?.item).toEqual({ id: 'i3', kind: 'text', title: 'Ƀuôn Ea Tu', body: 'Tiêm chủng ơ̆ ngày 15/12'.normalize('NFC'), durationSec: 15 })
  expect(compiled[3]?.item).toMatchObject({ kind: 'ticker', speed: 1, durationSec: 60 })
  expect(compiled[4]?.item).toMatchObject({ kind: 'stream', url: 'https://live.example.vn/a.m3u8', durationSec: 600 })

  const manifest = parseManifest({
    schema: 'bangtin.manifest/v1',
    version: 'library-test',
    playlists: [{ id: 'p', name: 'Xã A1', items: compiled.map((c) => c.item) }],
    assets: compiled.flatMap((c) => c.assets)
  })
  expect(manifest.playlists[0]?.items).toHaveLength(5)
})

it('refuses a duration the protocol refuses, and an unknown content id, naming the field', async () => {
  const t = await openTestLibrary(await tempDir())
  open.push(t)
  const text = await createTextNotice(t.library, EDITOR, { unitId: 'xa-a1', body: 'x' })
  const bad = await manifestItemForContent(t.library, text.id, { durationSec: -1 }).catch((e: unknown) => e)
  expect(bad).toBeInstanceOf(LibraryError)
  expect(bad).toMatchObject({ status: 400, field: 'durationSec' })
  expect(await manifestItemForContent(t.library, 'khong-co', {}).catch((e: unknown) => e)).toMatchObject({ status: 404, field: 'contentId' })
})

it('answers server/programme’s content resolver: the item without the playlist’s fields (seconds: its kind’s default), null once deleted', async () => {
  const t = await openTestLibrary(await tempDir())
  open.push(t)
  const image = await uploadMedia(t.library, EDITOR, { unitId: 'xa-a1', fileName: 'poster.png', body: chunked(png) })
  const resolve = contentResolverFor(t.library)
  const sha = createHash('sha256').update(png).digest('hex')
  const resolved = await t.opened.db.transaction().execute((trx) => resolve(image.item.id, trx))
  // Shown for the picture default when the playlist gives no seconds ("Số giây" left empty).
  expect(resolved?.item).toEqual({ kind: 'image', asset: sha, fit: 'contain', durationSec: KIND_DEFAULT_SEC.image })
  expect(resolved?.files.get(sha)).toMatch(new RegExp(`${sha}$`))
  expect(await resolve('khong-co', t.opened.db)).toBeNull()
})
