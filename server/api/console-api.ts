// The console API's request handling: match a declared route, authenticate, check Origin and CSRF, role,
// the units the input names, validate with zod, run the handler (in a transaction with its audit entries),
// check the output. Mounted into the reference server under /console/api/.
import { timingSafeEqual } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { inTransaction, type Db } from '../db/database'
import { BodyError, readRawBody } from '../http-util'
import type { Actor, Authenticated } from './actor'
import { writeAudit } from './audit'
import { isOutOfSpace, STORAGE_FULL } from '../storage-space'
import { ApiFailure, fail, zodFailure } from './errors'
import { buildOpenApi } from './openapi'
import { compilePath, isStateChanging, RawReply, type AnyRoute, type ApiServices, type RouteContext, type ScopeKind } from './route'

export const DEFAULT_BODY_LIMIT = 1024 * 1024

/** What the reference server consults for paths under /console/api/; true when it answered. */
export type ConsoleApiHandler = (req: IncomingMessage, res: ServerResponse, pathname: string) => Promise<boolean>

export interface ConsoleApiOptions {
  db: Db
  routes: readonly AnyRoute[]
  /** Resolvers for the kinds named in routes' scope specs ('unit', 'board', 'user', …). */
  kinds: Readonly<Record<string, ScopeKind>>
  /** Turns a request's cookie or Bearer token into an actor; null when it carries none that is valid. */
  authenticate(req: IncomingMessage, db: Db): Promise<Authenticated | null>
  services?: Partial<ApiServices>
  now?: () => number
  /** Where unexpected errors go (never to the client). */
  onError?: (error: unknown, route: string) => void
}

interface Compiled {
  route: AnyRoute
  match: (pathname: string) => Record<string, string> | null
}

export function createConsoleApi(options: ConsoleApiOptions): ConsoleApiHandler {
  const now = options.now ?? Date.now
  const compiled: Compiled[] = options.routes.map((route) => ({ route, match: compilePath(route.path) }))
  for (const { route } of compiled) {
    for (const kind of Object.values(route.scope ?? {})) {
      if (!options.kinds[kind]) throw new Error(`route ${route.method} ${route.path}: no scope kind "${kind}" is registered`)
    }
  }
  let openapi: string | null = null
  return async (req, res, pathname) => {
    if (!pathname.startsWith('/console/api/')) return false
    try {
      if (pathname === '/console/api/openapi.json' && req.method === 'GET') {
        openapi ??= JSON.stringify(buildOpenApi(options.routes))
        send(res, 200, openapi, 'application/json', {})
        return true
      }
      let found: { route: AnyRoute; params: Record<string, string> } | null = null
      let pathKnown = false
      for (const { route, match } of compiled) {
        const params = match(pathname)
        if (!params) continue
        pathKnown = true
        if (route.method === req.method) {
          found = { route, params }
          break
        }
      }
      if (!found) {
        if (pathKnown) throw new ApiFailure(405, 'method-not-allowed', 'Phương thức không được hỗ trợ.', 'Method not allowed.')
        throw fail.notFound(null, `Không có đường dẫn ${pathname}.`, `No route ${pathname}.`)
      }
      await serve(options, now, found.route, found.params, req, res)
    } catch (error) {
      if (error instanceof ApiFailure) {
        if (!res.headersSent) send(res, error.status, JSON.stringify(error.body()), 'application/json', error.headers)
        else res.destroy()
      } else {
        options.onError?.(error, `${req.method ?? '?'} ${pathname}`)
        // A full disk or database is named (the operator can act on it); the route's transaction rolled back.
        const failure = isOutOfSpace(error) ? new ApiFailure(507, STORAGE_FULL.code, STORAGE_FULL.vi, STORAGE_FULL.en) : new ApiFailure(500, 'internal', 'Lỗi máy chủ.', 'Internal server error.')
        if (!res.headersSent) send(res, failure.status, JSON.stringify(failure.body()), 'application/json', {})
        else res.destroy()
      }
    }
    return true
  }
}

