// The users of my units: name, role, unit, state, and the administrator's actions on each (user-actions.tsx).
import type { Unit, User } from '../api/schemas'
import { useI18n } from '../i18n/i18n'
import { useMe } from '../session'
import { UserActions } from './user-actions'

export function UserTable({
  users,
  units,
  onChanged,
  onPassword
}: {
  users: readonly User[]
  units: readonly Unit[]
  onChanged: (message: string | null) => void
  onPassword: (name: string, password: string) => void
}) {
  const { t } = useI18n()
  const me = useMe()
  const unitName = new Map(units.map((u) => [u.id, u.name]))
  if (users.length === 0) return <p className="muted">{t('users.none')}</p>
  const sorted = [...users].sort((a, b) => a.username.localeCompare(b.username))
  return (
    <>
      <div className="table-wrap">
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t('users.user.username')}</th>
              <th scope="col">{t('users.user.displayName')}</th>
              <th scope="col">{t('users.user.role')}</th>
              <th scope="col">{t('users.user.unit')}</th>
              <th scope="col">{t('users.user.status')}</th>
              <th scope="col">{t('users.user.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {sorted.map((user) => {
              const self = user.id === me.user.id
              return (
                <tr key={user.id} data-user={user.username}>
                  <td data-label={t('users.user.username')}>
                    <strong>{user.username}</strong> {self ? t('users.you') : null}
                  </td>
                  <td data-label={t('users.user.displayName')}>{user.displayName}</td>
                  <td data-label={t('users.user.role')}>{t(`role.${user.role}`)}</td>
                  <td data-label={t('users.user.unit')}>{unitName.get(user.unitId) ?? user.unitId}</td>
                  <td data-label={t('users.user.status')}>
                    <span className={`badge ${user.disabled ? 'badge-off' : 'badge-on'}`}>{user.disabled ? t('users.user.disabled') : t('users.user.active')}</span>
                    {user.mustChangePassword ? <span className="badge badge-info">{t('users.user.mustChange')}</span> : null}
                    {user.lockedUntil && Date.parse(user.lockedUntil) > Date.now() ? <span className="badge badge-off">{t('users.user.locked')}</span> : null}
                  </td>
                  <td data-label={t('users.user.actions')}>
                    {self ? <span className="muted">—</span> : <UserActions user={user} onChanged={onChanged} onPassword={onPassword} />}
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
      </div>
    </>
  )
}
