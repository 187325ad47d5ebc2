// The boards a publication covers, as the compiler needs them: every placed board (server/access) with its
// unit's ancestors (from the units' materialised paths) and its tags.
import { placementsIn } from '../access/boards'
import type { Db } from '../db/database'
import type { BoardPlacement } from './compile'

/**
 * Every board placed in a unit. Boards not yet placed are left out: they belong to no district's
 * programme until an administrator places them (then the next publication reaches them).
 */
export async function placedBoards(db: Db): Promise<BoardPlacement[]> {
  const units = await db.selectFrom('units').select(['id', 'path']).execute()
  const pathOf = new Map(units.map((unit) => [unit.id, unit.path.split('/').filter(Boolean)]))
  const placements = await placementsIn(db, new Set(pathOf.keys()))
  return placements.map((placement) => ({ deviceId: placement.deviceId, unitPath: pathOf.get(placement.unitId) ?? [placement.unitId], tags: placement.tags }))
}
