// Declaring a console API route: method, path with :params, roles, zod input and output schemas, which
// input fields name unit-scoped things (checked before the handler runs), and the handler.
import type { IncomingMessage } from 'node:http'
import { z } from 'zod'
import type { Db } from '../db/database'
import type { Actor, Role } from './actor'

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

/** Services a room needs in its handlers beyond the database; rooms add theirs by module augmentation:
 *  `declare module '../api/route' { interface ApiServices { media: MediaStore } }`. All optional here. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ApiServices {}

export interface RouteContext<A extends Actor | null> {
  /** The caller; null only on public routes. */
  actor: A
  /** The database; inside a transaction on state-changing routes (unless transaction: false). */
  db: Db
  /** The client's address (the socket's; no proxy header is trusted). */
  address: string
  now(): number
  /** Records an audit entry (in the same transaction). Without any call, a state-changing route gets one generic entry.
   *  The target's unit defaults to the first unit the route's scope resolved; `about.targetUnitId` overrides it;
   *  `about.userId`/`unitId` name the user when there is no actor yet (sign-in). */
  audit(action: string, target: string | null, detail?: unknown, about?: { userId?: string; unitId?: string; targetUnitId?: string }): Promise<void>
  /** Adds a response header (Set-Cookie may be called more than once). */
  setHeader(name: string, value: string): void
  /**
   * Runs `work` once the route's transaction has committed, before the answer is sent (at once after the
   * handler without a transaction): for what must read the committed state through the root handle, such as
   * republishing. It must not throw (the change is committed by then).
   */
  afterCommit(work: () => Promise<void>): void
  /** The raw request: for routes declared with rawBody (uploads), which read it themselves. */
  req: IncomingMessage
  services: Partial<ApiServices>
}

/** A non-JSON answer (CSV, XLSX, images): bypasses the output schema. */
export class RawReply {
  constructor(
    readonly contentType: string,
    readonly body: Buffer | string,
    readonly headers: Record<string, string> = {},
    readonly status = 200
  ) {}
}

/** Which input field names which kind of thing (unit, board, user, …), e.g. `{ 'params.id': 'unit' }`; `*`
 *  stands for each element of a list (`'body.items.*.contentId': 'content'`, blamed as `body.items.2.contentId`).
 *  The framework resolves each to its unit before the handler: 404 when unknown, 403 outside the actor's subtree. */
export type ScopeSpec = Record<`${'params' | 'query' | 'body'}.${string}`, string>

type AnyObject = z.ZodType<Record<string, unknown>>
type Out<S> = S extends z.ZodType ? z.output<S> : Record<string, never>

export interface RouteInput<P, Q, B> {
  params: Out<P>
  query: Out<Q>
  body: Out<B>
}

export interface RouteSpec<R extends readonly Role[] | 'public', P, Q, B, O extends z.ZodType> {
  method: Method
  /** Under /console/api, with :name params, e.g. `/console/api/units/:id`. */
  path: `/console/api/${string}`
  /** Roles allowed, or 'public' (sign-in only). */
  roles: R
  summary: string
  /** OpenAPI tag: the room, e.g. 'access'. */
  tag: string
  params?: P
  query?: Q
  body?: B
  output: O
  /** Default 200; 201 for creations. */
  status?: number
  scope?: ScopeSpec
  /** Id-like fields (path params, `…Id`/`…Ids` keys) deliberately not in scope, each with the reason
   *  (e.g. `{ 'params.id': "the caller's own tokens only" }`); the access matrix test requires one or the other. */
  unscoped?: Record<string, string>
  /** Default 1 MiB for JSON bodies. */
  bodyLimit?: number
  /** The framework leaves the body unread (uploads): the handler reads ctx.req itself. */
  rawBody?: boolean
  /** Default true for state-changing methods: the handler and its audit entries commit together or not at all. */
  transaction?: boolean
  /** Callable while the one-time password is still unchanged (me, change password, sign out). */
  allowBeforePasswordChange?: boolean
  handler(ctx: RouteContext<R extends 'public' ? Actor | null : Actor>, input: RouteInput<P, Q, B>): Promise<z.input<O> | RawReply>
}

/** A route with its types erased, as the registry holds it. */
export interface AnyRoute {
  method: Method
  path: string
  roles: readonly Role[] | 'public'
  summary: string
  tag: string
  params?: AnyObject
  query?: AnyObject
  body?: z.ZodType
  output: z.ZodType
  status?: number
  scope?: ScopeSpec
  unscoped?: Record<string, string>
  bodyLimit?: number
  rawBody?: boolean
  transaction?: boolean
  allowBeforePasswordChange?: boolean
  handler(ctx: RouteContext<Actor | null>, input: { params: unknown; query: unknown; body: unknown }): Promise<unknown>
}

/** Declares a route; the handler's input is typed from the schemas. */
export function defineRoute<
  R extends readonly Role[] | 'public',
  P extends AnyObject | undefined = undefined,
  Q extends AnyObject | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
  O extends z.ZodType = z.ZodType
>(spec: RouteSpec<R, P, Q, B, O>): AnyRoute {
  return spec as unknown as AnyRoute
}

export function isStateChanging(method: Method): boolean {
  return method !== 'GET'
}

/** Finds what unit a thing of some kind belongs to; null when no such thing exists. */
export interface ScopeKind {
  unitOf(db: Db, id: string): Promise<string | null>
  /** Creates one such thing in the given unit (a district) and returns its id: the role × unit access
   *  matrix test (test/server/access/matrix.test.ts) calls every route with one from the caller's own
   *  district and one from a sibling district. A kind without it fails that test. */
  sample?(db: Db, unitId: string): Promise<string>
}

/** `/console/api/units/:id` → a matcher giving { id }. */
export function compilePath(path: string): (pathname: string) => Record<string, string> | null {
  const names: string[] = []
  const pattern = path
    .split('/')
    .map((part) => {
      if (part.startsWith(':')) {
        names.push(part.slice(1))
        return '([^/]+)'
      }
      return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    })
    .join('/')
  const regex = new RegExp(`^${pattern}/?$`)
  return (pathname) => {
    const match = regex.exec(pathname)
    if (!match) return null
    const params: Record<string, string> = {}
    names.forEach((name, i) => {
      params[name] = decodeURIComponent(match[i + 1] ?? '')
    })
    return params
  }
}
