// Người dùng & đơn vị: rename a unit or move it under another (administrators). Only what changed is sent;
// the server refuses a cycle or a wrong level, and its message sits under the field it names.
import { useState, type FormEvent } from 'react'
import { api } from '../api/client'
import { Unit } from '../api/schemas'
import { FormError, SelectField, SubmitButton, TextField } from '../components/form'
import { useAction } from '../components/use-action'
import { useI18n } from '../i18n/i18n'
import { UnitOptions, type UnitRow } from './unit-tree'

export function EditUnitForm({ rows, myUnitId, onChanged }: { rows: readonly UnitRow[]; myUnitId: string; onChanged: (unit: Unit) => void }) {
  const { t } = useI18n()
  // My own unit (and the province) cannot move; they may still be renamed, so all units are listed.
  const [unitId, setUnitId] = useState(rows.find((row) => row.unit.id !== myUnitId)?.unit.id ?? rows[0]?.unit.id ?? '')
  const current = rows.find((row) => row.unit.id === unitId)?.unit
  const [name, setName] = useState(current?.name ?? '')
  const [parentId, setParentId] = useState(current?.parentId ?? '')
  const parents = rows.filter((row) => row.unit.level !== 'xa')
  const choose = (id: string) => {
    const unit = rows.find((row) => row.unit.id === id)?.unit
    setUnitId(id)
    setName(unit?.name ?? '')
    setParentId(unit?.parentId ?? '')
  }
  const action = useAction(async () => {
    const body: { name?: string; parentId?: string } = {}
    if (name !== current?.name) body.name = name
    if (parentId !== '' && parentId !== current?.parentId) body.parentId = parentId
    onChanged(await api.patch(`/units/${encodeURIComponent(unitId)}`, Unit, body))
  })
  const submit = (event: FormEvent) => {
    event.preventDefault()
    void action.run()
  }
  return (
    <form onSubmit={submit} noValidate aria-labelledby="edit-unit-heading" className="subform">
      <h3 id="edit-unit-heading">{t('users.editUnit')}</h3>
      <FormError error={action.formError(['id', 'name', 'parentId'])} />
      <SelectField label={t('users.unit.which')} name="editUnitId" value={unitId} onChange={(e) => choose(e.target.value)} error={action.errorFor('id')}>
        <UnitOptions rows={rows} />
      </SelectField>
      <TextField label={t('users.unit.newName')} name="editUnitName" required value={name} onChange={(e) => setName(e.target.value)} error={action.errorFor('name')} />
      <SelectField label={t('users.unit.moveUnder')} name="editUnitParent" value={parentId} onChange={(e) => setParentId(e.target.value)} error={action.errorFor('parentId')}>
        {current?.parentId ? null : <option value="">{t('users.unit.noParent')}</option>}
        <UnitOptions rows={parents.filter((row) => row.unit.id !== unitId)} />
      </SelectField>
      <SubmitButton busy={action.busy}>{t('users.unit.save')}</SubmitButton>
    </form>
  )
}
