// Người dùng & đơn vị (administrators): the unit tree and a form to add a unit below one of mine; the users
// of my units with their role and state, a form to add one, and disable / enable / a new one-time password.
import { useState, type FormEvent } from 'react'
import { api } from '../api/client'
import { CreatedUser, ROLES, Unit, Units, User, Users, type Role } from '../api/schemas'
import { FormError, SelectField, SubmitButton, TextField } from '../components/form'
import { LoadError, Loading, Notice } from '../components/status'
import { useAction } from '../components/use-action'
import { useLoad } from '../components/use-load'
import { useI18n } from '../i18n/i18n'
import { PageHeader } from '../layout/page-header'
import { useMe } from '../session'
import { EditUnitForm } from './unit-edit'
import { UnitOptions, UnitTree, unitRows, type UnitRow } from './unit-tree'
import { UserTable } from './user-table'

export function UsersPage() {
  const { t } = useI18n()
  const me = useMe()
  const units = useLoad(() => api.get('/units', Units))
  const users = useLoad(() => api.get('/users', Users))
  const [oneTime, setOneTime] = useState<{ name: string; password: string } | null>(null)
  const [done, setDone] = useState<string | null>(null)
  const error = units.error ?? users.error
  if (error)
    return (
      <>
        <PageHeader title={t('users.title')} />
        <LoadError
          error={error}
          onRetry={() => {
            units.reload()
            users.reload()
          }}
        />
      </>
    )
  if (!units.data || !users.data)
    return (
      <>
        <PageHeader title={t('users.title')} />
        <Loading />
      </>
    )
  const rows = unitRows(units.data.units)
  const shown = (name: string, password: string) => {
    setDone(null)
    setOneTime({ name, password })
    users.reload()
  }
  return (
    <>
      <PageHeader title={t('users.title')} />
      {done ? <Notice>{done}</Notice> : null}
      {oneTime ? (
        <Notice tone="warning">
          <p>
            {t('users.oneTime', { name: oneTime.name, password: '' })}
            <code className="one-time" data-testid="one-time-password">
              {oneTime.password}
            </code>
          </p>
          <p>{t('users.oneTimeNote')}</p>
        </Notice>
      ) : null}
      <div className="columns">
        <section className="panel" aria-labelledby="units-heading">
          <h2 id="units-heading">{t('users.units')}</h2>
          <UnitTree units={units.data.units} />
          <AddUnitForm
            rows={rows}
            onCreated={(unit) => {
              setOneTime(null)
              setDone(t('users.unit.created', { name: unit.name }))
              units.reload()
            }}
          />
          <EditUnitForm
            key={units.data.units.map((u) => `${u.id}:${u.parentId ?? ''}:${u.name}`).join('|')}
            rows={rows}
            myUnitId={me.unit.id}
            onChanged={(unit) => {
              setOneTime(null)
              setDone(t('users.unit.changed', { name: unit.name }))
              units.reload()
            }}
          />
        </section>
        <section className="panel" aria-labelledby="add-user-heading">
          <h2 id="add-user-heading">{t('users.addUser')}</h2>
          <AddUserForm rows={rows} onCreated={(user, password) => shown(user.username, password)} />
        </section>
      </div>
      <section className="panel" aria-labelledby="users-heading">
        <h2 id="users-heading">{t('users.list')}</h2>
        <UserTable
          users={users.data.users}
          units={units.data.units}
          onChanged={(message) => {
            setOneTime(null)
            setDone(message)
            users.reload()
          }}
          onPassword={shown}
        />
      </section>
    </>
  )
}

function AddUnitForm({ rows, onCreated }: { rows: readonly UnitRow[]; onCreated: (unit: Unit) => void }) {
  const { t } = useI18n()
  const parents = rows.filter((row) => row.unit.level !== 'xa')
  const [parentId, setParentId] = useState(parents[0]?.unit.id ?? '')
  const [name, setName] = useState('')
  const action = useAction(async () => {
    onCreated(await api.post('/units', Unit, { parentId, name }))
    setName('')
  })
  const submit = (event: FormEvent) => {
    event.preventDefault()
    void action.run()
  }
  return (
    <form onSubmit={submit} noValidate aria-labelledby="add-unit-heading" className="subform">
      <h3 id="add-unit-heading">{t('users.addUnit')}</h3>
      <FormError error={action.formError(['parentId', 'name'])} />
      <SelectField label={t('users.unit.parent')} name="parentId" value={parentId} onChange={(e) => setParentId(e.target.value)} error={action.errorFor('parentId')}>
        <UnitOptions rows={parents} />
      </SelectField>
      <TextField label={t('users.unit.name')} name="unitName" required value={name} onChange={(e) => setName(e.target.value)} error={action.errorFor('name')} />
      <SubmitButton busy={action.busy}>{t('users.addUnit')}</SubmitButton>
    </form>
  )
}

function AddUserForm({ rows, onCreated }: { rows: readonly UnitRow[]; onCreated: (user: User, password: string) => void }) {
  const { t } = useI18n()
  const me = useMe()
  const [unitId, setUnitId] = useState(me.unit.id)
  const [username, setUsername] = useState('')
  const [displayName, setDisplayName] = useState('')
  const [role, setRole] = useState<Role>('bien-tap')
  const action = useAction(async () => {
    const created = await api.post('/users', CreatedUser, { unitId, username, displayName, role })
    onCreated(created.user, created.password)
    setUsername('')
    setDisplayName('')
  })
  const submit = (event: FormEvent) => {
    event.preventDefault()
    void action.run()
  }
  return (
    <form onSubmit={submit} noValidate>
      <FormError error={action.formError(['unitId', 'username', 'displayName', 'role'])} />
      <SelectField label={t('users.user.unit')} name="unitId" value={unitId} onChange={(e) => setUnitId(e.target.value)} error={action.errorFor('unitId')}>
        <UnitOptions rows={rows} />
      </SelectField>
      <TextField
        label={t('users.user.username')}
        name="username"
        autoComplete="off"
        autoCapitalize="none"
        spellCheck={false}
        required
        hint={t('users.user.usernameHint')}
        value={username}
        onChange={(e) => setUsername(e.target.value)}
        error={action.errorFor('username')}
      />
      <TextField
        label={t('users.user.displayName')}
        name="displayName"
        required
        value={displayName}
        onChange={(e) => setDisplayName(e.target.value)}
        error={action.errorFor('displayName')}
      />
      <SelectField label={t('users.user.role')} name="role" value={role} onChange={(e) => setRole(e.target.value as Role)} error={action.errorFor('role')}>
        {ROLES.map((r) => (
          <option key={r} value={r}>
            {t(`role.${r}`)}
          </option>
        ))}
      </SelectField>
      <SubmitButton busy={action.busy}>{t('users.addUser')}</SubmitButton>
    </form>
  )
}
