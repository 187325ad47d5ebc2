// First run (and after a reset): the one-time password must be replaced before anything else.
import { useState, type FormEvent } from 'react'
import type { Me } from '../api/schemas'
import { FormError, SubmitButton, TextField } from '../components/form'
import { useAction } from '../components/use-action'
import { useI18n } from '../i18n/i18n'
import { LanguageToggle } from '../layout/language-toggle'
import { PageHeader } from '../layout/page-header'
import { changePassword, signOut } from '../session'

const FIELDS = ['currentPassword', 'newPassword', 'confirm'] as const

export function ChangePasswordPage({ me }: { me: Me }) {
  const { t } = useI18n()
  const [current, setCurrent] = useState('')
  const [next, setNext] = useState('')
  const [confirm, setConfirm] = useState('')
  const [mismatch, setMismatch] = useState<string | null>(null)
  const action = useAction(() => changePassword(current, next))
  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (next.length >= 10 && next !== confirm) {
      setMismatch(t('password.mismatch'))
      return
    }
    setMismatch(null)
    void action.run()
  }
  return (
    <div className="auth-page">
      <div className="auth-lang">
        <LanguageToggle />
      </div>
      <main className="auth-card" id="main">
        <p className="auth-brand">
          {t('app.title')} · {me.user.displayName}
        </p>
        <PageHeader title={t('password.title')} />
        <p className="muted">{t('password.intro')}</p>
        <form onSubmit={submit} noValidate>
          <FormError error={action.formError(FIELDS)} />
          <input type="text" name="username" autoComplete="username" value={me.user.username} readOnly hidden />
          <TextField
            label={t('password.current')}
            name="currentPassword"
            type="password"
            autoComplete="current-password"
            required
            value={current}
            onChange={(e) => setCurrent(e.target.value)}
            error={action.errorFor('currentPassword')}
          />
          <TextField
            label={t('password.new')}
            name="newPassword"
            type="password"
            autoComplete="new-password"
            required
            minLength={10}
            hint={t('password.hint')}
            value={next}
            onChange={(e) => setNext(e.target.value)}
            error={action.errorFor('newPassword')}
          />
          <TextField
            label={t('password.confirm')}
            name="confirm"
            type="password"
            autoComplete="new-password"
            required
            value={confirm}
            onChange={(e) => setConfirm(e.target.value)}
            error={mismatch}
          />
          <div className="actions">
            <SubmitButton busy={action.busy}>{t('password.submit')}</SubmitButton>
            <button type="button" className="button ghost" onClick={() => void signOut()}>
              {t('app.signOut')}
            </button>
          </div>
        </form>
      </main>
    </div>
  )
}
