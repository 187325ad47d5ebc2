// The device side of protocol v1 over HTTP: the manifest (ETag/304, signed), content-addressed assets
// (Range), and reports — with token auth, and the seams a test extension plugs its faults into.
import type { IssuingClock } from './issuing-clock'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Logger } from './log'
import { parseRange, readSource, sendBody } from './asset-body'
import { etagMatches, type Signer } from './documents'
import { BodyError, bearerToken, parseJsonBody, readRawBody, sendError, sendJson } from './http-util'
import type { Pairings } from './pairing'
import { addressKey } from './pairing-limits'
import { spkiBase64 } from './key-files'
import { MAX_UPLOAD_BYTES, ReportBody, UploadMeta } from '../main/core/protocol/api'
import { ADDRESSED_MEDIA_TYPE, ADDRESSED_PROTOCOL } from '../main/core/protocol/addressed'
import { describeIssues } from '../main/core/protocol/manifest'
import type { ServerSeams } from './seams'
import { sourceSize, type ServerState } from './state'
import type { Recorder } from './store/recorder'
import type { SealedManifests } from './store/sealed'

export interface DeviceApiContext {
  state: ServerState
  /** Changes go through it: committed (with a database) before the answer says so. */
  record: Recorder
  /** This request's changes committed. */
  durable: () => Promise<void>
  signer: Signer | null
  /** Each board's manifest, signed once per change (sign once). */
  sealed: SealedManifests
  now: () => number
  /** The time new signed documents carry (never behind one signed before). */
  issuing: IssuingClock
  log: Logger
  seams: ServerSeams
  pairings: Pairings
  /** The server's own URL, for the approve link a board shows as a QR code. */
  baseUrl: () => string
}

const REPORT_LIMIT = 1024 * 1024
const MANIFEST_ROUTE = /^\/api\/v1\/devices\/([^/]+)\/manifest$/
const REPORTS_ROUTE = /^\/api\/v1\/devices\/([^/]+)\/reports$/
const UPLOADS_ROUTE = /^\/api\/v1\/devices\/([^/]+)\/uploads$/
const ASSET_ROUTE = /^\/api\/v1\/assets\/([^/]+)$/
const PAIRINGS_ROUTE = '/api/v1/pairings'
const PAIRING_ROUTE = /^\/api\/v1\/pairings\/([^/]+)$/

function acceptsAddressed(accept: string | undefined): boolean {
  return (accept ?? '').split(',').some((range) => range.split(';')[0]?.trim().toLowerCase() === ADDRESSED_MEDIA_TYPE)
}

function decoded(segment: string): string | null {
  try {
    return decodeURIComponent(segment)
  } catch {
    return null
  }
}

function allow(req: IncomingMessage, res: ServerResponse, methods: readonly string[]): boolean {
  if (methods.includes(req.method ?? '')) return true
  sendError(res, 405, 'method-not-allowed', `${req.method} is not allowed here`, { Allow: methods.join(', ') })
  return false
}

