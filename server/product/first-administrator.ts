// HOOK for the first administrator. server/access/ (users, roles, sessions) provides
// `ensureFirstAdministrator(db)`: on a database without users it creates the first `quan-tri` account and
// returns its one-time password, which the product prints once on stdout; afterwards it returns null.
// Until server/access/ is merged this hook creates nobody, and the admin token is the only way in.
import type { Db } from '../db/database'

export interface FirstAdministrator {
  username: string
  oneTimePassword: string
}

export async function firstAdministrator(db: Db): Promise<FirstAdministrator | null> {
  // Wire here: `return ensureFirstAdministrator(db)` (server/access/).
  void db
  return null
}
