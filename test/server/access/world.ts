// A small province for the access tests: a real SQLite file, the product's console API mounted in a real
// reference server on 127.0.0.1, two districts (A, B) and a commune in A, a user of every role in A and B,
// and a JSON client that keeps a session cookie and its CSRF token.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Role } from '../../../server/api/actor'
import { ROLES } from '../../../server/api/actor'
import { ensureFirstAdministrator } from '../../../server/access/bootstrap'
import { consoleApi } from '../../../server/access/console'
import type { LoginLimits } from '../../../server/access/login-limits'
import { createSession } from '../../../server/access/sessions'
import { createUnit } from '../../../server/access/units'
import { createUser } from '../../../server/access/users'
import { openSqlite, type OpenedDatabase } from '../../../server/db/database'
import { startReferenceServer, type ReferenceServer, type ReferenceServerOptions } from '../../../server/reference-server'
import { rawRequest } from '../helpers'

export interface Answer {
  status: number
  headers: Record<string, string | string[] | undefined>
  json: Record<string, unknown> & { error?: { code: string; field: string | null; vi: string; en: string } }
}

export class Client {
  cookie: string | null = null
  csrf: string | null = null
  bearer: string | null = null

  /** The source address to send from (any 127.x.y.z on Linux), standing for another computer. */
  localAddress: string | undefined

  constructor(
    readonly url: string,
    readonly ca?: string
  ) {}

  async call(method: string, path: string, body?: unknown, extra: Record<string, string> = {}): Promise<Answer> {
    const headers: Record<string, string> = {}
    if (this.cookie) headers.Cookie = this.cookie
    if (this.csrf && method !== 'GET') headers['X-CSRF-Token'] = this.csrf
    if (this.bearer) headers.Authorization = `Bearer ${this.bearer}`
    const text = body === undefined ? undefined : JSON.stringify(body)
    if (text !== undefined) {
      headers['Content-Type'] = 'application/json'
      // Node sends DELETE bodies without chunking: the length must be said.
      headers['Content-Length'] = String(Buffer.byteLength(text))
    }
    Object.assign(headers, extra)
    const res = await rawRequest(`${this.url}${path}`, { method, headers, ...(text !== undefined ? { body: text } : {}), ...(this.ca ? { ca: this.ca } : {}), ...(this.localAddress ? { localAddress: this.localAddress } : {}) })
    const answer = res.body.toString('utf8')
    return { status: res.status, headers: res.headers, json: answer ? (JSON.parse(answer) as Answer['json']) : {} }
  }

  /** Signs in through the API, keeping the cookie and CSRF token. */
  async signIn(username: string, password: string): Promise<Answer> {
    const answer = await this.call('POST', '/console/api/session', { username, password })
    const setCookie = answer.headers['set-cookie']
    const first = Array.isArray(setCookie) ? setCookie[0] : setCookie
    if (answer.status === 200 && first) {
      this.cookie = first.split(';')[0] ?? null
      this.csrf = answer.json.csrfToken as string
    }
    return answer
  }
}

export interface World {
  opened: OpenedDatabase
  server: ReferenceServer
  rootId: string
  districtA: string
  districtB: string
  communeA: string
  admin: { username: string; password: string }
  /** A user of each role in district A and in district B, passwords already changed. */
  users: Record<'A' | 'B', Record<Role, { id: string; username: string; password: string }>>
  /** A client already signed in (session made directly, no scrypt) as the user of that role and district. */
  clientAs(district: 'A' | 'B', role: Role): Promise<Client>
  /** A client with no session; from another source address when given. */
  anonymous(from?: string): Client
  close(): Promise<void>
}

export async function makeWorld(opts: { loginLimits?: Partial<LoginLimits>; now?: () => number; server?: ReferenceServerOptions; ca?: string } = {}): Promise<World> {
  const dir = mkdtempSync(join(tmpdir(), 'bangtin-access-'))
  const opened = await openSqlite(join(dir, 'source.sqlite'))
  const { db } = opened
  const now = opts.now ?? Date.now
  const admin = await ensureFirstAdministrator(db, { provinceName: 'Tỉnh Thử', now: now() })
  if (!admin) throw new Error('first administrator expected')
  const districtA = (await createUnit(db, admin.unitId, 'Huyện A', now())).id
  const districtB = (await createUnit(db, admin.unitId, 'Huyện B', now())).id
  const communeA = (await createUnit(db, districtA, 'Xã A1', now())).id
  const users = { A: {}, B: {} } as World['users']
  for (const [district, unitId] of [['A', districtA], ['B', districtB]] as const) {
    for (const role of ROLES) {
      const username = `${role}-${district}`.toLowerCase()
      const password = `mat-khau-${username}`
      const { user } = await createUser(db, { unitId, username, displayName: username, role, password, mustChangePassword: false }, now())
      users[district][role] = { id: user.id, username, password }
    }
  }
  const server = await startReferenceServer({ ...opts.server, consoleApi: consoleApi(db, { now, loginLimits: { perAddress: 100_000, ...opts.loginLimits } }) })
  return {
    opened,
    server,
    rootId: admin.unitId,
    districtA,
    districtB,
    communeA,
    admin: { username: admin.username, password: admin.password },
    users,
    async clientAs(district, role) {
      const client = new Client(server.url, opts.ca)
      const session = await createSession(db, users[district][role].id, '127.0.0.1', now())
      client.cookie = `bangtin_session=${session.sessionId}`
      client.csrf = session.csrfToken
      return client
    },
    anonymous(from) {
      const client = new Client(server.url, opts.ca)
      client.localAddress = from
      return client
    },
    async close() {
      await server.close()
      await opened.close()
      rmSync(dir, { recursive: true, force: true })
    }
  }
}