export async function handleDeviceApi(ctx: DeviceApiContext, req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
  if (ctx.seams.interceptDeviceApi?.(req, res)) return

  // Pairing is how a board gets its token, so it is the one part of the API without one.
  if (pathname === PAIRINGS_ROUTE) {
    if (!allow(req, res, ['POST'])) return
    const address = addressKey(req.socket.remoteAddress)
    const answer = ctx.pairings.start(address, ctx.now(), ctx.baseUrl())
    // The code the board will show is kept (with a database) before the board is told it.
    await ctx.durable()
    // The key that signs what this server sends: the board shows its fingerprint and pins it once approved.
    if (answer.ok) return sendJson(res, 201, ctx.signer ? { ...answer.started, provinceKey: { keyId: ctx.signer.keyId, publicKey: spkiBase64(ctx.signer.publicKeyPem) } } : answer.started)
    ctx.log.warn('pairing-rate-limited', { address, scope: answer.scope, retryAfterSec: answer.retryAfterSec })
    const message =
      answer.scope === 'address'
        ? `Quá nhiều yêu cầu ghép nối từ địa chỉ này; thử lại sau ${answer.retryAfterSec} giây. / Too many pairing requests from this address; try again in ${answer.retryAfterSec} s.`
        : `Máy chủ đang nhận quá nhiều yêu cầu ghép nối; thử lại sau ${answer.retryAfterSec} giây. / The server is receiving too many pairing requests; try again in ${answer.retryAfterSec} s.`
    return sendError(res, 429, 'rate-limited', message, { 'Retry-After': String(answer.retryAfterSec) })
  }
  const pairingMatch = PAIRING_ROUTE.exec(pathname)
  if (pairingMatch) {
    if (!allow(req, res, ['GET'])) return
    const status = ctx.pairings.status(decoded(pairingMatch[1] ?? '') ?? '', ctx.now())
    if (!status) return sendError(res, 404, 'no-pairing', 'unknown or expired pairing: start again')
    return sendJson(res, 200, status)
  }

  const token = bearerToken(req)
  const deviceId = token === null ? undefined : ctx.state.deviceForToken(token)
  if (deviceId === undefined) {
    ctx.log.warn('api-unauthorized', { path: pathname })
    return sendError(res, 401, 'unauthorized', 'a known device token is required (Authorization: Bearer …)', { 'WWW-Authenticate': 'Bearer' })
  }
  ctx.record.touch(deviceId, ctx.now())

  let match = MANIFEST_ROUTE.exec(pathname)
  if (match) {
    if (!allow(req, res, ['GET', 'HEAD'])) return
    if (decoded(match[1] ?? '') !== deviceId) return sendError(res, 403, 'forbidden', 'this token belongs to another device')
    return serveManifest(ctx, req, res, deviceId)
  }
  match = ASSET_ROUTE.exec(pathname)
  if (match) {
    if (!allow(req, res, ['GET', 'HEAD'])) return
    return serveAsset(ctx, req, res, match[1] ?? '')
  }
  match = REPORTS_ROUTE.exec(pathname)
  if (match) {
    if (!allow(req, res, ['POST'])) return
    if (decoded(match[1] ?? '') !== deviceId) return sendError(res, 403, 'forbidden', 'this token belongs to another device')
    return receiveReport(ctx, req, res, deviceId)
  }
  match = UPLOADS_ROUTE.exec(pathname)
  if (match) {
    if (!allow(req, res, ['POST'])) return
    if (decoded(match[1] ?? '') !== deviceId) return sendError(res, 403, 'forbidden', 'this token belongs to another device')
    return receiveUpload(ctx, req, res, deviceId)
  }
  sendError(res, 404, 'not-found', `no route ${pathname}`)
}

function serveManifest(ctx: DeviceApiContext, req: IncomingMessage, res: ServerResponse, deviceId: string): void {
  const { state } = ctx
  state.stats.manifestRequests++
  const override = ctx.seams.manifestBody?.() ?? null
  if (override !== null) {
    // No ETag: the board must take whatever test body this is, every time.
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(override), 'Cache-Control': 'no-cache' })
    if (req.method !== 'HEAD') state.stats.manifestBytesSent += Buffer.byteLength(override)
    res.end(req.method === 'HEAD' ? undefined : override)
    return
  }
  const publication = state.publicationFor(deviceId)
  if (!publication) return sendError(res, 404, 'no-manifest', `nothing is published for device ${deviceId} yet`)
  const now = ctx.now()
  const active = state.activeEmergencies(deviceId, now)
  // A board asking for signed documents v2 gets its manifest addressed to it; any other gets protocol v1.
  const protocol = acceptsAddressed(req.headers.accept) ? ADDRESSED_PROTOCOL : 1
  const { etag, body } = ctx.sealed.forDevice(deviceId, protocol, publication, active, state.clearedEmergencies(deviceId, now), ctx.issuing.now(), () => ctx.issuing.next())
  if (etagMatches(req.headers['if-none-match'], etag)) {
    state.stats.manifest304++
    res.writeHead(304, { ETag: etag, 'Cache-Control': 'no-cache', Vary: 'Accept' })
    res.end()
    return
  }
  const length = Buffer.byteLength(body)
  const contentType = protocol === ADDRESSED_PROTOCOL ? ADDRESSED_MEDIA_TYPE : 'application/json'
  res.writeHead(200, { 'Content-Type': contentType, 'Content-Length': length, ETag: etag, 'Cache-Control': 'no-cache', Vary: 'Accept' })
  if (req.method === 'HEAD') return void res.end()
  state.stats.manifestBytesSent += length
  res.end(body)
}

