// Upload intake against real files, a real SQLite file and real ffprobe: the type comes from the bytes,
// huge pictures and cut videos are refused before anything is stored, the same bytes make one file.
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { LibraryError } from '../../../server/library/errors'
import { NOT_PROBED, uploadMedia } from '../../../server/library/intake'
import { mediaPath } from '../../../server/library/media-files'
import { useTempDirs } from '../../helpers/temp-dir'
import { chunked, craftPng, EDITOR, ffmpegMake, makeMp4, makePicture, makeWebm, openTestLibrary, type TestLibrary } from './fixtures/media'

const tempDir = useTempDirs()
const open: TestLibrary[] = []
afterEach(async () => {
  for (const t of open.splice(0)) await t.opened.close()
})

async function openLib(options: Parameters<typeof openTestLibrary>[1] = {}): Promise<TestLibrary> {
  const t = await openTestLibrary(await tempDir(), options)
  open.push(t)
  return t
}

/** Every file under the media folder (final names and temp files alike). */
async function mediaFiles(root: string): Promise<string[]> {
  const found: string[] = []
  for (const entry of await readdir(root, { withFileTypes: true }).catch(() => [])) {
    if (entry.isDirectory()) for (const name of await readdir(join(root, entry.name))) found.push(`${entry.name}/${name}`)
    else found.push(entry.name)
  }
  return found
}

async function refusal(promise: Promise<unknown>): Promise<LibraryError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e
  )
  expect(error).toBeInstanceOf(LibraryError)
  return error as LibraryError
}

const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex')

let files: { png: Buffer; jpeg: Buffer; webp: Buffer; mp4: Buffer; mov: Buffer; webm: Buffer; m4a: Buffer }
beforeAll(async () => {
  const dir = await (await import('node:fs/promises')).mkdtemp(join((await import('node:os')).tmpdir(), 'bangtin-media-'))
  files = {
    png: makePicture(dir, 'a.png'),
    jpeg: makePicture(dir, 'a.jpg'),
    webp: makePicture(dir, 'a.webp'),
    mp4: makeMp4(dir),
    mov: makeMp4(dir, 'clip.mov'),
    webm: makeWebm(dir),
    m4a: readFileSync(ffmpegMake(dir, 'sound.m4a', ['-f', 'lavfi', '-i', 'sine=frequency=440:duration=1', '-c:a', 'aac']))
  }
  await (await import('node:fs/promises')).rm(dir, { recursive: true, force: true })
}, 60_000)

describe('the type comes from the bytes', () => {
  it('takes JPEG, PNG and WebP pictures with their pixel size, whatever they are called', async () => {
    const { library, mediaRoot } = await openLib()
    const jpeg = await uploadMedia(library, EDITOR, { unitId: 'xa-a1', fileName: 'ảnh.jpg', body: chunked(files.jpeg) })
    // A PNG called .jpg IS an image: it is taken, as what it is.
    const png = await uploadMedia(library, EDITOR, { unitId: 'xa-a1', fileName: 'thật ra là png.jpg', body: chunked(files.png) })
    const webp = await uploadMedia(library, EDITOR, { unitId: 'xa-a1', fileName: 'x.webp', body: chunked(files.webp, 7) })
    expect(jpeg.item).toMatchObject({ kind: 'image', name: 'ảnh', file: { format: 'JPEG', width: 64, height: 48, bytes: files.jpeg.length } })
    expect(png.item).toMatchObject({ kind: 'image', name: 'thật ra là png', file: { format: 'PNG', width: 64, height: 48 } })
    expect(webp.item).toMatchObject({ kind: 'image', file: { format: 'WebP', width: 64, height: 48 } })
    // Nothing an operator sees carries a hash.
    expect(JSON.stringify([jpeg, png, webp])).not.toMatch(/[0-9a-f]{64}/)
    expect(await readFile(mediaPath(mediaRoot, sha(files.png)))).toEqual(files.png)
  })

  it('refuses an HTML page called .png, naming the field, in both languages, and keeps nothing', async () => {
    const { library, mediaRoot, opened } = await openLib()
    const html = Buffer.from('<!doctype html><html><body><script>alert(1)</script></body></html>\n'.repeat(50))
    const error = await refusal(uploadMedia(library, EDITOR, { unitId: 'xa-a1', fileName: 'anh.png', body: chunked(html) }))
    expect(error).toMatchObject({ status: 400, code: 'unsupported-type', field: 'file' })
    expect(error.vi).toMatch(/không phải ảnh/)
    expect(error.en).toMatch(/not an image/)
    expect(await mediaFiles(mediaRoot)).toEqual([])
    expect(await opened.db.selectFrom('library_content').selectAll().execute()).toEqual([])
  })

  it('refuses HEIF photos and M4A sound (ISO box files that are no videos), Matroska that is not WebM, and an empty file', async () => {
    const { library } = await openLib()
    const heic = Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypheic\0\0\0\0mif1heic'), Buffer.alloc(100)])
    expect(await refusal(uploadMedia(library, EDITOR, { unitId: 'xa-a1', fileName: 'IMG.HEIC', body: chunked(heic) }))).toMatchObject({ code: 'unsupported-type' })
    const mkv = Buffer.from(files.webm)
    mkv.write('matroska', mkv.indexOf('webm'), 'latin1')
    expect(await refusal(uploadMedia(library, EDITOR, { unitId: 'xa-a1', fileName: 'a.webm', body: chunked(mkv) }))).toMatchObject({ code: 'unsupported-type' })
    expect(await refusal(uploadMedia(library, EDITOR, { unitId: 'xa-a1', fileName: 'a.png', body: chunked(Buffer.alloc(0)) }))).toMatchObject({ code: 'empty-file', field: 'file' })
    // Sound only (an M4A is an MP4 box file too): refused from its brand, with or without ffprobe.
    expect(await refusal(uploadMedia(library, EDITOR, { unitId: 'xa-a1', fileName: 'bai-hat.mp4', body: chunked(files.m4a) }))).toMatchObject({ code: 'unsupported-type' })
  })
})

