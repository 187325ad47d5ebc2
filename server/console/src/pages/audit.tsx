// Nhật ký: the audit log of my units, newest first, 100 at a time with "show more"; actions in words.
import { useState } from 'react'
import { api } from '../api/client'
import { AuditEntries, Users, type AuditEntry } from '../api/schemas'
import { FormError } from '../components/form'
import { LoadError, Loading } from '../components/status'
import { useAction } from '../components/use-action'
import { useLoad } from '../components/use-load'
import { hasKey, useI18n } from '../i18n/i18n'
import { PageHeader } from '../layout/page-header'
import { useMe } from '../session'

const PAGE = 100

export function AuditPage() {
  const { t, lang } = useI18n()
  const me = useMe()
  const first = useLoad(() => api.get(`/audit?limit=${PAGE}`, AuditEntries))
  // Names of people: only administrators may list users; others see short ids.
  const people = useLoad(() => (me.user.role === 'quan-tri' ? api.get('/users', Users) : Promise.resolve({ users: [] })))
  const [more, setMore] = useState<AuditEntry[]>([])
  const [exhausted, setExhausted] = useState(false)
  const entries = [...(first.data?.entries ?? []), ...more]
  const loadMore = useAction(async () => {
    const last = entries[entries.length - 1]
    if (!last) return
    const next = await api.get(`/audit?limit=${PAGE}&before=${last.id}`, AuditEntries)
    setMore((m) => [...m, ...next.entries])
    if (next.entries.length < PAGE) setExhausted(true)
  })
  const header = <PageHeader title={t('audit.title')} />
  if (first.error)
    return (
      <>
        {header}
        <LoadError error={first.error} onRetry={first.reload} />
      </>
    )
  if (!first.data)
    return (
      <>
        {header}
        <Loading />
      </>
    )
  const names = new Map((people.data?.users ?? []).map((u) => [u.id, u.username]))
  // Vietnam's time wherever the browser is, as the server's own messages say it.
  const when = new Intl.DateTimeFormat(lang === 'vi' ? 'vi-VN' : 'en-GB', { dateStyle: 'short', timeStyle: 'medium', timeZone: 'Asia/Ho_Chi_Minh' })
  const action = (code: string) => {
    const key = `audit.action.${code}`
    return hasKey(key) ? t(key) : code
  }
  const who = (entry: AuditEntry) => (entry.userId === null ? t('audit.system') : (entry.userName ?? names.get(entry.userId) ?? entry.userId.slice(0, 8)))
  const target = (entry: AuditEntry) => (entry.target === null ? '' : (names.get(entry.target) ?? entry.target))
  return (
    <>
      {header}
      <p className="muted">{t('audit.intro')}</p>
      {entries.length === 0 ? (
        <p className="muted">{t('audit.none')}</p>
      ) : (
        <div className="table-wrap">
          <table className="table audit">
            <thead>
              <tr>
                <th scope="col">{t('audit.at')}</th>
                <th scope="col">{t('audit.who')}</th>
                <th scope="col">{t('audit.action')}</th>
                <th scope="col">{t('audit.target')}</th>
                <th scope="col">{t('audit.detail')}</th>
                <th scope="col">{t('audit.address')}</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <tr key={entry.id} data-action={entry.action}>
                  <td data-label={t('audit.at')}>
                    <time dateTime={entry.at}>{when.format(new Date(entry.at))}</time>
                  </td>
                  <td data-label={t('audit.who')}>{who(entry)}</td>
                  <td data-label={t('audit.action')}>{action(entry.action)}</td>
                  <td data-label={t('audit.target')} className="break">
                    {target(entry)}
                  </td>
                  <td data-label={t('audit.detail')} className="detail">
                    {describe(entry.detail)}
                  </td>
                  <td data-label={t('audit.address')}>{entry.address}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <FormError error={loadMore.error} />
      {first.data.entries.length === PAGE && !exhausted ? (
        <button type="button" className="button" disabled={loadMore.busy} aria-busy={loadMore.busy} onClick={() => void loadMore.run()}>
          {loadMore.busy ? t('app.busy') : t('audit.more')}
        </button>
      ) : null}
    </>
  )
}

/** An entry's detail as short `key: value` pairs (the server already redacted passwords and tokens). */
function describe(detail: unknown): string {
  if (detail === null || detail === undefined) return ''
  if (typeof detail !== 'object') return String(detail)
  return Object.entries(detail as Record<string, unknown>)
    .map(([key, value]) => `${key}: ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`)
    .join(' · ')
    .slice(0, 300)
}
