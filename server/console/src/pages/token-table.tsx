// The list of my API tokens: name, what it acts as (my role and unit: a token has no scope of its own),
// when made, last used (the server notes it at most once a minute), state; revoke after a confirmation.
import { useState } from 'react'
import { api } from '../api/client'
import { Revoked, type TokenInfo } from '../api/tokens'
import { FormError } from '../components/form'
import { useAction } from '../components/use-action'
import { useI18n } from '../i18n/i18n'
import { useMe } from '../session'

export function TokenTable({ tokens, onRevoked }: { tokens: readonly TokenInfo[]; onRevoked: (name: string) => void }) {
  const { t, lang } = useI18n()
  const me = useMe()
  const [confirming, setConfirming] = useState<string | null>(null)
  const revoke = useAction(async (token: TokenInfo) => {
    await api.del(`/tokens/${encodeURIComponent(token.id)}`, Revoked)
    setConfirming(null)
    onRevoked(token.name)
  })
  if (tokens.length === 0) return <p className="muted">{t('tokens.none')}</p>
  const when = new Intl.DateTimeFormat(lang === 'vi' ? 'vi-VN' : 'en-GB', { dateStyle: 'short', timeStyle: 'short', timeZone: 'Asia/Ho_Chi_Minh' })
  const at = (iso: string) => <time dateTime={iso}>{when.format(new Date(iso))}</time>
  const scope = t('tokens.scope', { role: t(`role.${me.user.role}`), unit: me.unit.name })
  // Newest first: the one just made is at the top.
  const rows = [...tokens].reverse()
  return (
    <div className="table-wrap">
      <table className="table tokens">
        <thead>
          <tr>
            <th scope="col">{t('tokens.col.name')}</th>
            <th scope="col">{t('tokens.col.scope')}</th>
            <th scope="col">{t('tokens.col.created')}</th>
            <th scope="col">{t('tokens.col.lastUsed')}</th>
            <th scope="col">{t('tokens.col.state')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((token) => (
            <tr key={token.id} data-token={token.name} data-state={token.revokedAt ? 'revoked' : 'active'}>
              <td data-label={t('tokens.col.name')} className="break">
                {token.name}
              </td>
              <td data-label={t('tokens.col.scope')}>{scope}</td>
              <td data-label={t('tokens.col.created')}>{at(token.createdAt)}</td>
              <td data-label={t('tokens.col.lastUsed')}>{token.lastUsedAt ? at(token.lastUsedAt) : t('tokens.never')}</td>
              <td data-label={t('tokens.col.state')}>
                {token.revokedAt ? (
                  <span className="muted">{t('tokens.revokedAt', { at: when.format(new Date(token.revokedAt)) })}</span>
                ) : confirming === token.id ? (
                  <div className="row-actions confirm" role="group" aria-label={t('tokens.revoke', { name: token.name })}>
                    <span>{t('tokens.confirmRevoke', { name: token.name })}</span>
                    <button type="button" className="button small danger" disabled={revoke.busy} onClick={() => void revoke.run(token)}>
                      {t('tokens.revokeShort')}
                    </button>
                    {/* Focus lands on the safe choice: the button that was pressed is gone. */}
                    <button type="button" className="button small" onClick={() => setConfirming(null)} autoFocus>
                      {t('app.cancel')}
                    </button>
                  </div>
                ) : (
                  <div className="row-actions">
                    <span>{t('tokens.active')}</span>
                    <button
                      type="button"
                      className="button small danger"
                      aria-label={t('tokens.revoke', { name: token.name })}
                      onClick={() => {
                        revoke.setError(null)
                        setConfirming(token.id)
                      }}
                    >
                      {t('tokens.revokeShort')}
                    </button>
                  </div>
                )}
                {confirming === token.id ? <FormError error={revoke.error} /> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
