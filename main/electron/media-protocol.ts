// Serves verified cache objects to the renderer on the privileged media scheme, by hash only: the
// cache's pathOf is the single way from a URL to a file, so nothing outside the cache root is reachable.
import type { FileHandle } from 'node:fs/promises'
import { open } from 'node:fs/promises'
import { Readable } from 'node:stream'
import { protocol } from 'electron'
import { MEDIA_SCHEME } from '../../contract/screen'
import { parseRange } from '../core/protocol/http-range'
import { isStreamUrl } from './stream-protocol'
export { parseRange, type ByteRange } from '../core/protocol/http-range'

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')

/**
 * The whole URL, exactly as `mediaUrl` builds it. Matching the raw string (not a parsed URL) means
 * no query, fragment, trailing slash, extra segment, percent-escape or `..` can slip through.
 */
const MEDIA_URL = new RegExp(`^${escapeRegExp(MEDIA_SCHEME)}://cache/([0-9a-f]{64})$`)

/** The cached file a media URL names, or null (the handler answers 404). */
export function resolveMediaRequest(url: string, pathOf: (sha256: string) => string | null): string | null {
  const match = MEDIA_URL.exec(url)
  const sha256 = match?.[1]
  return sha256 === undefined ? null : pathOf(sha256)
}

/**
 * The media type from a file's first bytes. Cache objects are named by hash and have no extension,
 * and Chromium's media loader on a custom scheme is happier with a declared type than with sniffing.
 */
export function sniffContentType(head: Uint8Array): string | null {
  const ascii = (from: number, to: number): string => String.fromCharCode(...head.subarray(from, to))
  if (ascii(4, 8) === 'ftyp') {
    const brand = ascii(8, 12)
    if (brand === 'avif' || brand === 'avis') return 'image/avif'
    if (brand === 'qt  ') return 'video/quicktime'
    return 'video/mp4'
  }
  if (head[0] === 0x1a && head[1] === 0x45 && head[2] === 0xdf && head[3] === 0xa3) return 'video/webm'
  if (head[0] === 0x89 && ascii(1, 4) === 'PNG') return 'image/png'
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'image/jpeg'
  if (ascii(0, 4) === 'GIF8') return 'image/gif'
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'image/webp'
  return null
}

/**
 * A Response for one file, honouring a single Range. Done here rather than with
 * `net.fetch(pathToFileURL(path), { headers: request.headers })` because Electron's file: loader
 * ignores Range and answers 200 with the whole body (electron/electron#38749), which leaves video
 * unseekable and breaks MP4s whose index sits at the end of the file.
 */
export async function fileResponse(path: string, method: string, rangeHeader: string | null): Promise<Response> {
  if (method !== 'GET' && method !== 'HEAD') return new Response(null, { status: 405, headers: { Allow: 'GET, HEAD' } })
  let handle: FileHandle
  try {
    handle = await open(path, 'r')
  } catch {
    // Evicted between pathOf and open: the renderer treats it as a failed item.
    return new Response(null, { status: 404 })
  }
  let handedOver = false
  try {
    const info = await handle.stat()
    if (!info.isFile()) return new Response(null, { status: 404 })
    const size = info.size
    const head = new Uint8Array(12)
    await handle.read(head, 0, head.length, 0)
    const headers = new Headers({ 'Accept-Ranges': 'bytes' })
    const type = sniffContentType(head)
    if (type) headers.set('Content-Type', type)

    const range = parseRange(rangeHeader, size)
    if (range === 'unsatisfiable') {
      headers.set('Content-Range', `bytes */${size}`)
      return new Response(null, { status: 416, headers })
    }
    const { start, end } = range ?? { start: 0, end: size - 1 }
    const length = size === 0 ? 0 : end - start + 1
    headers.set('Content-Length', String(length))
    if (range) headers.set('Content-Range', `bytes ${start}-${end}/${size}`)
    const status = range ? 206 : 200
    if (method === 'HEAD' || length === 0) return new Response(null, { status, headers })

    // The stream owns the handle from here: it closes it at the end, on error, or when the renderer
    // cancels (a video element switching source cancels its request).
    const stream = handle.createReadStream({ start, end, autoClose: true })
    handedOver = true
    return new Response(Readable.toWeb(stream), { status, headers })
  } finally {
    if (!handedOver) await handle.close()
  }
}

/** What the handler needs from the cache: the verified path of a hash, or null. */
export interface MediaSource {
  pathOf(sha256: string): string | null
}

export function mediaHandler(cache: MediaSource): (request: Request) => Promise<Response> {
  return async (request) => {
    const path = resolveMediaRequest(request.url, (sha256) => cache.pathOf(sha256))
    if (path === null) return new Response(null, { status: 404 })
    return fileResponse(path, request.method, request.headers.get('range'))
  }
}

/**
 * Must run after app 'ready'; the scheme itself is made privileged (stream, fetch, CORS) before ready.
 * One handler per scheme: `stream/…` URLs go to the live-stream handler when there is one, the rest to the cache.
 */
export function setupMediaProtocol(cache: MediaSource, streams?: (request: Request) => Promise<Response>): void {
  const media = mediaHandler(cache)
  protocol.handle(MEDIA_SCHEME, streams ? (request) => (isStreamUrl(request.url) ? streams(request) : media(request)) : media)
}
