// API tokens for scripts: created by their user (signed in, not by another token) and revoked by them, acting
// with that user's role and unit; the token is shown once and stored only as a sha256. They end with the trust
// they were made under: a password change or reset, disabling, a new unit or role revoke them all.
import type { Db } from '../db/database'
import { isoAt, newId, newSecret, sha256 } from './ids'

export interface ApiTokenInfo {
  id: string
  name: string
  createdAt: string
  lastUsedAt: string | null
  revokedAt: string | null
}

export async function createApiToken(db: Db, userId: string, name: string, now: number): Promise<{ info: ApiTokenInfo; token: string }> {
  const id = newId('tk')
  const token = `bt_${newSecret()}`
  const createdAt = isoAt(now)
  await db.insertInto('api_tokens').values({ id, user_id: userId, name, token_hash: sha256(token), created_at: createdAt, last_used_at: null, revoked_at: null }).execute()
  return { info: { id, name, createdAt, lastUsedAt: null, revokedAt: null }, token }
}

export async function tokensOf(db: Db, userId: string): Promise<ApiTokenInfo[]> {
  const rows = await db.selectFrom('api_tokens').select(['id', 'name', 'created_at', 'last_used_at', 'revoked_at']).where('user_id', '=', userId).orderBy('created_at').execute()
  return rows.map((r) => ({ id: r.id, name: r.name, createdAt: r.created_at, lastUsedAt: r.last_used_at, revokedAt: r.revoked_at }))
}

/** Revokes one of the user's tokens (by the user, or an administrator of theirs); false when they have none by that id. */
export async function revokeApiToken(db: Db, userId: string, id: string, now: number): Promise<boolean> {
  const result = await db.updateTable('api_tokens').set({ revoked_at: isoAt(now) }).where('id', '=', id).where('user_id', '=', userId).where('revoked_at', 'is', null).executeTakeFirst()
  return result.numUpdatedRows > 0n
}

/** Why a user's tokens were all revoked (the audit entry's reason). */
export type RevokeReason = 'password-changed' | 'password-reset' | 'disabled' | 'unit-changed' | 'role-changed'

/** Revokes every live token of the user; answers how many. */
export async function revokeTokensOf(db: Db, userId: string, now: number): Promise<number> {
  const result = await db.updateTable('api_tokens').set({ revoked_at: isoAt(now) }).where('user_id', '=', userId).where('revoked_at', 'is', null).executeTakeFirst()
  return Number(result.numUpdatedRows)
}
