// The store's own settings. The admin token is kept so the product answers with the same one after a
// restart (and prints it, like `serve`): the data dir it sits in is private (0700) and also holds the
// signing key; it gives way to users and API tokens once server/access/ is merged.
import { randomBytes } from 'node:crypto'
import type { Db } from '../db/database'
import { writeSetting } from './writes'

const ADMIN_TOKEN = 'admin-token'

/** The persisted admin token; made (and committed) at first start. */
export async function adminToken(db: Db): Promise<string> {
  return db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('device_settings').select('value').where('key', '=', ADMIN_TOKEN).executeTakeFirst()
    if (row) return row.value
    const token = randomBytes(24).toString('base64url')
    await writeSetting(trx, ADMIN_TOKEN, token)
    return token
  })
}