async function serveAsset(ctx: DeviceApiContext, req: IncomingMessage, res: ServerResponse, sha: string): Promise<void> {
  const { state } = ctx
  state.stats.assetRequests++
  const source = state.assets.get(sha)
  if (!source) return sendError(res, 404, 'no-asset', `no asset ${sha}`)
  const size = sourceSize(source)
  const etag = `"${sha}"`
  const rangeHeader = req.headers.range
  if (rangeHeader !== undefined) state.stats.rangeRequests++
  // If-Range guards a resume against changed bytes; content-addressed bytes never change, but be exact.
  const ifRange = req.headers['if-range']
  const range = ifRange !== undefined && ifRange !== etag ? null : parseRange(rangeHeader, size)
  const headers: Record<string, string | number> = {
    'Content-Type': 'application/octet-stream',
    'Accept-Ranges': 'bytes',
    ETag: etag,
    'Cache-Control': 'public, max-age=31536000, immutable'
  }
  if (range === 'unsatisfiable') {
    return sendError(res, 416, 'range-not-satisfiable', `asset ${sha} has ${size} bytes`, { 'Content-Range': `bytes */${size}`, 'Accept-Ranges': 'bytes' })
  }
  const span = range ?? { start: 0, end: size - 1 }
  const length = size === 0 ? 0 : span.end - span.start + 1
  if (range) headers['Content-Range'] = `bytes ${span.start}-${span.end}/${size}`
  headers['Content-Length'] = length
  res.writeHead(range ? 206 : 200, headers)
  if (req.method === 'HEAD' || length === 0) return void res.end()
  const send = ctx.seams.sendAssetBody ?? sendBody
  try {
    await send(res, readSource(source, span), length, sha, (bytes) => (state.stats.assetBytesSent += bytes))
  } catch (error) {
    // Headers are gone: the only honest thing left is to drop the connection.
    ctx.log.error('asset-send-failed', { sha, error })
    res.destroy()
  }
}

async function receiveReport(ctx: DeviceApiContext, req: IncomingMessage, res: ServerResponse, deviceId: string): Promise<void> {
  try {
    const body = await readRawBody(req, REPORT_LIMIT)
    // Checked before anything is kept: a refused report costs the server nothing after this answer.
    const parsed = ReportBody.safeParse(parseJsonBody(body))
    if (!parsed.success) {
      const reason = describeIssues(parsed.error)
      ctx.log.warn('report-refused', { deviceId, bytes: body.length, reason })
      return sendError(res, 400, 'bad-request', `not a protocol v1 report (not stored): ${reason}`)
    }
    await ctx.record.report(deviceId, parsed.data, body.length, ctx.now())
    res.writeHead(204)
    res.end()
  } catch (error) {
    if (!(error instanceof BodyError)) throw error
    ctx.log.warn('report-refused', { deviceId, reason: error.message })
    return sendError(res, error.status, error.code, `${error.message} (not stored)`)
  }
}

/** File signatures: an upload must be what its meta says, or it is refused (not stored as junk). */
const MAGIC: Record<UploadMeta['contentType'], Buffer> = {
  'image/jpeg': Buffer.from([0xff, 0xd8, 0xff]),
  'application/gzip': Buffer.from([0x1f, 0x8b])
}

async function receiveUpload(ctx: DeviceApiContext, req: IncomingMessage, res: ServerResponse, deviceId: string): Promise<void> {
  const refuse = (status: number, code: string, message: string): void => {
    ctx.log.warn('upload-refused', { deviceId, status, reason: message })
    sendError(res, status, code, `${message} (not stored)`)
  }
  const query = new URL(req.url ?? '/', 'http://device.invalid').searchParams
  const meta = UploadMeta.safeParse(Object.fromEntries(query))
  if (!meta.success) return refuse(400, 'bad-request', `not a protocol v1 upload: ${meta.error.issues.map((i) => i.path.join('.') || i.message).join(', ')}`)
  if ((req.headers['content-type'] ?? '').split(';')[0]?.trim() !== meta.data.contentType) {
    return refuse(415, 'wrong-type', `the body must be ${meta.data.contentType}`)
  }
  try {
    const bytes = await readRawBody(req, MAX_UPLOAD_BYTES)
    if (!bytes.subarray(0, MAGIC[meta.data.contentType].length).equals(MAGIC[meta.data.contentType])) {
      return refuse(400, 'bad-body', `the body is not ${meta.data.contentType}`)
    }
    await ctx.record.upload({ deviceId, meta: meta.data, bytes, receivedAt: ctx.now() })
    ctx.log.info('upload', { deviceId, kind: meta.data.kind, id: meta.data.id, bytes: bytes.length })
    res.writeHead(204)
    res.end()
  } catch (error) {
    if (error instanceof BodyError) return refuse(error.status, error.code, error.message)
    throw error
  }
}
