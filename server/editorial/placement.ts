// Where boards are, read from the access room's tables (units, board_placements): which boards a unit's
// subtree holds, and the scope an actor sees (placed in their subtree; unplaced ones only from the root).
import type { Actor as ApiActor } from '../api/actor'
import type { Db } from '../db/database'
import type { BoardScope } from './emergencies'
import type { BoardPlacement } from './reports'

/** Unit ids in the subtrees of these units (paths compared in code: ids may hold LIKE's wildcards). */
async function subtreeOf(db: Db, unitIds: readonly string[]): Promise<Set<string>> {
  const units = await db.selectFrom('units').select(['id', 'path']).execute()
  const roots = units.filter((u) => unitIds.includes(u.id)).map((u) => u.path)
  return new Set(units.filter((u) => roots.some((root) => u.path.startsWith(root))).map((u) => u.id))
}

/** Boards placed anywhere under these units (each unit's whole subtree). */
export async function boardsUnder(db: Db, unitIds: readonly string[]): Promise<string[]> {
  const units = await subtreeOf(db, unitIds)
  if (units.size === 0) return []
  const rows = await db.selectFrom('board_placements').select('device_id').where('unit_id', 'in', [...units]).orderBy('device_id').execute()
  return rows.map((row) => row.device_id)
}

/** What an actor may see and touch: a board placed in their subtree, or an unplaced board when they are at the root. */
export async function actorBoardScope(db: Db, actor: ApiActor): Promise<BoardScope> {
  const placed = new Map((await db.selectFrom('board_placements').select(['device_id', 'unit_id']).execute()).map((row) => [row.device_id, row.unit_id]))
  return (deviceId) => {
    const unit = placed.get(deviceId)
    return unit === undefined ? actor.atRoot : actor.subtree.has(unit)
  }
}

/** The boards a report covers: placed in the subtree of `unitId` (default: the actor's unit), with their unit's name. */
export async function reportBoards(db: Db, unitId: string): Promise<BoardPlacement> {
  const units = await subtreeOf(db, [unitId])
  if (units.size === 0) return new Map()
  const rows = await db
    .selectFrom('board_placements as b')
    .innerJoin('units as u', 'u.id', 'b.unit_id')
    .select(['b.device_id', 'b.display_name', 'u.id as unit_id', 'u.name'])
    .where('b.unit_id', 'in', [...units])
    .orderBy('b.device_id')
    .execute()
  return new Map(rows.map((row) => [row.device_id, { unitId: row.unit_id, unitName: row.name, boardName: row.display_name }]))
}
