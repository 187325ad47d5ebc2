// The unit tree (tỉnh → huyện → xã): creating, renaming, moving, and subtree queries over the
// materialised path ('/root/…/self/'), so "everything under this district" is one indexed prefix query.
import type { Db } from '../db/database'
import type { UnitLevel } from '../db/tables/access'
import { fail } from '../api/errors'
import { isoAt, newId } from './ids'

export const LEVELS: readonly UnitLevel[] = ['tinh', 'huyen', 'xa']
const LEVEL_VI: Record<UnitLevel, string> = { tinh: 'tỉnh', huyen: 'huyện', xa: 'xã' }

export interface Unit {
  id: string
  parentId: string | null
  level: UnitLevel
  name: string
}

type UnitRow = { id: string; parent_id: string | null; level: UnitLevel; name: string; path: string }

function toUnit(row: UnitRow): Unit {
  return { id: row.id, parentId: row.parent_id, level: row.level, name: row.name }
}

export async function unitRow(db: Db, id: string): Promise<UnitRow | null> {
  return (await db.selectFrom('units').select(['id', 'parent_id', 'level', 'name', 'path']).where('id', '=', id).executeTakeFirst()) ?? null
}

/** The unit and every unit below it. */
export async function subtreeUnits(db: Db, unitId: string): Promise<Unit[]> {
  const root = await unitRow(db, unitId)
  if (!root) return []
  const rows = await db.selectFrom('units').select(['id', 'parent_id', 'level', 'name', 'path']).where('path', 'like', `${root.path}%`).orderBy('path').execute()
  return rows.map(toUnit)
}

export async function subtreeIds(db: Db, unitId: string): Promise<Set<string>> {
  return new Set((await subtreeUnits(db, unitId)).map((u) => u.id))
}

/** The province: the one unit without a parent. Only created by ensureFirstAdministrator. */
export async function createRootUnit(db: Db, name: string, now: number): Promise<Unit> {
  const id = newId('tinh')
  await db.insertInto('units').values({ id, parent_id: null, level: 'tinh', name, path: `/${id}/`, created_at: isoAt(now) }).execute()
  return { id, parentId: null, level: 'tinh', name }
}

/**
 * How two unit names are compared: NFC, spaces trimmed and collapsed, case ignored ("xã phú an" reads as
 * "Xã Phú An" in a picker); every diacritic counts ("Phú" ≠ "Phụ"). Invisible and look-alike characters
 * never get this far (server/api/human-text.ts refuses them).
 */
export function unitNameKey(name: string): string {
  return name.normalize('NFC').replace(/\s+/gu, ' ').trim().toLocaleLowerCase('vi')
}

/**
 * Refuses a name a sibling (same parent, other than `exceptId`) already has: three identical "Xã Phú An"
 * in every picker let an officer target the wrong commune.
 */
async function requireFreeName(db: Db, parentId: string | null, name: string, exceptId: string | null, field: string): Promise<void> {
  if (parentId === null) return
  const siblings = await db.selectFrom('units').select(['id', 'name']).where('parent_id', '=', parentId).execute()
  const key = unitNameKey(name)
  const taken = siblings.find((s) => s.id !== exceptId && unitNameKey(s.name) === key)
  if (taken) {
    throw fail.conflict(field, `Đã có đơn vị tên «${taken.name}» trong cùng đơn vị cấp trên: hãy đặt tên khác.`, `A unit named "${taken.name}" already exists under the same parent: choose another name.`)
  }
}

function childLevel(level: UnitLevel): UnitLevel | null {
  return LEVELS[LEVELS.indexOf(level) + 1] ?? null
}

export async function createUnit(db: Db, parentId: string, name: string, now: number): Promise<Unit> {
  const parent = await unitRow(db, parentId)
  if (!parent) throw fail.notFound('body.parentId')
  const level = childLevel(parent.level)
  if (!level) throw fail.conflict('body.parentId', `Không thể tạo đơn vị dưới cấp ${LEVEL_VI[parent.level]}.`, `No unit can be created below a ${parent.level}.`)
  await requireFreeName(db, parentId, name, null, 'body.name')
  const id = newId(level)
  await db.insertInto('units').values({ id, parent_id: parentId, level, name, path: `${parent.path}${id}/`, created_at: isoAt(now) }).execute()
  return { id, parentId, level, name }
}

export async function renameUnit(db: Db, id: string, name: string): Promise<Unit> {
  const current = await unitRow(db, id)
  if (!current) throw fail.notFound('params.id')
  await requireFreeName(db, current.parent_id, name, id, 'body.name')
  await db.updateTable('units').set({ name }).where('id', '=', id).execute()
  const row = await unitRow(db, id)
  if (!row) throw fail.notFound('params.id')
  return toUnit(row)
}

/**
 * Moves a unit (and everything under it) below another parent of the level just above it. `newName`: the
 * name it is being given in the same change (what must be free among its new siblings).
 */
export async function moveUnit(db: Db, id: string, parentId: string, newName?: string): Promise<Unit> {
  const unit = await unitRow(db, id)
  const parent = await unitRow(db, parentId)
  if (!unit) throw fail.notFound('params.id')
  if (!parent) throw fail.notFound('body.parentId')
  if (unit.parent_id === null) throw fail.conflict('params.id', 'Không thể chuyển đơn vị cấp tỉnh.', 'The province cannot be moved.')
  if (parent.path.startsWith(unit.path)) {
    throw fail.conflict('body.parentId', 'Không thể chuyển đơn vị vào chính nó hoặc đơn vị cấp dưới của nó.', 'A unit cannot be moved into itself or below itself.')
  }
  if (childLevel(parent.level) !== unit.level) {
    throw fail.conflict('body.parentId', `Đơn vị cấp ${LEVEL_VI[unit.level]} phải nằm dưới đơn vị cấp trên liền kề.`, `A ${unit.level} must sit directly below the level above it.`)
  }
  await requireFreeName(db, parentId, newName ?? unit.name, id, newName === undefined ? 'body.parentId' : 'body.name')
  const newPath = `${parent.path}${unit.id}/`
  const below = await db.selectFrom('units').select(['id', 'path']).where('path', 'like', `${unit.path}%`).execute()
  for (const row of below) {
    await db
      .updateTable('units')
      .set({ path: newPath + row.path.slice(unit.path.length) })
      .where('id', '=', row.id)
      .execute()
  }
  await db.updateTable('units').set({ parent_id: parentId }).where('id', '=', id).execute()
  return { ...toUnit(unit), parentId }
}