function send(res: ServerResponse, status: number, body: Buffer | string, contentType: string, headers: Record<string, string | string[]>): void {
  res.writeHead(status, {
    ...headers,
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff'
  })
  res.end(body)
}

/** Passwords and tokens never reach the audit log, whatever a route's body calls them. */
export function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact)
  if (value === null || typeof value !== 'object') return value
  return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, /password|token|secret/i.test(key) ? '[redacted]' : redact(v)]))
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

/** A cross-site page's request carries its own Origin; ours carries ours (or none, from scripts). */
function checkOrigin(req: IncomingMessage): void {
  const origin = req.headers.origin
  if (origin === undefined) return
  const host = req.headers.host
  let originHost: string | null = null
  try {
    originHost = new URL(origin).host
  } catch {
    originHost = null
  }
  if (!host || originHost !== host) {
    throw new ApiFailure(403, 'bad-origin', 'Yêu cầu đến từ trang khác, bị từ chối.', 'Request from another site refused.', 'header.origin')
  }
}

async function authorise(options: ConsoleApiOptions, route: AnyRoute, req: IncomingMessage): Promise<Actor | null> {
  const changing = isStateChanging(route.method)
  if (changing) checkOrigin(req)
  if (route.roles === 'public') return null
  const auth = await options.authenticate(req, options.db)
  if (!auth) throw fail.unauthenticated()
  if (changing && auth.csrfToken !== null) {
    const given = req.headers['x-csrf-token']
    if (typeof given !== 'string' || !sameSecret(given, auth.csrfToken)) {
      throw new ApiFailure(403, 'bad-csrf', 'Thiếu hoặc sai mã chống giả mạo (X-CSRF-Token).', 'Missing or wrong anti-forgery token (X-CSRF-Token).', 'header.x-csrf-token')
    }
  }
  if (auth.mustChangePassword && route.allowBeforePasswordChange !== true) {
    throw new ApiFailure(403, 'password-change-required', 'Hãy đổi mật khẩu dùng một lần trước.', 'Change the one-time password first.')
  }
  if (!route.roles.includes(auth.actor.role)) throw fail.forbiddenRole()
  return auth.actor
}

async function readBody(route: AnyRoute, req: IncomingMessage): Promise<unknown> {
  if (route.rawBody) return undefined
  let raw: Buffer
  try {
    raw = await readRawBody(req, route.bodyLimit ?? DEFAULT_BODY_LIMIT)
  } catch (error) {
    if (error instanceof BodyError && error.status === 413) {
      const limit = route.bodyLimit ?? DEFAULT_BODY_LIMIT
      throw new ApiFailure(413, 'too-large', `Dữ liệu gửi lên quá lớn (tối đa ${limit} byte).`, `Body too large (at most ${limit} bytes).`, 'body')
    }
    throw error
  }
  if (raw.length === 0) return undefined
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase()
  if (type !== 'application/json') {
    throw new ApiFailure(415, 'unsupported-media-type', 'Dữ liệu phải là JSON (Content-Type: application/json).', 'The body must be JSON (Content-Type: application/json).', 'header.content-type')
  }
  try {
    return JSON.parse(raw.toString('utf8'))
  } catch {
    throw fail.badInput('body', 'Dữ liệu gửi lên không phải JSON hợp lệ.', 'The body is not valid JSON.')
  }
}

function queryObject(req: IncomingMessage): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {}
  for (const [key, value] of new URL(req.url ?? '/', 'http://x.invalid').searchParams) {
    const prior = out[key]
    out[key] = prior === undefined ? value : Array.isArray(prior) ? [...prior, value] : [prior, value]
  }
  return out
}

/**
 * The ids a scope field names, each with the field to blame: `body.unitId` → its string; `body.deviceIds` →
 * each string of the list (blamed on the list); `body.items.*.contentId` → each element's, blamed with its
 * index (`body.items.2.contentId`).
 */
