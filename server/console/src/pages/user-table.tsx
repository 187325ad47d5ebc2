// The users of my units: name, role, unit, state, and the administrator's actions on each (disable or
// enable, a new one-time password). Not on my own row: the server refuses those anyway.
import { useState } from 'react'
import { api } from '../api/client'
import { NewPassword, User, type Unit } from '../api/schemas'
import { FormError } from '../components/form'
import { useAction } from '../components/use-action'
import { useI18n } from '../i18n/i18n'
import { useMe } from '../session'

export function UserTable({
  users,
  units,
  onChanged,
  onPassword
}: {
  users: readonly User[]
  units: readonly Unit[]
  onChanged: () => void
  onPassword: (name: string, password: string) => void
}) {
  const { t } = useI18n()
  const me = useMe()
  const unitName = new Map(units.map((u) => [u.id, u.name]))
  // Disabling asks first, in the row itself (a browser confirm() is neither styled nor translated).
  const [confirming, setConfirming] = useState<string | null>(null)
  const toggle = useAction(async (user: User) => {
    await api.patch(`/users/${encodeURIComponent(user.id)}`, User, { disabled: !user.disabled })
    setConfirming(null)
    onChanged()
  })
  const reset = useAction(async (user: User) => {
    const answer = await api.post(`/users/${encodeURIComponent(user.id)}/password-reset`, NewPassword)
    onPassword(user.username, answer.password)
  })
  if (users.length === 0) return <p className="muted">{t('users.none')}</p>
  const sorted = [...users].sort((a, b) => a.username.localeCompare(b.username))
  return (
    <>
      <FormError error={toggle.error ?? reset.error} />
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
                    {self ? (
                      <span className="muted">—</span>
                    ) : confirming === user.id ? (
                      <div className="row-actions confirm" role="group" aria-label={t('users.confirmDisable', { name: user.username })}>
                        <span>{t('users.confirmDisable', { name: user.username })}</span>
                        <button type="button" className="button small danger" disabled={toggle.busy} onClick={() => void toggle.run(user)}>
                          {t('users.disableShort')}
                        </button>
                        <button type="button" className="button small" autoFocus onClick={() => setConfirming(null)}>
                          {t('app.cancel')}
                        </button>
                      </div>
                    ) : (
                      <div className="row-actions">
                        <button
                          type="button"
                          className="button small"
                          aria-label={user.disabled ? t('users.enable', { name: user.username }) : t('users.disable', { name: user.username })}
                          disabled={toggle.busy}
                          onClick={() => (user.disabled ? void toggle.run(user) : setConfirming(user.id))}
                        >
                          {user.disabled ? t('users.enableShort') : t('users.disableShort')}
                        </button>
                        <button
                          type="button"
                          className="button small"
                          aria-label={t('users.reset', { name: user.username })}
                          disabled={reset.busy}
                          onClick={() => void reset.run(user)}
                        >
                          {t('users.resetShort')}
                        </button>
                      </div>
                    )}
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
