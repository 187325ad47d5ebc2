// One HTTP(S) GET with the limits a flaky 3G/4G link needs: a connect/response timeout, an idle
// timeout on the body, abort, and errors that say whether retrying can help.
import { request as httpRequest, type IncomingMessage } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { SourceError } from './source-adapter'

export interface GetOptions {
  headers: Record<string, string>
  signal: AbortSignal
  /** Extra CA certificates (PEM) for a provincial PKI. */
  ca?: string
  /** No response headers within this → fail (retryable). */
  responseTimeoutMs: number
  /** No body bytes for this long → fail (retryable); a slow but moving download is fine. */
  idleTimeoutMs: number
}

export function httpGet(url: URL, options: GetOptions): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    if (options.signal.aborted) return reject(new SourceError('aborted', 0, true))
    const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, {
      method: 'GET',
      headers: options.headers,
      ca: options.ca,
      signal: options.signal
    })
    const responseTimer = setTimeout(
      () => request.destroy(new SourceError(`no answer from ${url.origin} within ${options.responseTimeoutMs} ms`, 0, true)),
      options.responseTimeoutMs
    )
    request.once('response', (response) => {
      clearTimeout(responseTimer)
      response.setTimeout(options.idleTimeoutMs, () =>
        response.destroy(new SourceError(`download stalled for ${options.idleTimeoutMs} ms`, 0, true))
      )
      resolve(response)
    })
    request.once('error', (error) => {
      clearTimeout(responseTimer)
      reject(error instanceof SourceError ? error : new SourceError(`${url.origin}: ${error.message}`, 0, true))
    })
    request.end()
  })
}

/** Reads a small body fully, refusing more than `limit` bytes (a manifest, an error document). */
export async function readBody(response: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of response) {
    size += (chunk as Buffer).length
    if (size > limit) {
      response.destroy()
      throw new SourceError(`response larger than ${limit} bytes`, response.statusCode ?? 0, false)
    }
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks)
}

/** Retry-After as delay-seconds or an HTTP date, in ms; undefined when absent or unreadable. */
export function retryAfterMs(header: string | undefined, now = Date.now()): number | undefined {
  if (header === undefined) return undefined
  const text = header.trim()
  if (/^\d+$/.test(text)) return Number(text) * 1000
  const at = Date.parse(text)
  return Number.isNaN(at) ? undefined : Math.max(0, at - now)
}

/** 5xx, 408 and 429 may pass; other 4xx will not until something changes. */
export function isRetryableStatus(status: number): boolean {
  return status >= 500 || status === 408 || status === 429
}

/**
 * A small JSON request (pairing, reports), or a raw upload (`raw`: a screenshot, a log bundle).
 * Answers with the parsed body; statuses in `allowStatus` answer null; anything else non-2xx throws.
 */
export async function httpRequestJson(
  method: 'GET' | 'POST',
  url: URL,
  options: {
    signal: AbortSignal
    ca?: string
    body?: unknown
    raw?: { bytes: Buffer; contentType: string }
    allowStatus?: number[]
    headers?: Record<string, string>
    emptyOk?: boolean
  }
): Promise<unknown> {
  const payload = method !== 'POST' ? undefined : options.raw ? options.raw.bytes : JSON.stringify(options.body ?? {})
  const contentType = options.raw?.contentType ?? 'application/json'
  const response = await new Promise<IncomingMessage>((resolve, reject) => {
    const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, {
      method,
      signal: options.signal,
      ca: options.ca,
      timeout: 30_000,
      headers: {
        ...options.headers,
        ...(payload !== undefined ? { 'content-type': contentType, 'content-length': String(Buffer.byteLength(payload)) } : {})
      }
    })
    request.once('response', resolve)
    request.once('timeout', () => request.destroy(new SourceError(`no answer from ${url.origin}`, 0, true)))
    request.once('error', (error) => reject(error instanceof SourceError ? error : new SourceError(`${url.origin}: ${error.message}`, 0, true)))
    request.end(payload)
  })
  const status = response.statusCode ?? 0
  const body = await readBody(response, 64 * 1024)
  if (options.allowStatus?.includes(status)) return null
  if (status < 200 || status >= 300) {
    throw new SourceError(`${method} ${url.pathname} answered ${status}`, status, isRetryableStatus(status), retryAfterMs(response.headers['retry-after']))
  }
  if (options.emptyOk && body.length === 0) return null
  return JSON.parse(body.toString('utf8'))
}