describe('pictures too large to decode', () => {
  it('refuses a small PNG declaring 20,000×20,000 px from its header, without reading the rest of the body', async () => {
    const { library, mediaRoot } = await openLib()
    const bomb = craftPng(20_000, 20_000)
    expect(bomb.length).toBeLessThan(400 * 1024)
    let chunksPulled = 0
    async function* body() {
      for await (const chunk of chunked(bomb, 1024)) {
        chunksPulled++
        yield chunk
      }
    }
    const error = await refusal(uploadMedia(library, EDITOR, { unitId: 'xa-a1', fileName: 'bomb.png', body: body() }))
    expect(error).toMatchObject({ status: 413, code: 'image-too-large', field: 'file' })
    expect(error.vi).toContain('20000×20000')
    // The header is in the first kilobyte: refused there, the other ~50 chunks never pulled.
    expect(chunksPulled).toBe(1)
    expect(await mediaFiles(mediaRoot)).toEqual([])
  })

  it('refuses a file over the size cap as it streams, and a cut PNG at its end', async () => {
    const { library, mediaRoot } = await openLib({ limits: { maxImageBytes: Math.floor(files.png.length / 2) } })
    const error = await refusal(uploadMedia(library, EDITOR, { unitId: 'xa-a1', body: chunked(files.png, 100) }))
    expect(error).toMatchObject({ status: 413, code: 'too-large', field: 'file' })
    expect(error.vi).toMatch(/ảnh tối đa/)
    const cut = files.png.subarray(0, files.png.length - 20)
    const roomy = await openLib()
    expect(await refusal(uploadMedia(roomy.library, EDITOR, { unitId: 'xa-a1', body: chunked(cut) }))).toMatchObject({ code: 'truncated', field: 'file' })
    expect(await mediaFiles(mediaRoot)).toEqual([])
    expect(await mediaFiles(roomy.mediaRoot)).toEqual([])
  })
})

