// The operator's side of the reference server over HTTP (/admin/…, Bearer admin token): provision
// devices, publish a folder, push and clear emergencies, read acks and problems. Used by the CLI.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { z } from 'zod'
import { Id } from '../main/core/protocol/manifest'
import { DeviceExistsError, PairingTakenError } from './pairing'
import { BodyError, bearerToken, readJsonBody, sameSecret, sendError, sendJson } from './http-util'
import type { AckRecord, ProblemRecord, ReportRecord, UploadRecord } from './state'

export const DeviceToken = z.string().regex(/^[\x21-\x7e]{1,200}$/, 'tokens are 1–200 printable ASCII characters without spaces')
const DeviceIds = z.array(Id).min(1).max(10_000).optional()

export const AddDeviceBody = z.strictObject({ deviceId: Id, token: DeviceToken.optional() })
export const PublishBody = z.strictObject({ folder: z.string().min(1).max(4096), deviceIds: DeviceIds })
export const EmergencyBody = z.strictObject({
  title: z.string().min(1).max(500),
  body: z.string().max(20_000).optional(),
  ttlSec: z.number().int().positive().max(30 * 24 * 3600).optional(),
  id: Id.optional(),
  deviceIds: DeviceIds
})
export const ClearBody = z.strictObject({ id: Id, deviceIds: DeviceIds })
export const CommandBody = z.strictObject({
  kind: z.string().min(1).max(100),
  args: z.record(z.string(), z.union([z.string().max(2000), z.number(), z.boolean()])).optional(),
  ttlSec: z.number().int().positive().max(7 * 24 * 3600).optional(),
  deviceIds: DeviceIds
})
export const ApprovePairingBody = z.strictObject({
  code: z.string().min(4).max(12),
  deviceId: Id,
  boardName: z.string().min(1).max(200).optional(),
  /** Replace an already paired device's token (a board swapped or reinstalled); without it that is refused. */
  rekey: z.boolean().optional()
})

export interface DeviceSummary {
  deviceId: string
  connected: boolean
  lastSeen: string | null
  manifestVersion: string | null
}

/** What the admin API needs from the server (the ReferenceServer implements it). */
export interface AdminOperations {
  addDevice(deviceId: string, token?: string): { deviceId: string; token: string }
  deviceSummaries(): DeviceSummary[]
  publishFolder(folder: string, opts?: { deviceIds?: string[] }): Promise<string>
  emergency(input: { title: string; body?: string; ttlSec?: number; id?: string }, opts?: { deviceIds?: string[] }): object
  approvePairing(code: string, deviceId: string, boardName?: string, opts?: { rekey?: boolean }): { deviceId: string; token: string | null } | null
  pendingPairings(): { code: string; expiresAt: string }[]
  playsCsv(deviceId: string | null, timeZone: string): string
  command(kind: string, args?: Record<string, string | number | boolean>, opts?: { deviceIds?: string[]; ttlSec?: number }): object
  hasEmergency(id: string): boolean
  clearEmergency(id: string, opts?: { deviceIds?: string[] }): void
  acks: AckRecord[]
  problems: ProblemRecord[]
  reports: ReportRecord[]
  uploads: ReadonlyMap<string, UploadRecord>
  /** Every change made so far committed (with a database): awaited before a change is acknowledged. */
  durable(): Promise<void>
}

const ADMIN_BODY_LIMIT = 64 * 1024

function parsed<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body)
  if (!result.success) throw new BodyError(400, 'bad-request', result.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; '))
  return result.data
}

function safeDecode(segment: string): string | null {
  try {
    return decodeURIComponent(segment)
  } catch {
    return null
  }
}

function targets(deviceIds: string[] | undefined): { deviceIds?: string[] } {
  return deviceIds ? { deviceIds } : {}
}

