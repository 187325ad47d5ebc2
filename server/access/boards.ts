// Where boards are: a device id placed in a unit, with the name people know it by and tags ("LED ngoài
// trời", "trụ sở UBND"). What an actor may see and target follows from it: boards placed in their subtree.
import type { Db } from '../db/database'
import type { Actor } from '../api/actor'
import { isoAt } from './ids'

export interface BoardPlacement {
  deviceId: string
  unitId: string
  displayName: string
  tags: string[]
  updatedAt: string
}

type Row = { device_id: string; unit_id: string; display_name: string; tags: string; updated_at: string }

function toPlacement(row: Row): BoardPlacement {
  return { deviceId: row.device_id, unitId: row.unit_id, displayName: row.display_name, tags: JSON.parse(row.tags) as string[], updatedAt: row.updated_at }
}

/** Boards placed in any of these units (an actor's subtree). */
export async function placementsIn(db: Db, unitIds: ReadonlySet<string>): Promise<BoardPlacement[]> {
  if (unitIds.size === 0) return []
  const rows = await db.selectFrom('board_placements').selectAll().where('unit_id', 'in', [...unitIds]).orderBy('display_name').execute()
  return rows.map(toPlacement)
}

export async function placementOf(db: Db, deviceId: string): Promise<BoardPlacement | null> {
  const row = await db.selectFrom('board_placements').selectAll().where('device_id', '=', deviceId).executeTakeFirst()
  return row ? toPlacement(row) : null
}

/**
 * The device ids an actor sees and may target: boards placed in their subtree. Boards not yet placed
 * belong to the province: only actors at the root see them, and the store room lists those (it knows
 * every device); `canSeeBoard` answers for one id either way.
 */
export async function visibleDeviceIds(db: Db, actor: Actor): Promise<string[]> {
  return (await placementsIn(db, actor.subtree)).map((p) => p.deviceId)
}

export async function canSeeBoard(db: Db, actor: Actor, deviceId: string): Promise<boolean> {
  const placement = await placementOf(db, deviceId)
  return placement ? actor.subtree.has(placement.unitId) : actor.atRoot
}

/** Boards placed in units whose tags include every one given (for targeting by tag), within a subtree. */
export async function boardsWithTags(db: Db, unitIds: ReadonlySet<string>, tags: readonly string[]): Promise<string[]> {
  return (await placementsIn(db, unitIds)).filter((p) => tags.every((t) => p.tags.includes(t))).map((p) => p.deviceId)
}

export async function placeBoard(db: Db, input: { deviceId: string; unitId: string; displayName: string; tags: readonly string[] }, now: number): Promise<BoardPlacement> {
  const values = { unit_id: input.unitId, display_name: input.displayName, tags: JSON.stringify([...new Set(input.tags)]), updated_at: isoAt(now) }
  await db
    .insertInto('board_placements')
    .values({ device_id: input.deviceId, ...values })
    .onConflict((oc) => oc.column('device_id').doUpdateSet(values))
    .execute()
  return (await placementOf(db, input.deviceId)) as BoardPlacement
}
