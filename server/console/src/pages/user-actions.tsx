// An administrator's actions on one user (never on themselves: the server refuses those anyway):
// disable (asked first, in the row), enable, a new one-time password, change the role (chosen, then saved).
import { useState, type FormEvent } from 'react'
import { api } from '../api/client'
import { NewPassword, ROLES, User, type Role } from '../api/schemas'
import { FormError, SelectField, SubmitButton } from '../components/form'
import { useAction } from '../components/use-action'
import { useI18n } from '../i18n/i18n'

type Mode = 'idle' | 'confirm-disable' | 'role'

export function UserActions({ user, onChanged, onPassword }: { user: User; onChanged: (message: string | null) => void; onPassword: (name: string, password: string) => void }) {
  const { t } = useI18n()
  const [mode, setMode] = useState<Mode>('idle')
  const [role, setRole] = useState<Role>(user.role)
  const name = user.username
  const toggle = useAction(async () => {
    await api.patch(`/users/${encodeURIComponent(user.id)}`, User, { disabled: !user.disabled })
    setMode('idle')
    onChanged(null)
  })
  const reset = useAction(async () => {
    const answer = await api.post(`/users/${encodeURIComponent(user.id)}/password-reset`, NewPassword)
    onPassword(name, answer.password)
  })
  const changeRole = useAction(async () => {
    const changed = await api.patch(`/users/${encodeURIComponent(user.id)}`, User, { role })
    setMode('idle')
    onChanged(t('users.roleChanged', { name, role: t(`role.${changed.role}`) }))
  })
  const error = toggle.error ?? reset.error ?? changeRole.error

  if (mode === 'confirm-disable') {
    return (
      <div className="row-actions confirm" role="group" aria-label={t('users.confirmDisable', { name })}>
        <span>{t('users.confirmDisable', { name })}</span>
        <FormError error={toggle.error} />
        <button type="button" className="button small danger" disabled={toggle.busy} onClick={() => void toggle.run()}>
          {t('users.disableShort')}
        </button>
        <button type="button" className="button small" autoFocus onClick={() => setMode('idle')}>
          {t('app.cancel')}
        </button>
      </div>
    )
  }
  if (mode === 'role') {
    const submit = (event: FormEvent) => {
      event.preventDefault()
      void changeRole.run()
    }
    return (
      <form className="row-form" onSubmit={submit} noValidate>
        <FormError error={changeRole.formError(['role'])} />
        <SelectField label={t('users.newRole', { name })} value={role} onChange={(e) => setRole(e.target.value as Role)} error={changeRole.errorFor('role')} autoFocus>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {t(`role.${r}`)}
            </option>
          ))}
        </SelectField>
        <div className="row-actions">
          <SubmitButton busy={changeRole.busy} className="button small primary">
            {t('app.save')}
          </SubmitButton>
          <button type="button" className="button small" onClick={() => setMode('idle')}>
            {t('app.cancel')}
          </button>
        </div>
      </form>
    )
  }
  return (
    <>
      <FormError error={error} />
      <div className="row-actions">
        <button
          type="button"
          className="button small"
          aria-label={user.disabled ? t('users.enable', { name }) : t('users.disable', { name })}
          disabled={toggle.busy}
          onClick={() => (user.disabled ? void toggle.run() : setMode('confirm-disable'))}
        >
          {user.disabled ? t('users.enableShort') : t('users.disableShort')}
        </button>
        <button type="button" className="button small" aria-label={t('users.reset', { name })} disabled={reset.busy} onClick={() => void reset.run()}>
          {t('users.resetShort')}
        </button>
        <button
          type="button"
          className="button small"
          aria-label={t('users.changeRole', { name })}
          onClick={() => {
            setRole(user.role)
            setMode('role')
          }}
        >
          {t('users.changeRoleShort')}
        </button>
      </div>
    </>
  )
}