export async function handleAdmin(ops: AdminOperations, adminToken: string, req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
  const token = bearerToken(req)
  if (token === null || !sameSecret(token, adminToken)) {
    return sendError(res, 401, 'unauthorized', 'the admin token is required (Authorization: Bearer …)', { 'WWW-Authenticate': 'Bearer' })
  }
  const route = `${req.method ?? ''} ${pathname.replace(/\/+$/, '')}`
  const query = new URL(req.url ?? '/', 'http://admin.invalid').searchParams
  // What a change answers is sent only once the change is committed.
  const committed = async (status: number, body: unknown): Promise<void> => {
    await ops.durable()
    sendJson(res, status, body)
  }
  try {
    switch (route) {
      case 'GET /admin/devices':
        return sendJson(res, 200, { devices: ops.deviceSummaries() })
      case 'POST /admin/devices': {
        const body = parsed(AddDeviceBody, await readJsonBody(req, ADMIN_BODY_LIMIT))
        return committed(201, ops.addDevice(body.deviceId, body.token))
      }
      case 'POST /admin/publish': {
        const body = parsed(PublishBody, await readJsonBody(req, ADMIN_BODY_LIMIT))
        const version = await ops.publishFolder(body.folder, targets(body.deviceIds)).catch((error: unknown) => {
          throw new BodyError(400, 'bad-content', error instanceof Error ? error.message : String(error))
        })
        return committed(200, { version })
      }
      case 'POST /admin/emergency': {
        const { deviceIds, ...input } = parsed(EmergencyBody, await readJsonBody(req, ADMIN_BODY_LIMIT))
        return committed(201, ops.emergency(input, targets(deviceIds)))
      }
      case 'POST /admin/emergency/clear': {
        const body = parsed(ClearBody, await readJsonBody(req, ADMIN_BODY_LIMIT))
        if (!ops.hasEmergency(body.id)) return sendError(res, 404, 'no-emergency', `no emergency ${body.id}`)
        ops.clearEmergency(body.id, targets(body.deviceIds))
        return committed(200, { id: body.id, cleared: true })
      }
      case 'POST /admin/command': {
        const body = parsed(CommandBody, await readJsonBody(req, ADMIN_BODY_LIMIT))
        return committed(201, ops.command(body.kind, body.args ?? {}, { ...targets(body.deviceIds), ...(body.ttlSec ? { ttlSec: body.ttlSec } : {}) }))
      }
      case 'GET /admin/pairings':
        return sendJson(res, 200, { pairings: ops.pendingPairings() })
      case 'POST /admin/pairings/approve': {
        const body = parsed(ApprovePairingBody, await readJsonBody(req, ADMIN_BODY_LIMIT))
        let approved: { deviceId: string } | null
        try {
          approved = ops.approvePairing(body.code, body.deviceId, body.boardName, { rekey: body.rekey === true })
        } catch (error) {
          if (error instanceof DeviceExistsError) return sendError(res, 409, 'device-exists', error.message)
          if (error instanceof PairingTakenError) return sendError(res, 409, 'already-approved', error.message)
          throw error
        }
        if (!approved) return sendError(res, 404, 'no-pairing', `Không có bảng tin nào đang hiện mã ${body.code}. / No board is showing code ${body.code}.`)
        return committed(200, { deviceId: approved.deviceId, approved: true })
      }
      case 'GET /admin/plays.csv': {
        // Daily plays per item, the figures of the yearly "đánh giá hiệu quả" report.
        const timeZone = query.get('timeZone') ?? 'Asia/Ho_Chi_Minh'
        res.writeHead(200, { 'Content-Type': 'text/csv; charset=utf-8' })
        return void res.end(ops.playsCsv(query.get('deviceId'), timeZone))
      }
      case 'GET /admin/acks':
        return sendJson(res, 200, { acks: ops.acks })
      case 'GET /admin/problems':
        return sendJson(res, 200, { problems: ops.problems })
      case 'GET /admin/reports':
        return sendJson(res, 200, { reports: ops.reports })
      case 'GET /admin/uploads': {
        // What devices uploaded (newest last), without the bytes: fetch one by id.
        const deviceId = query.get('deviceId')
        const kind = query.get('kind')
        const uploads = [...ops.uploads.values()]
          .filter((u) => (deviceId === null || u.deviceId === deviceId) && (kind === null || u.meta.kind === kind))
          .map((u) => ({ deviceId: u.deviceId, ...u.meta, bytes: u.bytes.length, receivedAt: new Date(u.receivedAt).toISOString() }))
        return sendJson(res, 200, { uploads })
      }
      default: {
        const upload = /^GET \/admin\/uploads\/([^/]+)$/.exec(route)
        if (upload) {
          const id = safeDecode(upload[1] ?? '')
          const deviceId = query.get('deviceId')
          const matches = [...ops.uploads.values()].filter((u) => u.meta.id === id && (deviceId === null || u.deviceId === deviceId))
          if (matches.length === 0) return sendError(res, 404, 'no-upload', 'no upload with that id')
          if (matches.length > 1) return sendError(res, 409, 'ambiguous', 'several devices sent an upload with that id: add ?deviceId=')
          const record = matches[0]!
          res.writeHead(200, { 'Content-Type': record.meta.contentType, 'Content-Length': record.bytes.length })
          return void res.end(record.bytes)
        }
        return sendError(res, 404, 'not-found', `no admin route ${route}`)
      }
    }
  } catch (error) {
    if (error instanceof BodyError) return sendError(res, error.status, error.code, error.message)
    throw error
  }
}
