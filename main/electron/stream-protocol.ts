// Live HLS streams for the Electron screen, on the media scheme at `bangtin-media://stream/<id>/<file>`:
// the host fetches each playlist and segment upstream, so the renderer never opens a network connection.
import { request as httpRequest, type IncomingMessage } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { Readable } from 'node:stream'
import { MEDIA_SCHEME } from '../../contract/screen'
import type { Logger } from '../core/log'
import { STREAM_ANSWER_HEADERS, streamMediaType } from '../core/stream-media-type'
import type { StreamRoutes } from '../core/stream-routes'

export const STREAM_HOST = 'stream'
/** The core's streamBase in this shell: a stream's URL is `<base><id>/<file>`. */
export const STREAM_URL_BASE = `${MEDIA_SCHEME}://${STREAM_HOST}/`

/** The same as the browser shell's proxy: a stalled upstream fails the item instead of freezing it. */
export const UPSTREAM_TIMEOUT_MS = 15_000
const PASSED_HEADERS = ['content-length', 'content-range', 'accept-ranges', 'last-modified', 'etag']
/** Statuses a Response may not carry a body with. */
const NULL_BODY_STATUSES = new Set([204, 205, 304])

/**
 * The renderer is a file:// page (or the dev server), so hls.js's XHRs to this scheme are cross-origin:
 * Chromium lets script read them only with the scheme `corsEnabled` and these headers on every answer
 * (errors included, so hls.js sees a 404 or 502 rather than a bare network error). Only this app's own
 * pages can reach the scheme at all (navigation and window.open are denied).
 */
const CORS_HEADERS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers': 'Content-Length, Content-Range, Accept-Ranges'
}

export interface StreamProtocolOptions {
  log: Logger
  /** Socket inactivity limit for the upstream, before and during the answer; default 15 s. */
  timeoutMs?: number
}

export const isStreamUrl = (url: string): boolean => url.startsWith(STREAM_URL_BASE)

/**
 * The upstream URL a stream request names, or null (the handler answers 404). The allow-list is the
 * core's StreamRoutes: streams of the active manifest, under their own folder, on their own origin.
 */
export function resolveStreamRequest(url: string, routes: Pick<StreamRoutes, 'resolve'>): URL | null {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return null
  }
  if (parsed.protocol !== `${MEDIA_SCHEME}:` || parsed.host !== STREAM_HOST || parsed.username !== '' || parsed.password !== '') return null
  return routes.resolve(parsed.pathname.slice(1), parsed.search)
}

export function streamHandler(routes: Pick<StreamRoutes, 'resolve'>, options: StreamProtocolOptions): (request: Request) => Promise<Response> {
  const timeoutMs = options.timeoutMs ?? UPSTREAM_TIMEOUT_MS
  return async (request) => {
    // hls.js only reads; anything else is not ours to forward.
    if (request.method !== 'GET') return new Response(null, { status: 405, headers: { ...CORS_HEADERS, Allow: 'GET' } })
    const upstream = resolveStreamRequest(request.url, routes)
    if (!upstream) return new Response(null, { status: 404, headers: CORS_HEADERS })
    return fetchUpstream(upstream, request.headers.get('range'), timeoutMs, options.log)
  }
}

/**
 * One GET upstream with Node's http(s), as the browser shell does, so both shells reach streams the
 * same way. Settles with the upstream's status and body (streamed, not buffered) or 502.
 */
function fetchUpstream(upstream: URL, range: string | null, timeoutMs: number, log: Logger): Promise<Response> {
  return new Promise((resolve) => {
    const headers: Record<string, string> = range === null ? {} : { range }
    const outgoing = (upstream.protocol === 'https:' ? httpsRequest : httpRequest)(upstream, { method: 'GET', headers, timeout: timeoutMs })
    outgoing.on('response', (answer) => resolve(toResponse(answer, upstream, log)))
    // Also after the answer began: destroying the request errors the body the renderer is reading.
    outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer within ${timeoutMs} ms`)))
    outgoing.on('error', (error) => {
      log.warn('stream upstream failed', { host: upstream.host, reason: error.message })
      resolve(new Response(null, { status: 502, headers: CORS_HEADERS }))
    })
    outgoing.end()
  })
}

function toResponse(answer: IncomingMessage, upstream: URL, log: Logger): Response {
  const status = answer.statusCode ?? 0
  // A redirect is not followed: it could lead off the stream's origin, which the allow-list forbids.
  if (status < 200 || status > 599 || (status >= 300 && status < 400)) {
    answer.destroy()
    log.warn('stream upstream answered with a status that is not forwarded', { host: upstream.host, status })
    return new Response(null, { status: 502, headers: CORS_HEADERS })
  }
  const headers = new Headers({ ...CORS_HEADERS, ...STREAM_ANSWER_HEADERS })
  if (status >= 200 && status < 300) {
    // As in the browser shell: only media types pass, forced; an upstream's HTML or script never reaches the screen.
    const type = streamMediaType(typeof answer.headers['content-type'] === 'string' ? answer.headers['content-type'] : undefined, upstream)
    if (!type) {
      answer.destroy()
      log.warn('stream answer refused: not a media type', { host: upstream.host, contentType: String(answer.headers['content-type'] ?? '').slice(0, 100) })
      return new Response(null, { status: 502, headers: CORS_HEADERS })
    }
    headers.set('content-type', type)
  } else {
    // An error answer: its status is what the screen needs, never its (often HTML) body.
    answer.resume()
    return new Response(null, { status, headers })
  }
  for (const name of PASSED_HEADERS) {
    const value = answer.headers[name]
    if (typeof value === 'string') headers.set(name, value)
  }
  if (NULL_BODY_STATUSES.has(status)) {
    answer.resume()
    return new Response(null, { status, headers })
  }
  // The web stream owns the answer from here: a renderer that cancels (hls.js destroyed) destroys it.
  return new Response(Readable.toWeb(answer), { status, headers })
}
