// Writing the audit log (table audit_log, owned by server/access/): who, when, from where, what, on what.
import type { Db } from '../db/database'
import type { Actor } from './actor'

export interface AuditEntry {
  actor: Actor | null
  /** For sign-in, where there is no actor yet: the user the entry is about. */
  userId?: string | null
  unitId?: string | null
  address: string
  action: string
  target: string | null
  targetUnitId: string | null
  detail: unknown
  at: number
}

export async function writeAudit(db: Db, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      at: new Date(entry.at).toISOString(),
      user_id: entry.actor?.userId ?? entry.userId ?? null,
      unit_id: entry.actor?.unitId ?? entry.unitId ?? null,
      target_unit_id: entry.targetUnitId,
      address: entry.address,
      via: entry.actor?.via ?? null,
      action: entry.action,
      target: entry.target,
      detail: JSON.stringify(entry.detail ?? null)
    })
    .execute()
}
