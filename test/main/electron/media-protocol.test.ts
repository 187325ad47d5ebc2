// The media scheme: only `<scheme>://cache/<sha256>` of a verified cache object is served, with byte
// ranges for video; everything else is a 404.
import { createHash } from 'node:crypto'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'

const fake = await vi.hoisted(async () => (await import('./fake-electron')).createFakeElectron())
vi.mock('electron', () => fake.module)

import { MEDIA_SCHEME } from '../../../contract/screen'
import { ContentCache } from '../../../main/core/cache/content-cache'
import {
  fileResponse,
  mediaHandler,
  parseRange,
  resolveMediaRequest,
  setupMediaProtocol,
  sniffContentType
} from '../../../main/electron/media-protocol'

const SHA = 'a'.repeat(64)
const DEMO = join(__dirname, '../../../assets/demo')

describe('resolveMediaRequest', () => {
  const pathOf = vi.fn((sha: string) => `/cache/objects/${sha}`)
  beforeEach(() => pathOf.mockClear())

  it('maps a well-formed URL to the path pathOf gives for exactly that hash', () => {
    const hash = '0123456789abcdef'.repeat(4)
    expect(resolveMediaRequest(`${MEDIA_SCHEME}://cache/${hash}`, pathOf)).toBe(`/cache/objects/${hash}`)
    expect(pathOf).toHaveBeenCalledWith(hash)
  })

  it('serves nothing when pathOf knows no verified file for the hash', () => {
    expect(resolveMediaRequest(`${MEDIA_SCHEME}://cache/${SHA}`, () => null)).toBeNull()
  })

  const refused: Record<string, string> = {
    'dot-dot segment': `${MEDIA_SCHEME}://cache/../${SHA}`,
    'dot-dot after the hash': `${MEDIA_SCHEME}://cache/${SHA}/..`,
    'encoded dot-dot': `${MEDIA_SCHEME}://cache/%2e%2e/${SHA}`,
    'encoded dot-dot, upper case': `${MEDIA_SCHEME}://cache/%2E%2E%2F${SHA}`,
    'encoded slash': `${MEDIA_SCHEME}://cache/${SHA.slice(0, 32)}%2F${SHA.slice(32)}`,
    'encoded backslash': `${MEDIA_SCHEME}://cache/..%5C${SHA}`,
    'extra segment after': `${MEDIA_SCHEME}://cache/${SHA}/extra`,
    'extra segment before': `${MEDIA_SCHEME}://cache/objects/${SHA}`,
    'trailing slash': `${MEDIA_SCHEME}://cache/${SHA}/`,
    'upper-case hex': `${MEDIA_SCHEME}://cache/${SHA.toUpperCase()}`,
    'mixed-case hex': `${MEDIA_SCHEME}://cache/${'aB'.repeat(32)}`,
    'non-hex': `${MEDIA_SCHEME}://cache/${'g'.repeat(64)}`,
    '63 digits': `${MEDIA_SCHEME}://cache/${'a'.repeat(63)}`,
    '65 digits': `${MEDIA_SCHEME}://cache/${'a'.repeat(65)}`,
    'wrong host': `${MEDIA_SCHEME}://evil/${SHA}`,
    'host with port': `${MEDIA_SCHEME}://cache:80/${SHA}`,
    'host with credentials': `${MEDIA_SCHEME}://x@cache/${SHA}`,
    'no host': `${MEDIA_SCHEME}:///${SHA}`,
    'query string': `${MEDIA_SCHEME}://cache/${SHA}?path=/etc/passwd`,
    'empty query': `${MEDIA_SCHEME}://cache/${SHA}?`,
    fragment: `${MEDIA_SCHEME}://cache/${SHA}#x`,
    'file scheme': `file:///cache/${SHA}`,
    'https scheme': `https://cache/${SHA}`,
    'scheme prefix': `x${MEDIA_SCHEME}://cache/${SHA}`,
    'trailing newline': `${MEDIA_SCHEME}://cache/${SHA}\n`,
    'leading space': ` ${MEDIA_SCHEME}://cache/${SHA}`,
    'absolute path instead of hash': `${MEDIA_SCHEME}://cache//etc/passwd`
  }
  for (const [name, url] of Object.entries(refused)) {
    it(`refuses ${name}`, () => {
      expect(resolveMediaRequest(url, pathOf)).toBeNull()
      expect(pathOf).not.toHaveBeenCalled()
    })
  }
})

describe('parseRange', () => {
  it('reads the three single-range forms', () => {
    expect(parseRange('bytes=0-99', 1000)).toEqual({ start: 0, end: 99 })
    expect(parseRange('bytes=500-', 1000)).toEqual({ start: 500, end: 999 })
    expect(parseRange('bytes=-100', 1000)).toEqual({ start: 900, end: 999 })
  })

  it('clamps an end or suffix past the file to its last byte', () => {
    expect(parseRange('bytes=900-5000', 1000)).toEqual({ start: 900, end: 999 })
    expect(parseRange('bytes=-5000', 1000)).toEqual({ start: 0, end: 999 })
  })

  it('reports ranges that start past the end as unsatisfiable', () => {
    expect(parseRange('bytes=1000-', 1000)).toBe('unsatisfiable')
    expect(parseRange('bytes=-0', 1000)).toBe('unsatisfiable')
    expect(parseRange('bytes=0-', 0)).toBe('unsatisfiable')
  })

  it('ignores absent, malformed and multi-range headers (the whole file is served)', () => {
    for (const header of [null, '', 'bytes=', 'bytes=-', 'bytes=5-1', 'items=0-1', 'bytes=0-1,5-6', 'bytes=a-b', `bytes=${'9'.repeat(30)}-`]) {
      expect(parseRange(header, 1000), String(header)).toBeNull()
    }
  })
})

