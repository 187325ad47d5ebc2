// What unit a unit, a board or a user belongs to: the console API checks every id a route's input names
// against the actor's subtree with these (route scope specs: { 'params.id': 'unit' }).
import type { Db } from '../db/database'
import type { ScopeKind } from '../api/route'
import { placeBoard } from './boards'
import { newId } from './ids'
import { createUnit } from './units'
import { createUser } from './users'

export const unitKind: ScopeKind = {
  async unitOf(db, id) {
    const row = await db.selectFrom('units').select('id').where('id', '=', id).executeTakeFirst()
    return row?.id ?? null
  },
  async sample(db, unitId) {
    // Sibling names are unique (units.ts): each sample its own.
    return (await createUnit(db, unitId, `Xã mẫu ${newId('m')}`, Date.now())).id
  }
}

/** A board belongs to the unit it is placed in; a board not (yet) placed belongs to the root (the province). */
export const boardKind: ScopeKind = {
  async unitOf(db, id) {
    const row = await db.selectFrom('board_placements').select('unit_id').where('device_id', '=', id).executeTakeFirst()
    return row?.unit_id ?? (await rootUnitId(db))
  },
  async sample(db, unitId) {
    return (await placeBoard(db, { deviceId: newId('bang'), unitId, displayName: 'Bảng mẫu', tags: ['LED ngoài trời'] }, Date.now())).deviceId
  }
}

export const userKind: ScopeKind = {
  async unitOf(db, id) {
    const row = await db.selectFrom('users').select('unit_id').where('id', '=', id).executeTakeFirst()
    return row?.unit_id ?? null
  },
  async sample(db, unitId) {
    const id = newId('mau')
    return (await createUser(db, { unitId, username: id, displayName: 'Người dùng mẫu', role: 'xem', password: `${id}-mat-khau` }, Date.now())).user.id
  }
}

export async function rootUnitId(db: Db): Promise<string | null> {
  const row = await db.selectFrom('units').select('id').where('parent_id', 'is', null).orderBy('created_at').executeTakeFirst()
  return row?.id ?? null
}

export const ACCESS_KINDS: Record<string, ScopeKind> = { unit: unitKind, board: boardKind, user: userKind }
