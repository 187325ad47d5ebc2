// Who a console API request comes from: a person's session cookie (HttpOnly, SameSite=Strict, Secure on
// TLS; stored only as a sha256) or a script's API token (Bearer, stored only as a sha256). Each request
// reads the user afresh, so a disabled account or a changed role applies at once.
import type { IncomingMessage } from 'node:http'
import type { TLSSocket } from 'node:tls'
import type { Db } from '../db/database'
import type { Authenticated, Role } from '../api/actor'
import { isoAt, newSecret, sha256 } from './ids'
import { unitRow, subtreeIds } from './units'

export const SESSION_COOKIE = 'bangtin_session'
/** A session lasts a working day; people sign in again the next morning. */
export const SESSION_TTL_MS = 12 * 3600 * 1000

export interface NewSession {
  /** The cookie's value: given to the browser, never stored. */
  sessionId: string
  csrfToken: string
  expiresAt: string
}

export async function createSession(db: Db, userId: string, address: string, now: number): Promise<NewSession> {
  const sessionId = newSecret()
  const csrfToken = newSecret()
  const expiresAt = isoAt(now + SESSION_TTL_MS)
  // Sessions nobody presented again would otherwise stay forever: sweep the expired ones at each sign-in.
  await db.deleteFrom('sessions').where('expires_at', '<=', isoAt(now)).execute()
  await db
    .insertInto('sessions')
    .values({ id_hash: sha256(sessionId), user_id: userId, csrf_token: csrfToken, address, created_at: isoAt(now), expires_at: expiresAt, last_seen_at: isoAt(now) })
    .execute()
  return { sessionId, csrfToken, expiresAt }
}

export function isTls(req: IncomingMessage): boolean {
  return (req.socket as TLSSocket).encrypted === true
}

export function sessionCookie(req: IncomingMessage, session: NewSession): string {
  return `${SESSION_COOKIE}=${session.sessionId}; Path=/console; HttpOnly; SameSite=Strict; Max-Age=${Math.floor(SESSION_TTL_MS / 1000)}${isTls(req) ? '; Secure' : ''}`
}

export function clearedCookie(req: IncomingMessage): string {
  return `${SESSION_COOKIE}=; Path=/console; HttpOnly; SameSite=Strict; Max-Age=0${isTls(req) ? '; Secure' : ''}`
}

export function sessionIdOf(req: IncomingMessage): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, ...rest] = part.trim().split('=')
    if (name === SESSION_COOKIE) return rest.join('=') || null
  }
  return null
}

export async function endSession(db: Db, req: IncomingMessage): Promise<void> {
  const id = sessionIdOf(req)
  if (id) await db.deleteFrom('sessions').where('id_hash', '=', sha256(id)).execute()
}

async function actorFor(db: Db, userId: string, via: 'session' | 'token'): Promise<{ auth: Omit<Authenticated, 'csrfToken'> } | null> {
  const user = await db.selectFrom('users').select(['id', 'unit_id', 'role', 'disabled', 'must_change_password']).where('id', '=', userId).executeTakeFirst()
  if (!user || user.disabled === 1) return null
  const unit = await unitRow(db, user.unit_id)
  if (!unit) return null
  const subtree = await subtreeIds(db, unit.id)
  return {
    auth: {
      actor: { userId: user.id, unitId: unit.id, role: user.role as Role, subtree, atRoot: unit.parent_id === null, via },
      mustChangePassword: user.must_change_password === 1
    }
  }
}

/** The console API's authenticator: a Bearer API token, else the session cookie; null when neither is valid. */
export async function authenticate(req: IncomingMessage, db: Db, now: number): Promise<Authenticated | null> {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1]
  if (bearer) {
    const token = await db.selectFrom('api_tokens').select(['id', 'user_id', 'revoked_at']).where('token_hash', '=', sha256(bearer)).executeTakeFirst()
    if (!token || token.revoked_at !== null) return null
    const found = await actorFor(db, token.user_id, 'token')
    if (!found) return null
    await db.updateTable('api_tokens').set({ last_used_at: isoAt(now) }).where('id', '=', token.id).execute()
    // A script cannot change a one-time password for a person; its token works once the person has.
    return { ...found.auth, csrfToken: null }
  }
  const id = sessionIdOf(req)
  if (!id) return null
  const session = await db.selectFrom('sessions').select(['id_hash', 'user_id', 'csrf_token', 'expires_at', 'last_seen_at']).where('id_hash', '=', sha256(id)).executeTakeFirst()
  if (!session) return null
  if (Date.parse(session.expires_at) <= now) {
    await db.deleteFrom('sessions').where('id_hash', '=', session.id_hash).execute()
    return null
  }
  const found = await actorFor(db, session.user_id, 'session')
  if (!found) return null
  // "Last seen" for the sessions an administrator may review, written at most once a minute.
  if (now - Date.parse(session.last_seen_at) > 60_000) await db.updateTable('sessions').set({ last_seen_at: isoAt(now) }).where('id_hash', '=', session.id_hash).execute()
  return { ...found.auth, csrfToken: session.csrf_token }
}

/** The session's CSRF token, for /me after a page reload (the browser kept the cookie, the page lost the token). */
export async function csrfTokenOf(db: Db, req: IncomingMessage): Promise<string | null> {
  const id = sessionIdOf(req)
  if (!id) return null
  const row = await db.selectFrom('sessions').select('csrf_token').where('id_hash', '=', sha256(id)).executeTakeFirst()
  return row?.csrf_token ?? null
}
