// Mã API (administrators): my API tokens for scripts — create one (its secret shown once, with a copy
// button), list them (what they act as, when made, last used), revoke one after a confirmation.
import { useState, type FormEvent } from 'react'
import { api } from '../api/client'
import { CreatedToken, TokenList } from '../api/tokens'
import { FormError, SubmitButton, TextField } from '../components/form'
import { LoadError, Loading, Notice } from '../components/status'
import { useAction } from '../components/use-action'
import { useLoad } from '../components/use-load'
import { useI18n } from '../i18n/i18n'
import { PageHeader } from '../layout/page-header'
import { TokenSecret } from './token-secret'
import { TokenTable } from './token-table'

export function TokensPage() {
  const { t } = useI18n()
  const list = useLoad(() => api.get('/tokens', TokenList))
  const [created, setCreated] = useState<CreatedToken | null>(null)
  const [done, setDone] = useState<string | null>(null)
  const header = <PageHeader title={t('nav.tokens')} />
  if (list.error && !list.data)
    return (
      <>
        {header}
        <LoadError error={list.error} onRetry={list.reload} />
      </>
    )
  if (!list.data)
    return (
      <>
        {header}
        <Loading />
      </>
    )
  return (
    <>
      {header}
      <p className="muted">{t('tokens.intro')}</p>
      {done ? <Notice>{done}</Notice> : null}
      {created ? <TokenSecret key={created.id} created={created} onHide={() => setCreated(null)} /> : null}
      <CreateToken
        onCreated={(token) => {
          setDone(null)
          setCreated(token)
          list.reload()
        }}
      />
      <section className="panel" aria-labelledby="tokens-h">
        <h2 id="tokens-h">{t('tokens.list')}</h2>
        <TokenTable
          tokens={list.data.tokens}
          onRevoked={(name) => {
            setCreated(null)
            setDone(t('tokens.revoked', { name }))
            list.reload()
          }}
        />
      </section>
    </>
  )
}

function CreateToken({ onCreated }: { onCreated: (token: CreatedToken) => void }) {
  const { t } = useI18n()
  const [name, setName] = useState('')
  const create = useAction(async (e: FormEvent) => {
    e.preventDefault()
    const token = await api.post('/tokens', CreatedToken, { name })
    setName('')
    onCreated(token)
  })
  return (
    <form className="panel" noValidate onSubmit={(e) => void create.run(e)} aria-labelledby="token-create-h">
      <h2 id="token-create-h">{t('tokens.create')}</h2>
      <FormError error={create.formError(['name'])} />
      <TextField label={t('tokens.name')} hint={t('tokens.nameHint')} value={name} onChange={(e) => setName(e.target.value)} error={create.errorFor('name')} maxLength={120} />
      <SubmitButton busy={create.busy}>{t('tokens.create')}</SubmitButton>
    </form>
  )
}
