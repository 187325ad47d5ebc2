// The first start: on a database without users, the province unit and an administrator with a one-time
// random password, returned once (the start command prints it; only its hash is stored).
import type { Db } from '../db/database'
import { createRootUnit } from './units'
import { createUser } from './users'

export interface FirstAdministrator {
  username: string
  /** One-time: the first sign-in must change it. */
  password: string
  unitId: string
}

/** Null when the database already has users (nothing is created or changed). */
export async function ensureFirstAdministrator(db: Db, opts: { provinceName?: string; username?: string; now?: number } = {}): Promise<FirstAdministrator | null> {
  const now = opts.now ?? Date.now()
  return db.transaction().execute(async (trx) => {
    const anyUser = await trx.selectFrom('users').select('id').limit(1).executeTakeFirst()
    if (anyUser) return null
    const existingRoot = await trx.selectFrom('units').select('id').where('parent_id', 'is', null).executeTakeFirst()
    const unitId = existingRoot?.id ?? (await createRootUnit(trx, opts.provinceName ?? 'Tỉnh', now)).id
    const { user, password } = await createUser(trx, { unitId, username: opts.username ?? 'quantri', displayName: 'Quản trị', role: 'quan-tri', mustChangePassword: true }, now)
    await trx
      .insertInto('audit_log')
      .values({ at: new Date(now).toISOString(), user_id: null, unit_id: null, target_unit_id: unitId, address: 'local', via: null, action: 'first-administrator', target: user.id, detail: JSON.stringify({ username: user.username }) })
      .execute()
    return { username: user.username, password, unitId }
  })
}
