// People's accounts: a user belongs to one unit with one role; passwords only as scrypt hashes; a password
// an administrator hands out (or the first one) is one-time: it must be changed at the first sign-in.
import type { Db } from '../db/database'
import { fail } from '../api/errors'
import type { Role } from '../api/actor'
import { isoAt, newId } from './ids'
import { hashPassword, randomPassword } from './passwords'
import { revokeTokensOf, type RevokeReason } from './tokens'

export interface User {
  id: string
  unitId: string
  username: string
  displayName: string
  role: Role
  disabled: boolean
  mustChangePassword: boolean
  lockedUntil: string | null
  createdAt: string
}

type UserRow = {
  id: string
  unit_id: string
  username: string
  display_name: string
  role: string
  disabled: number
  must_change_password: number
  locked_until: string | null
  created_at: string
}

const COLUMNS = ['id', 'unit_id', 'username', 'display_name', 'role', 'disabled', 'must_change_password', 'locked_until', 'created_at'] as const

export function toUser(row: UserRow): User {
  return {
    id: row.id,
    unitId: row.unit_id,
    username: row.username,
    displayName: row.display_name,
    role: row.role as Role,
    disabled: row.disabled === 1,
    mustChangePassword: row.must_change_password === 1,
    lockedUntil: row.locked_until,
    createdAt: row.created_at
  }
}

export async function getUser(db: Db, id: string): Promise<User | null> {
  const row = await db.selectFrom('users').select(COLUMNS).where('id', '=', id).executeTakeFirst()
  return row ? toUser(row) : null
}

export async function usersIn(db: Db, unitIds: ReadonlySet<string>): Promise<User[]> {
  if (unitIds.size === 0) return []
  const rows = await db.selectFrom('users').select(COLUMNS).where('unit_id', 'in', [...unitIds]).orderBy('username').execute()
  return rows.map(toUser)
}

export interface NewUser {
  unitId: string
  username: string
  displayName: string
  role: Role
  /** Absent: a random one-time password, returned. */
  password?: string
  mustChangePassword?: boolean
}

/** Creates a user; returns it with the password it was given (to hand over once). */
export async function createUser(db: Db, input: NewUser, now: number): Promise<{ user: User; password: string }> {
  const username = input.username.trim().toLowerCase()
  const taken = await db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirst()
  if (taken) throw fail.conflict('body.username', `Tên đăng nhập «${username}» đã có người dùng.`, `The username "${username}" is taken.`)
  const password = input.password ?? randomPassword()
  const id = newId('nd')
  await db
    .insertInto('users')
    .values({
      id,
      unit_id: input.unitId,
      username,
      display_name: input.displayName,
      role: input.role,
      password_hash: await hashPassword(password),
      must_change_password: input.mustChangePassword === false ? 0 : 1,
      disabled: 0,
      failed_logins: 0,
      locked_until: null,
      created_at: isoAt(now)
    })
    .execute()
  return { user: (await getUser(db, id)) as User, password }
}

export async function setPassword(db: Db, userId: string, password: string, mustChange: boolean): Promise<void> {
  await db
    .updateTable('users')
    .set({ password_hash: await hashPassword(password), must_change_password: mustChange ? 1 : 0, failed_logins: 0, locked_until: null })
    .where('id', '=', userId)
    .execute()
}

/** A fresh one-time password (the old one stops working, every session of the user ends, every API token
 *  is revoked: whoever held them may be why the password was reset). */
export async function resetPassword(db: Db, userId: string, now: number): Promise<{ password: string; tokensRevoked: number }> {
  const password = randomPassword()
  await setPassword(db, userId, password, true)
  await endSessionsOf(db, userId)
  return { password, tokensRevoked: await revokeTokensOf(db, userId, now) }
}

export async function endSessionsOf(db: Db, userId: string, except?: string): Promise<void> {
  let query = db.deleteFrom('sessions').where('user_id', '=', userId)
  if (except) query = query.where('id_hash', '!=', except)
  await query.execute()
}

export interface UserChanges {
  role?: Role
  displayName?: string
  disabled?: boolean
  unitId?: string
}

/** Applies the changes; answers the user, and the tokens revoked and why when the user was disabled, moved
 *  to another unit or given another role (a script's token was made for the old trust, not the new). */
export async function updateUser(db: Db, userId: string, changes: UserChanges, now: number): Promise<{ user: User; revoked: { reason: RevokeReason; count: number } | null }> {
  const before = await getUser(db, userId)
  if (!before) throw fail.notFound('params.id')
  const set: { role?: string; display_name?: string; disabled?: number; unit_id?: string } = {}
  if (changes.role !== undefined) set.role = changes.role
  if (changes.displayName !== undefined) set.display_name = changes.displayName
  if (changes.disabled !== undefined) set.disabled = changes.disabled ? 1 : 0
  if (changes.unitId !== undefined) set.unit_id = changes.unitId
  if (Object.keys(set).length > 0) await db.updateTable('users').set(set).where('id', '=', userId).execute()
  // Every request reads the user afresh (role, unit, disabled), so a change applies at once; a disabled
  // account's sessions are ended too.
  if (changes.disabled === true) await endSessionsOf(db, userId)
  const user = await getUser(db, userId)
  if (!user) throw fail.notFound('params.id')
  const reason: RevokeReason | null =
    user.disabled && !before.disabled ? 'disabled' : user.unitId !== before.unitId ? 'unit-changed' : user.role !== before.role ? 'role-changed' : null
  const count = reason ? await revokeTokensOf(db, userId, now) : 0
  return { user, revoked: reason && count > 0 ? { reason, count } : null }
}