describe('sniffContentType', () => {
  it('recognises the demo JPEG and MP4 from their bytes', async () => {
    expect(sniffContentType(await readFile(join(DEMO, 'poster.jpg')))).toBe('image/jpeg')
    expect(sniffContentType(await readFile(join(DEMO, 'clip.mp4')))).toBe('video/mp4')
  })

  it('recognises WebM, PNG, GIF and WebP signatures and leaves unknown bytes untyped', () => {
    expect(sniffContentType(Uint8Array.from([0x1a, 0x45, 0xdf, 0xa3, 0, 0, 0, 0]))).toBe('video/webm')
    expect(sniffContentType(Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'))).toBe('image/png')
    expect(sniffContentType(Buffer.from('GIF89a'))).toBe('image/gif')
    expect(sniffContentType(Buffer.from('RIFF\0\0\0\0WEBPVP8 '))).toBe('image/webp')
    expect(sniffContentType(Buffer.from('hello world!'))).toBeNull()
    expect(sniffContentType(new Uint8Array(0))).toBeNull()
  })
})

describe('fileResponse', () => {
  let dir: string
  let file: string
  const bytes = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251))

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bangtin-media-'))
    file = join(dir, 'object')
    await writeFile(file, bytes)
  })
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('serves the whole file with its length and advertises ranges', async () => {
    const response = await fileResponse(file, 'GET', null)
    expect(response.status).toBe(200)
    expect(response.headers.get('accept-ranges')).toBe('bytes')
    expect(response.headers.get('content-length')).toBe('1000')
    expect(Buffer.from(await response.arrayBuffer())).toEqual(bytes)
  })

  it('serves exactly the requested bytes as 206 with Content-Range', async () => {
    const response = await fileResponse(file, 'GET', 'bytes=100-199')
    expect(response.status).toBe(206)
    expect(response.headers.get('content-range')).toBe('bytes 100-199/1000')
    expect(response.headers.get('content-length')).toBe('100')
    expect(Buffer.from(await response.arrayBuffer())).toEqual(bytes.subarray(100, 200))
  })

  it('serves open-ended and suffix ranges (how <video> asks for the start and for a trailing moov box)', async () => {
    const open = await fileResponse(file, 'GET', 'bytes=990-')
    expect(open.headers.get('content-range')).toBe('bytes 990-999/1000')
    expect(Buffer.from(await open.arrayBuffer())).toEqual(bytes.subarray(990))
    const suffix = await fileResponse(file, 'GET', 'bytes=-3')
    expect(Buffer.from(await suffix.arrayBuffer())).toEqual(bytes.subarray(997))
  })

  it('answers an unsatisfiable range with 416 and the real size', async () => {
    const response = await fileResponse(file, 'GET', 'bytes=1000-')
    expect(response.status).toBe(416)
    expect(response.headers.get('content-range')).toBe('bytes */1000')
  })

  it('answers HEAD with headers only, other methods with 405, and a vanished file with 404', async () => {
    const head = await fileResponse(file, 'HEAD', 'bytes=0-9')
    expect(head.status).toBe(206)
    expect(head.headers.get('content-length')).toBe('10')
    expect(head.body).toBeNull()
    expect((await fileResponse(file, 'POST', null)).status).toBe(405)
    expect((await fileResponse(join(dir, 'gone'), 'GET', null)).status).toBe(404)
    expect((await fileResponse(dir, 'GET', null)).status).toBe(404)
  })

  it('serves an empty file as an empty 200', async () => {
    const empty = join(dir, 'empty')
    await writeFile(empty, '')
    const response = await fileResponse(empty, 'GET', null)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-length')).toBe('0')
    expect((await response.arrayBuffer()).byteLength).toBe(0)
  })
})

describe('the media handler over a real cache', () => {
  let root: string
  let cache: ContentCache
  let clipSha: string
  let clip: Buffer

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'bangtin-cache-'))
    cache = new ContentCache(join(root, 'cache'))
    await cache.open()
    clip = await readFile(join(DEMO, 'clip.mp4'))
    clipSha = createHash('sha256').update(clip).digest('hex')
    await cache.importFile({ sha256: clipSha, size: clip.length }, join(DEMO, 'clip.mp4'))
  })
  afterAll(async () => {
    await rm(root, { recursive: true, force: true })
  })

  it('is registered on the media scheme and serves a verified object with its type and ranges', async () => {
    fake.becomeReady()
    setupMediaProtocol(cache)
    const handler = fake.handlers.get(MEDIA_SCHEME)
    expect(handler).toBeDefined()

    const whole = await handler!(new Request(`${MEDIA_SCHEME}://cache/${clipSha}`))
    expect(whole.status).toBe(200)
    expect(whole.headers.get('content-type')).toBe('video/mp4')
    expect(Buffer.from(await whole.arrayBuffer())).toEqual(clip)

    const tail = await handler!(new Request(`${MEDIA_SCHEME}://cache/${clipSha}`, { headers: { Range: 'bytes=-16' } }))
    expect(tail.status).toBe(206)
    expect(Buffer.from(await tail.arrayBuffer())).toEqual(clip.subarray(clip.length - 16))
  })

  it('answers 404 for a hash the cache has not verified and for anything that is not a cache URL', async () => {
    const handler = mediaHandler(cache)
    expect((await handler(new Request(`${MEDIA_SCHEME}://cache/${'b'.repeat(64)}`))).status).toBe(404)
    expect((await handler(new Request(`${MEDIA_SCHEME}://cache/${clipSha}/../../config.json`))).status).toBe(404)
    expect((await handler(new Request(`${MEDIA_SCHEME}://cache/${clipSha}?x`))).status).toBe(404)
  })
})
