// Forwards one live-stream request (an HLS playlist or segment) from the screen to its upstream
// server, with timeouts, so the screen itself never opens a connection to the network.
import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http'
import { request as httpsRequest } from 'node:https'
import type { Logger } from '../core/log'

const UPSTREAM_TIMEOUT_MS = 15_000
const PASSED_HEADERS = ['content-type', 'content-length', 'content-range', 'accept-ranges', 'cache-control', 'last-modified', 'etag']

export function proxyStream(
  upstream: URL,
  request: IncomingMessage,
  response: ServerResponse,
  securityHeaders: Record<string, string>,
  log: Logger
): void {
  const headers: Record<string, string> = {}
  if (typeof request.headers.range === 'string') headers.range = request.headers.range
  const outgoing = (upstream.protocol === 'https:' ? httpsRequest : httpRequest)(upstream, { method: 'GET', headers, timeout: UPSTREAM_TIMEOUT_MS })
  outgoing.on('response', (answer) => {
    const passed = Object.fromEntries(PASSED_HEADERS.flatMap((name) => (answer.headers[name] ? [[name, String(answer.headers[name])]] : [])))
    response.writeHead(answer.statusCode ?? 502, { ...securityHeaders, ...passed, 'Cache-Control': 'no-store' })
    answer.pipe(response)
    answer.on('error', () => response.destroy())
  })
  outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer within ${UPSTREAM_TIMEOUT_MS} ms`)))
  outgoing.on('error', (error) => {
    log.warn('stream upstream failed', { host: upstream.host, reason: error.message })
    if (!response.headersSent) response.writeHead(502, securityHeaders).end()
    else response.destroy()
  })
  // The screen gave up (skipped the item): stop fetching.
  response.on('close', () => outgoing.destroy())
  outgoing.end()
}
