// The product's first-administrator hook: on a database without users, server/access creates the province
// unit and the first `quan-tri` account with a one-time password, which the product prints once on stdout.
import type { Db } from '../db/database'
import { ensureFirstAdministrator } from '../access/bootstrap'

export interface FirstAdministrator {
  username: string
  oneTimePassword: string
}

/** Null once any user exists (nothing is created or changed then). */
export async function firstAdministrator(db: Db): Promise<FirstAdministrator | null> {
  const first = await ensureFirstAdministrator(db)
  return first ? { username: first.username, oneTimePassword: first.password } : null
}
