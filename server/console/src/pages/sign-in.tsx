// Đăng nhập: username and password; a wrong password, a locked account or too many attempts is shown next
// to the field the server names, in the page's language.
import { useState, type FormEvent } from 'react'
import { FormError, SubmitButton, TextField } from '../components/form'
import { Notice } from '../components/status'
import { useAction } from '../components/use-action'
import { useI18n } from '../i18n/i18n'
import { LanguageToggle } from '../layout/language-toggle'
import { PageHeader } from '../layout/page-header'
import { signIn } from '../session'

const FIELDS = ['username', 'password'] as const

export function SignInPage({ expired }: { expired: boolean }) {
  const { t } = useI18n()
  const [username, setUsername] = useState('')
  const [password, setPassword] = useState('')
  const action = useAction(() => signIn(username, password))
  const submit = (event: FormEvent) => {
    event.preventDefault()
    void action.run()
  }
  return (
    <div className="auth-page">
      <div className="auth-lang">
        <LanguageToggle />
      </div>
      <main className="auth-card" id="main">
        <p className="auth-brand">{t('app.title')}</p>
        <PageHeader title={t('signIn.title')} focus={false} />
        <p className="muted">{t('signIn.intro')}</p>
        {expired ? <Notice tone="info">{t('signIn.expired')}</Notice> : null}
        <form onSubmit={submit} noValidate>
          <FormError error={action.formError(FIELDS)} />
          <TextField
            label={t('signIn.username')}
            name="username"
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            required
            autoFocus
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            error={action.errorFor('username')}
          />
          <TextField
            label={t('signIn.password')}
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            error={action.errorFor('password')}
          />
          <SubmitButton busy={action.busy}>{t('signIn.submit')}</SubmitButton>
        </form>
      </main>
    </div>
  )
}
