// What unit a unit, a board or a user belongs to: the console API checks every id a route's input names
// against the actor's subtree with these (route scope specs: { 'params.id': 'unit' }).
import type { Db } from '../db/database'
import type { ScopeKind } from '../api/route'

export const unitKind: ScopeKind = {
  async unitOf(db, id) {
    const row = await db.selectFrom('units').select('id').where('id', '=', id).executeTakeFirst()
    return row?.id ?? null
  }
}

/** A board belongs to the unit it is placed in; a board not (yet) placed belongs to the root (the province). */
export const boardKind: ScopeKind = {
  async unitOf(db, id) {
    const row = await db.selectFrom('board_placements').select('unit_id').where('device_id', '=', id).executeTakeFirst()
    return row?.unit_id ?? (await rootUnitId(db))
  }
}

export const userKind: ScopeKind = {
  async unitOf(db, id) {
    const row = await db.selectFrom('users').select('unit_id').where('id', '=', id).executeTakeFirst()
    return row?.unit_id ?? null
  }
}

export async function rootUnitId(db: Db): Promise<string | null> {
  const row = await db.selectFrom('units').select('id').where('parent_id', 'is', null).orderBy('created_at').executeTakeFirst()
  return row?.id ?? null
}

export const ACCESS_KINDS: Record<string, ScopeKind> = { unit: unitKind, board: boardKind, user: userKind }
