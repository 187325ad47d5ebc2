// The default source adapter: the project's open protocol v1 (docs/protocol.md) over HTTPS + socket.io.
// It names every push event and builds every source-system URL but pairing's (pairing-client.ts: a board pairs before it has credentials).
import type { IncomingMessage } from 'node:http'
import { io, type Socket } from 'socket.io-client'
import { boundedPushParser } from './bounded-push-parser'
import { deviceEvents, ManifestChanged, paths, PUSH_NAMESPACE, pushEvents, type PushAuth, type ReportBody, type UploadMeta } from '../protocol/api'
import { ADDRESSED_MEDIA_TYPE, ADDRESSED_PROTOCOL } from '../protocol/addressed'
import { JsonLimitError, parseBoundedJson } from '../protocol/json-limits'
import { ManifestError, MAX_MANIFEST_BYTES, type Asset } from '../protocol/manifest'
import { httpGet, httpRequestJson, isRetryableStatus, readBody, retryAfterMs } from './http-request'
import {
  SourceError,
  type AssetDownload,
  type ManifestFetch,
  type PushChannel,
  type PushHandlers,
  type SourceAdapter
} from './source-adapter'

export interface V1AdapterOptions {
  serverUrl: string
  deviceId: string
  token: string
  allowInsecureHttp: boolean
  ca?: string
  /** Limits; defaults suit a 3G link. */
  responseTimeoutMs?: number
  idleTimeoutMs?: number
  /** Reconnect delays for push (socket.io adds ±50 % jitter so thousands of boards spread out). */
  reconnectDelayMs?: number
  reconnectDelayMaxMs?: number
  /** Board time (epoch ms) for the expiry of push nudges; default the system clock. */
  now?: () => number
}

/**
 * Push reconnection (socket.io's backoff): first delay, doubling per failed try up to the cap, each
 * ±jitter; reset once connected. Exported for the protocol docs, which quote these numbers.
 */
export const PUSH_RECONNECT = { firstMs: 2_000, factor: 2, maxMs: 120_000, jitter: 0.5 } as const

function pushReconnectDelays(options: V1AdapterOptions): { first: number; max: number } {
  return { first: options.reconnectDelayMs ?? PUSH_RECONNECT.firstMs, max: options.reconnectDelayMaxMs ?? PUSH_RECONNECT.maxMs }
}

export class V1Adapter implements SourceAdapter {
  private readonly base: URL
  private readonly manifestUrl: URL

  constructor(private readonly options: V1AdapterOptions) {
    this.base = new URL(options.serverUrl)
    if (this.base.protocol !== 'https:' && !(this.base.protocol === 'http:' && options.allowInsecureHttp)) {
      throw new SourceError(`refusing ${this.base.protocol} server URL: TLS is required`, 0, false)
    }
    this.manifestUrl = new URL(paths.manifest(options.deviceId), this.base)
  }

  private get timeouts() {
    return { responseTimeoutMs: this.options.responseTimeoutMs ?? 30_000, idleTimeoutMs: this.options.idleTimeoutMs ?? 30_000 }
  }

  async fetchManifest(etag: string | undefined, signal: AbortSignal): Promise<ManifestFetch> {
    // Signed documents v2 (addressed, ordered, expiring) are asked for; a v1-only server answers plain JSON, refused unless in lab mode.
    const headers: Record<string, string> = { authorization: `Bearer ${this.options.token}`, accept: `${ADDRESSED_MEDIA_TYPE}, application/json;q=0.5` }
    if (etag) headers['if-none-match'] = etag
    const response = await httpGet(this.manifestUrl, { headers, signal, ca: this.options.ca, ...this.timeouts })
    const status = response.statusCode ?? 0
    const serverDate = parseDate(response.headers.date)
    if (status === 304) {
      response.resume()
      return { status: 'not-modified', serverDate }
    }
    const body = await readBody(response, MAX_MANIFEST_BYTES)
    if (status !== 200) throw new SourceError(`manifest request answered ${status}: ${errorMessage(body)}`, status, isRetryableStatus(status), retryAfterMs(response.headers['retry-after']))
    let document: unknown
    try {
      // Measured before it is parsed: a nesting bomb is refused in one pass, before any signature check could be reached.
      document = parseBoundedJson(body.toString('utf8'), 'manifest')
    } catch (error) {
      throw new ManifestError(error instanceof JsonLimitError ? error.message : 'manifest is not JSON')
    }
    const newEtag = typeof response.headers.etag === 'string' ? response.headers.etag : undefined
    return { status: 'ok', document, etag: newEtag, serverDate }
  }

