// Forwards one live-stream request (an HLS playlist or segment) from the screen to its upstream
// server, with timeouts, so the screen itself never opens a connection to the network. Answers are
// served on the screen's own origin, so only media types pass, forced, and never as a document.
import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http'
import { request as httpsRequest } from 'node:https'
import type { Logger } from '../core/log'
import { STREAM_ANSWER_HEADERS, streamMediaType } from '../core/stream-media-type'

export { STREAM_ANSWER_HEADERS }

const UPSTREAM_TIMEOUT_MS = 15_000
const PASSED_HEADERS = ['content-length', 'content-range', 'accept-ranges', 'last-modified', 'etag']

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
