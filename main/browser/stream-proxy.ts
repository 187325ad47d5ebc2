// Forwards one live-stream request (an HLS playlist or segment) from the screen to its upstream
// server, with timeouts, so the screen itself never opens a connection to the network. Answers are
// served on the screen's own origin, so only media types pass, forced, and never as a document.
import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http'
import { request as httpsRequest } from 'node:https'
import type { Logger } from '../core/log'

const UPSTREAM_TIMEOUT_MS = 15_000
const PASSED_HEADERS = ['content-length', 'content-range', 'accept-ranges', 'last-modified', 'etag']

const PLAYLIST = 'application/vnd.apple.mpegurl'
/** What an upstream may say it sends (lower case, no parameters), and the type the screen then gets. */
const MEDIA_TYPES: Record<string, string> = {
  'application/vnd.apple.mpegurl': PLAYLIST,
  'application/x-mpegurl': PLAYLIST,
  'audio/mpegurl': PLAYLIST,
  'audio/x-mpegurl': PLAYLIST,
  'video/mp2t': 'video/mp2t',
  'video/mp4': 'video/mp4',
  'audio/mp4': 'audio/mp4',
  'video/iso.segment': 'video/iso.segment',
  'audio/aac': 'audio/aac',
  'audio/aacp': 'audio/aac',
  'audio/x-aac': 'audio/aac',
  'audio/mpeg': 'audio/mpeg'
}
/** Types that say nothing (many encoders' web servers send these): then the file's extension decides. */
const VAGUE_TYPES = new Set(['', 'application/octet-stream', 'binary/octet-stream', 'text/plain'])
const BY_EXTENSION: Record<string, string> = {
  m3u8: PLAYLIST,
  m3u: PLAYLIST,
  ts: 'video/mp2t',
  m4s: 'video/iso.segment',
  mp4: 'video/mp4',
  m4v: 'video/mp4',
  m4a: 'audio/mp4',
  aac: 'audio/aac',
  mp3: 'audio/mpeg'
}

/**
 * The media type a stream answer is served with, or null when it is not one the screen plays (HTML,
 * script, images, anything unknown): the upstream's declared type if it is on the list, else, when it
 * declared nothing useful, the one the file's extension names.
 */
export function streamMediaType(declared: string | undefined, upstream: URL): string | null {
  const type = (declared ?? '').split(';')[0]!.trim().toLowerCase()
  if (MEDIA_TYPES[type]) return MEDIA_TYPES[type]
  if (!VAGUE_TYPES.has(type)) return null
  const name = upstream.pathname.split('/').pop() ?? ''
  const dot = name.lastIndexOf('.')
  return dot > 0 ? (BY_EXTENSION[name.slice(dot + 1).toLowerCase()] ?? null) : null
}

/** On every stream answer: a document loaded from it (were it one) could run nothing and reach nothing. */
export const STREAM_ANSWER_HEADERS = { 'Content-Security-Policy': 'sandbox', 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store' }

export function proxyStream(
  upstream: URL,
  request: IncomingMessage,
  response: ServerResponse,
  securityHeaders: Record<string, string>,
  log: Logger
): void {
  const headers: Record<string, string> = {}
  if (typeof request.headers.range === 'string') headers.range = request.headers.range
  const answerHeaders = { ...securityHeaders, ...STREAM_ANSWER_HEADERS }
  const outgoing = (upstream.protocol === 'https:' ? httpsRequest : httpRequest)(upstream, { method: 'GET', headers, timeout: UPSTREAM_TIMEOUT_MS })
  outgoing.on('response', (answer) => {
    const status = answer.statusCode ?? 502
    // An upstream error page is HTML more often than not: the screen needs its status, never its body.
    if (status < 200 || status >= 300) {
      answer.resume()
      return void response.writeHead(status, answerHeaders).end()
    }
    const type = streamMediaType(answer.headers['content-type'], upstream)
    if (!type) {
      answer.resume()
      log.warn('stream answer refused: not a media type', { host: upstream.host, contentType: String(answer.headers['content-type'] ?? '').slice(0, 100) })
      return void response.writeHead(502, answerHeaders).end()
    }
    const passed = Object.fromEntries(PASSED_HEADERS.flatMap((name) => (answer.headers[name] ? [[name, String(answer.headers[name])]] : [])))
    response.writeHead(status, { ...answerHeaders, ...passed, 'Content-Type': type })
    answer.pipe(response)
    answer.on('error', () => response.destroy())
  })
  outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer within ${UPSTREAM_TIMEOUT_MS} ms`)))
  outgoing.on('error', (error) => {
    log.warn('stream upstream failed', { host: upstream.host, reason: error.message })
    if (!response.headersSent) response.writeHead(502, answerHeaders).end()
    else response.destroy()
  })
  // The screen gave up (skipped the item): stop fetching.
  response.on('close', () => outgoing.destroy())
  outgoing.end()
}