describe('cut JPEGs', () => {
  it('refuses a real JPEG cut at any point (the header alone still names its size), keeps the whole one and zero padding after its end', async () => {
    const poster = readFileSync(join(__dirname, '../../../assets/demo/poster.jpg'))
    const { library, mediaRoot } = await openLib()
    for (const at of [2000, Math.floor(poster.length / 2), poster.length - 2, poster.length - 1]) {
      const error = await refusal(uploadMedia(library, EDITOR, { unitId: 'xa-a1', fileName: `cut-${at}.jpg`, body: chunked(poster.subarray(0, at), 777) }))
      expect(error, `cut at ${at}`).toMatchObject({ status: 400, code: 'truncated', field: 'file' })
      expect(error.vi).toContain('JPEG bị cắt dở')
    }
    expect(await refusal(uploadMedia(library, EDITOR, { unitId: 'xa-a1', body: chunked(Buffer.concat([poster, Buffer.from('garbage')])) }))).toMatchObject({ code: 'broken-image' })
    expect(await mediaFiles(mediaRoot)).toEqual([])
    for (const whole of [poster, files.jpeg, Buffer.concat([poster, Buffer.alloc(64)])]) {
      const stored = await uploadMedia(library, EDITOR, { unitId: 'xa-a1', fileName: 'whole.jpg', body: chunked(whole, 1000) })
      expect(stored.item.kind).toBe('image')
    }
  })
})

describe('pictures whose compressed data is short behind intact markers (review2 A-9)', () => {
  const poster = () => readFileSync(join(__dirname, '../../../assets/demo/poster.jpg'))
  const EOI = Buffer.from([0xff, 0xd9])

  it('refuses a JPEG cut at 20 000 bytes and closed with FF D9, or cut 40 bytes into its scan; stores nothing; keeps the whole one', async () => {
    const whole = poster()
    const sos = whole.indexOf(Buffer.from([0xff, 0xda]))
    const cuts = { 'cut-eoi.jpg': Buffer.concat([whole.subarray(0, 20_000), EOI]), 'cut-sos.jpg': Buffer.concat([whole.subarray(0, sos + 2 + whole.readUInt16BE(sos + 2) + 40), EOI]) }
    const { library, mediaRoot } = await openLib()
    for (const [fileName, bytes] of Object.entries(cuts)) {
      const error = await refusal(uploadMedia(library, EDITOR, { unitId: 'xa-a1', fileName, body: chunked(bytes, 777) }))
      expect(error, fileName).toMatchObject({ status: 400, code: 'broken-image', field: 'file' })
      expect(error.vi, fileName).toContain('JPEG bị hỏng hoặc cắt dở')
      expect(error.en, fileName).toContain('does not decode')
    }
    expect(await mediaFiles(mediaRoot)).toEqual([])
    const stored = await uploadMedia(library, EDITOR, { unitId: 'xa-a1', fileName: 'poster.jpg', body: chunked(whole, 1000) })
    expect(stored.item).toMatchObject({ kind: 'image' })
  })

  it('refuses a PNG cut and closed with IEND and a still WebP cut with its RIFF size mended; an animated WebP is kept', async () => {
    const dir = await tempDir()
    const png = files.png
    const webp = files.webp
    const cutPng = Buffer.concat([png.subarray(0, Math.floor(png.length / 2)), png.subarray(png.length - 12)])
    const cutWebp = Buffer.from(webp.subarray(0, Math.floor(webp.length / 2)))
    cutWebp.writeUInt32LE(cutWebp.length - 8, 4)
    const { library, mediaRoot } = await openLib()
    for (const [fileName, bytes] of Object.entries({ 'cut.png': cutPng, 'cut.webp': cutWebp })) {
      const error = await refusal(uploadMedia(library, EDITOR, { unitId: 'xa-a1', fileName, body: chunked(bytes) }))
      expect(error, fileName).toMatchObject({ status: 400, field: 'file' })
    }
    expect(await mediaFiles(mediaRoot)).toEqual([])
    const animated = readFileSync(ffmpegMake(dir, 'anim.webp', ['-f', 'lavfi', '-i', 'testsrc=size=64x48:rate=5:duration=1', '-c:v', 'libwebp_anim', '-loop', '0']))
    for (const bytes of [png, webp, animated]) expect((await uploadMedia(library, EDITOR, { unitId: 'xa-a1', body: chunked(bytes) })).item).toMatchObject({ kind: 'image' })
  })

  it('without ffmpeg (beside a missing ffprobe) the structural walk is all there is: the cut JPEG closed with FF D9 is taken', async () => {
    const { library } = await openLib({ ffprobe: '/nonexistent/ffprobe' })
    const stored = await uploadMedia(library, EDITOR, { unitId: 'xa-a1', fileName: 'cut.jpg', body: chunked(Buffer.concat([poster().subarray(0, 20_000), EOI])) })
    expect(stored.item).toMatchObject({ kind: 'image' })
  })
})