function idsAt(value: unknown, keys: readonly string[], at: string): [string, string][] {
  if (keys.length === 0) {
    if (typeof value === 'string') return [[at, value]]
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string').map((id) => [at, id]) : []
  }
  const [key, ...rest] = keys as [string, ...string[]]
  if (key === '*') return Array.isArray(value) ? value.flatMap((element, i) => idsAt(element, rest, `${at}.${i}`)) : []
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? idsAt((value as Record<string, unknown>)[key], rest, `${at}.${key}`) : []
}

/** Every unit-scoped id the input names, nested ones too, must be in the actor's subtree: 404 unknown, 403 outside. */
async function checkScope(options: ConsoleApiOptions, db: Db, route: AnyRoute, actor: Actor | null, raw: Record<string, unknown>): Promise<string | null> {
  let firstUnit: string | null = null
  for (const [spec, kindName] of Object.entries(route.scope ?? {})) {
    const [where, ...rest] = spec.split('.')
    const kind = options.kinds[kindName] as ScopeKind
    for (const [field, id] of idsAt(raw[where ?? ''], rest, where ?? '')) {
      const unit = await kind.unitOf(db, id)
      if (unit === null) throw fail.notFound(field, `Không tìm thấy «${id}» (${field}).`, `"${id}" not found (${field}).`)
      if (actor && !actor.subtree.has(unit)) throw fail.forbiddenUnit(field)
      firstUnit ??= unit
    }
  }
  return firstUnit
}

async function serve(options: ConsoleApiOptions, now: () => number, route: AnyRoute, params: Record<string, string>, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const actor = await authorise(options, route, req)
  const rawBody = await readBody(route, req)
  const raw = { params, query: queryObject(req), body: rawBody }
  const address = req.socket.remoteAddress ?? 'unknown'
  const headers: Record<string, string | string[]> = {}
  const changing = isStateChanging(route.method)
  const afterCommit: (() => Promise<void>)[] = []
  // Scope, handler, audit and the output check share one transaction: a unit moved meanwhile cannot slip
  // through, and an answer that fails its schema stores nothing.
  const run = async (db: Db): Promise<unknown> => {
    const targetUnitId = await checkScope(options, db, route, actor, raw)
    const input = { params: {} as unknown, query: {} as unknown, body: undefined as unknown }
    for (const where of ['params', 'query', 'body'] as const) {
      const schema = route[where]
      if (!schema) continue
      const result = schema.safeParse(raw[where] ?? {})
      if (!result.success) throw zodFailure(result.error, where)
      input[where] = result.data
    }
    let audited = false
    const ctx: RouteContext<Actor | null> = {
      actor,
      db,
      address,
      now,
      req,
      services: options.services ?? {},
      afterCommit(work) {
        afterCommit.push(work)
      },
      setHeader(name, value) {
        const prior = headers[name]
        headers[name] = prior === undefined ? value : [...(Array.isArray(prior) ? prior : [prior]), value]
      },
      async audit(action, target, detail, about) {
        audited = true
        await writeAudit(db, { actor, userId: about?.userId ?? null, unitId: about?.unitId ?? null, address, action, target, targetUnitId: about?.targetUnitId ?? targetUnitId ?? about?.unitId ?? null, detail: redact(detail ?? null), at: now() })
      }
    }
    const result = await route.handler(ctx, input)
    if (changing && !audited) {
      await writeAudit(db, { actor, address, action: `${route.method} ${route.path}`, target: JSON.stringify(params), targetUnitId, detail: redact(input.body ?? null), at: now() })
    }
    if (result instanceof RawReply) return result
    const checked = route.output.safeParse(result)
    if (!checked.success) throw new Error(`route ${route.method} ${route.path} answered outside its output schema: ${checked.error.message}`)
    return checked.data ?? null
  }
  const result = changing && route.transaction !== false ? await inTransaction(options.db, run) : await run(options.db)
  for (const work of afterCommit) await work()
  if (result instanceof RawReply) send(res, result.status, result.body, result.contentType, { ...headers, ...result.headers })
  else send(res, route.status ?? 200, JSON.stringify(result), 'application/json', headers)
}