  async download(asset: Asset, offset: number, signal: AbortSignal): Promise<AssetDownload> {
    const url = new URL(asset.url, this.manifestUrl)
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && this.options.allowInsecureHttp)) {
      throw new SourceError(`refusing asset URL with protocol ${url.protocol}`, 0, false)
    }
    // The token is for our server only; a CDN or another host never sees it.
    const headers: Record<string, string> = url.origin === this.base.origin ? { authorization: `Bearer ${this.options.token}` } : {}
    if (offset > 0) headers.range = `bytes=${offset}-`
    const response = await httpGet(url, { headers, signal, ca: this.options.ca, ...this.timeouts })
    const status = response.statusCode ?? 0
    if (status === 206) {
      const start = /^bytes (\d+)-/.exec(String(response.headers['content-range'] ?? ''))?.[1]
      if (Number(start) !== offset) {
        response.destroy()
        throw new SourceError(`server resumed at ${start ?? '?'} instead of ${offset}`, status, true)
      }
      return { stream: response, offset, endIsFinal: framed(response) }
    }
    if (status === 200) return { stream: response, offset: 0, endIsFinal: framed(response) }
    if (status === 416 && offset > 0) {
      // Our partial file is longer than the server's: start over.
      response.resume()
      return this.download(asset, 0, signal)
    }
    const body = await readBody(response, 64 * 1024).catch(() => Buffer.alloc(0))
    throw new SourceError(`asset ${asset.sha256.slice(0, 12)}… answered ${status}: ${errorMessage(body)}`, status, isRetryableStatus(status))
  }

  async sendReport(body: ReportBody, signal: AbortSignal): Promise<void> {
    const url = new URL(paths.reports(this.options.deviceId), this.base)
    await httpRequestJson('POST', url, {
      signal,
      ca: this.options.ca,
      body,
      headers: { authorization: `Bearer ${this.options.token}` },
      emptyOk: true
    })
  }

  async sendUpload(meta: UploadMeta, bytes: Buffer, signal: AbortSignal): Promise<void> {
    const url = new URL(paths.uploads(this.options.deviceId), this.base)
    for (const [key, value] of Object.entries(meta)) if (value !== undefined) url.searchParams.set(key, String(value))
    await httpRequestJson('POST', url, {
      signal,
      ca: this.options.ca,
      raw: { bytes, contentType: meta.contentType },
      headers: { authorization: `Bearer ${this.options.token}` },
      emptyOk: true
    })
  }

  openPushChannel(handlers: PushHandlers): PushChannel {
    const delays = pushReconnectDelays(this.options)
    const socket: Socket = io(new URL(PUSH_NAMESPACE, this.base).toString(), {
      auth: { deviceId: this.options.deviceId, token: this.options.token, protocol: ADDRESSED_PROTOCOL } satisfies PushAuth,
      transports: ['websocket'],
      reconnectionDelay: delays.first,
      reconnectionDelayMax: delays.max,
      randomizationFactor: PUSH_RECONNECT.jitter,
      ca: this.options.ca,
      parser: boundedPushParser
    })
    handlers.onState('connecting')
    let rejoin: NodeJS.Timeout | undefined
    let refusals = 0
    const { first, max } = pushReconnectDelays(this.options)
    socket.on('connect', () => {
      refusals = 0
      handlers.onState('connected')
    })
    socket.on('disconnect', (reason, details) => {
      handlers.onState('disconnected')
      if (reason === 'parse error') handlers.onFrameRefused?.(details instanceof Error ? details.message : 'push frame refused')
      // The server dropped this board on purpose (its token revoked or replaced, or a kick): socket.io
      // will not come back by itself. Come back anyway, after the usual delay: the handshake then tells
      // (refused below when the token is gone), and a board that was only kicked has its push again.
      if (reason === 'io server disconnect') rejoin = setTimeout(() => socket.connect(), first * (0.5 + Math.random()))
    })
    socket.on('connect_error', (error) => {
      handlers.onState('disconnected')
      // Inactive after an error: the server's middleware refused the handshake (its credentials), and
      // socket.io will not try again by itself; a network error leaves it active, retrying. The session
      // checks the token over HTTP (and closes this channel when it is really revoked); meanwhile the
      // handshake is tried again with socket.io's own backoff, so a passing refusal (a server restarting,
      // a token being re-issued) does not leave the board without push until its next restart.
      if (socket.active) return
      handlers.onRefused(error.message)
      clearTimeout(rejoin)
      rejoin = setTimeout(() => socket.connect(), Math.min(max, first * 2 ** refusals++) * (0.5 + Math.random()))
    })
    socket.on(pushEvents.manifestChanged, (payload: unknown) => {
      const parsed = ManifestChanged.safeParse(payload)
      // An expired nudge is harmless (the fetch is checked anyway) but is not worth a fetch storm.
      if (parsed.success && Date.parse(parsed.data.expiresAt) > (this.options.now?.() ?? Date.now())) handlers.onManifestChanged(parsed.data.version)
    })
    socket.on(pushEvents.emergencyStart, (payload: unknown) => handlers.onEmergencyStart(payload))
    socket.on(pushEvents.emergencyClear, (payload: unknown) => handlers.onEmergencyClear(payload))
    socket.on(pushEvents.command, (payload: unknown) => handlers.onCommand(payload))
    return {
      ack: (ack) => void socket.emit(deviceEvents.ack, ack),
      problem: (problem) => void socket.emit(deviceEvents.problem, problem),
      close: () => {
        clearTimeout(rejoin)
        socket.close()
      }
    }
  }
}

/** Whether a clean end of the body is its real end: Node errors a Content-Length or chunked body that is cut. */
function framed(response: IncomingMessage): boolean {
  return response.headers['content-length'] !== undefined || /chunked/i.test(String(response.headers['transfer-encoding'] ?? ''))
}

function parseDate(header: string | undefined): Date | undefined {
  const time = header ? Date.parse(header) : NaN
  return Number.isFinite(time) ? new Date(time) : undefined
}

function errorMessage(body: Buffer): string {
  try {
    const parsed = parseBoundedJson(body.toString('utf8'), 'error document', { maxChars: 64 * 1024, maxDepth: 4 }) as { error?: { message?: unknown } }
    if (typeof parsed.error?.message === 'string') return parsed.error.message.slice(0, 300)
  } catch {
    // not an ApiError document (or too large or deep to read as one)
  }
  return body.toString('utf8').slice(0, 200) || '(no body)'
}
