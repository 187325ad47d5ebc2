// The unit tree (tỉnh → huyện → xã) built from the flat /units answer: a nested list to read, and the
// same order with depths for <select>s that pick a unit.
import type { Unit } from '../api/schemas'
import { useI18n } from '../i18n/i18n'

export interface UnitRow {
  unit: Unit
  depth: number
}

/** Depth-first, children sorted by name (Vietnamese collation); roots are units whose parent is not listed. */
export function unitRows(units: readonly Unit[]): UnitRow[] {
  const ids = new Set(units.map((u) => u.id))
  const children = new Map<string | null, Unit[]>()
  for (const unit of units) {
    const parent = unit.parentId !== null && ids.has(unit.parentId) ? unit.parentId : null
    children.set(parent, [...(children.get(parent) ?? []), unit])
  }
  const rows: UnitRow[] = []
  const visit = (parent: string | null, depth: number) => {
    const list = [...(children.get(parent) ?? [])].sort((a, b) => a.name.localeCompare(b.name, 'vi'))
    for (const unit of list) {
      rows.push({ unit, depth })
      visit(unit.id, depth + 1)
    }
  }
  visit(null, 0)
  return rows
}

/** A unit's name as an <option>: indented by depth, with its level. */
export function UnitOptions({ rows }: { rows: readonly UnitRow[] }) {
  const { t } = useI18n()
  return (
    <>
      {rows.map(({ unit, depth }) => (
        <option key={unit.id} value={unit.id}>
          {'\u00a0\u00a0'.repeat(depth)}
          {unit.name} ({t(`level.${unit.level}`)})
        </option>
      ))}
    </>
  )
}

export function UnitTree({ units }: { units: readonly Unit[] }) {
  const { t } = useI18n()
  const byParent = new Map<string | null, Unit[]>()
  const ids = new Set(units.map((u) => u.id))
  for (const unit of units) {
    const parent = unit.parentId !== null && ids.has(unit.parentId) ? unit.parentId : null
    byParent.set(parent, [...(byParent.get(parent) ?? []), unit])
  }
  const branch = (parent: string | null) => {
    const list = [...(byParent.get(parent) ?? [])].sort((a, b) => a.name.localeCompare(b.name, 'vi'))
    if (list.length === 0) return null
    return (
      <ul className={parent === null ? 'tree' : undefined}>
        {list.map((unit) => (
          <li key={unit.id} data-unit={unit.name}>
            <span className={`level level-${unit.level}`}>{t(`level.${unit.level}`)}</span> {unit.name}
            {branch(unit.id)}
          </li>
        ))}
      </ul>
    )
  }
  return branch(null)
}