describe('videos', () => {
  it('probes an MP4 and a WebM with ffprobe: resolution, duration, codec', async () => {
    const { library } = await openLib()
    const mp4 = await uploadMedia(library, EDITOR, { unitId: 'xa-a1', fileName: 'clip.mov', body: chunked(files.mp4) })
    const webm = await uploadMedia(library, EDITOR, { unitId: 'xa-a1', fileName: 'clip.webm', body: chunked(files.webm) })
    expect(mp4.notices).toEqual([])
    expect(mp4.item).toMatchObject({ kind: 'video', muted: true, file: { format: 'MP4', width: 160, height: 120, codec: 'h264', probed: true } })
    expect(webm.item).toMatchObject({ kind: 'video', file: { format: 'WebM', width: 160, height: 120, codec: 'vp8', probed: true } })
    // QuickTime (brand "qt  "): the MP4 family, played as such.
    const mov = await uploadMedia(library, EDITOR, { unitId: 'xa-a1', fileName: 'clip.mov', body: chunked(files.mov) })
    expect(mov.item).toMatchObject({ kind: 'video', file: { format: 'MP4', codec: 'h264', width: 160 } })
    if (mp4.item.kind !== 'video') throw new Error('not a video')
    expect(mp4.item.file.durationSec).toBeCloseTo(1, 0)
  })

  it('refuses a cut video (index first, so only the box walk can tell) and keeps nothing', async () => {
    const { library, mediaRoot, opened } = await openLib()
    for (const [cut, name] of [
      [files.mp4.subarray(0, Math.floor(files.mp4.length * 0.7)), 'cut.mp4'],
      [files.webm.subarray(0, Math.floor(files.webm.length * 0.7)), 'cut.webm']
    ] as const) {
      const error = await refusal(uploadMedia(library, EDITOR, { unitId: 'xa-a1', fileName: name, body: chunked(cut, 4096) }))
      expect(error, name).toMatchObject({ status: 400, code: 'truncated', field: 'file' })
      expect(error.vi).toMatch(/cắt dở/)
    }
    expect(await mediaFiles(mediaRoot)).toEqual([])
    expect(await opened.db.selectFrom('library_media').selectAll().execute()).toEqual([])
  })

  it('takes a video without ffprobe, saying it could not look', async () => {
    const { library } = await openLib({ ffprobe: '/nonexistent/ffprobe' })
    const result = await uploadMedia(library, EDITOR, { unitId: 'xa-a1', body: chunked(files.mp4) })
    expect(result.notices).toEqual([NOT_PROBED])
    expect(result.item).toMatchObject({ kind: 'video', file: { format: 'MP4', width: null, durationSec: null, probed: false } })
    // The box walk still runs without ffprobe.
    const cut = files.mp4.subarray(0, files.mp4.length - 100)
    expect(await refusal(uploadMedia(library, EDITOR, { unitId: 'xa-a1', body: chunked(cut) }))).toMatchObject({ code: 'truncated' })
  })
})

describe('the same bytes twice', () => {
  it('make one file; in one unit, the item already there; in another unit, its own item on the same file', async () => {
    const { library, mediaRoot, opened } = await openLib()
    const first = await uploadMedia(library, EDITOR, { unitId: 'xa-a1', fileName: 'a.jpg', body: chunked(files.jpeg) })
    const again = await uploadMedia(library, EDITOR, { unitId: 'xa-a1', fileName: 'b.jpg', body: chunked(files.jpeg, 333) })
    const other = await uploadMedia(library, EDITOR, { unitId: 'huyen-a', fileName: 'c.jpg', body: chunked(files.jpeg) })
    expect(first.alreadyInLibrary).toBe(false)
    expect(again).toMatchObject({ alreadyInLibrary: true, item: { id: first.item.id, name: 'a' } })
    expect(other.alreadyInLibrary).toBe(false)
    expect(other.item.id).not.toBe(first.item.id)
    expect(await mediaFiles(mediaRoot)).toEqual([`${sha(files.jpeg).slice(0, 2)}/${sha(files.jpeg)}`])
    expect(await opened.db.selectFrom('library_media').select('sha256').execute()).toHaveLength(1)
  })

  it('refuses a unit outside the actor’s subtree', async () => {
    const { library } = await openLib()
    expect(await refusal(uploadMedia(library, EDITOR, { unitId: 'huyen-b', body: chunked(files.png) }))).toMatchObject({ status: 404, field: 'unitId' })
  })
})

