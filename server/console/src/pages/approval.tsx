// Duyệt: what awaits my approval, each with its details (when, where, how urgent, what it plays) and a
// preview of its text notices as the board draws them (the player's own renderer, at the size chosen); approve (publishes at once) or send back with a
// reason; and the history of decided entries.
import { useState, type FormEvent } from 'react'
import { api } from '../api/client'
import { LibraryItems, Playlists, ScheduleEntries, Submission, Submissions, SCHEDULE_ENTRY_KIND, type LibraryItem, type Playlist, type ScheduleEntry } from '../api/programme'
import { imageUrl } from '../api/library'
import { Units, type Unit } from '../api/schemas'
import { FormError, SubmitButton } from '../components/form'
import { LoadError, Loading, Notice } from '../components/status'
import { useAction } from '../components/use-action'
import { useLoad } from '../components/use-load'
import { useI18n } from '../i18n/i18n'
import { PageHeader } from '../layout/page-header'
import { ApprovalHistory } from './approval-history'
import { BoardPreviewChoice, lookOf } from './board-preview'
import { EntrySummary } from './schedule/entry-summary'

export function ApprovalPage() {
  const { t } = useI18n()
  const data = useLoad(async () => {
    const [queue, entries, playlists, library, units] = await Promise.all([
      api.get('/approvals', Submissions),
      api.get('/schedule-entries', ScheduleEntries),
      api.get('/playlists', Playlists),
      api.get('/library/items', LibraryItems),
      api.get('/units', Units)
    ])
    return { queue: queue.submissions, entries: entries.entries, playlists: playlists.playlists, library: library.items, units: units.units }
  })
  const [outcome, setOutcome] = useState<'approved' | 'sent-back' | null>(null)
  const header = <PageHeader title={t('approval.title')} />
  if (data.error && !data.data)
    return (
      <>
        {header}
        <LoadError error={data.error} onRetry={data.reload} />
      </>
    )
  if (!data.data)
    return (
      <>
        {header}
        <Loading />
      </>
    )
  const { queue, entries, playlists, library, units } = data.data
  const done = (what: 'approved' | 'sent-back') => {
    setOutcome(what)
    data.reload()
  }
  return (
    <>
      {header}
      <p className="muted">{t('approval.intro')}</p>
      {outcome ? <Notice>{t(`approval.outcome.${outcome}`)}</Notice> : null}
      <section aria-labelledby="queue-h">
        <h2 id="queue-h">{t('approval.queue', { n: queue.length })}</h2>
        {queue.length === 0 ? <p className="muted">{t('approval.none')}</p> : null}
        {queue.map((s) => (
          <Awaiting key={s.id} submission={s} entries={entries} playlists={playlists} library={library} units={units} onDone={done} />
        ))}
      </section>
      <section aria-labelledby="history-h" className="panel">
        <h2 id="history-h">{t('approval.history')}</h2>
        <ApprovalHistory entries={entries.filter((e) => e.status === 'approved' || e.status === 'returned')} />
      </section>
    </>
  )
}

interface AwaitingProps {
  submission: Submission
  entries: readonly ScheduleEntry[]
  playlists: readonly Playlist[]
  library: readonly LibraryItem[]
  units: readonly Unit[]
  onDone: (what: 'approved' | 'sent-back') => void
}

function Awaiting({ submission, entries, playlists, library, units, onDone }: AwaitingProps) {
  const { t, lang } = useI18n()
  const [reason, setReason] = useState('')
  const [sendingBack, setSendingBack] = useState(false)
  const approve = useAction(async () => {
    await api.post(`/approvals/${submission.id}/approve`, Submission)
    onDone('approved')
  })
  const sendBack = useAction(async (e: FormEvent) => {
    e.preventDefault()
    await api.post(`/approvals/${submission.id}/send-back`, Submission, { reason })
    onDone('sent-back')
  })
  const entry = submission.kind === SCHEDULE_ENTRY_KIND ? entries.find((e) => e.id === submission.subjectId) : undefined
  const playlist = entry ? playlists.find((p) => p.id === entry.playlistId) : undefined
  const byId = new Map(library.map((i) => [i.id, i]))
  const when = new Intl.DateTimeFormat(lang === 'vi' ? 'vi-VN' : 'en-GB', { dateStyle: 'short', timeStyle: 'short', timeZone: 'Asia/Ho_Chi_Minh' })
  const reasonId = `reason-${submission.id}`
  const reasonError = sendBack.errorFor('reason')
  return (
    <article className="panel awaiting" data-submission={submission.summary} aria-labelledby={`s-${submission.id}`}>
      <h3 id={`s-${submission.id}`}>{submission.summary}</h3>
      <p className="muted">{t('approval.submittedAt', { at: when.format(new Date(submission.submittedAt)) })}</p>
      {submission.lastError ? <div className="form-error">{t('approval.lastError', { error: submission.lastError })}</div> : null}
      {entry ? <EntrySummary entry={entry} playlist={playlist} units={units} /> : null}
      {playlist ? (
        <div className="preview-list">
          {playlist.items.map((item, i) => {
            const content = byId.get(item.contentId)
            if (content?.kind === 'text')
              return <BoardPreviewChoice key={i} title={content.title ?? ''} body={content.body ?? ''} {...lookOf(content)} label={t('approval.previewOf', { n: i + 1, name: content.name, sec: item.durationSec ?? '—' })} />
            const line = t('approval.itemLine', { n: i + 1, name: content?.name ?? item.contentId, kind: content ? t(`schedule.kind.${content.kind}` as 'schedule.kind.text') : '—', sec: item.durationSec ?? '—' })
            // A picture is seen before it is approved, as the board will show it (fitted, never cropped).
            if (content?.kind === 'image')
              return (
                <figure key={i} className="preview-picture">
                  <img src={imageUrl(content.id)} alt={content.name} loading="lazy" />
                  <figcaption>{line}</figcaption>
                </figure>
              )
            return (
              <p key={i} className="preview-other">
                {line}
              </p>
            )
          })}
        </div>
      ) : null}
      <FormError error={approve.error} />
      <div className="form-actions">
        <button type="button" className="button primary" disabled={approve.busy || sendBack.busy} aria-busy={approve.busy} onClick={() => void approve.run()}>
          {approve.busy ? t('approval.publishing') : t('approval.approve')}
        </button>
        {!sendingBack ? (
          <button type="button" className="button" onClick={() => setSendingBack(true)}>
            {t('approval.sendBack')}
          </button>
        ) : null}
      </div>
      {sendingBack ? (
        <form onSubmit={(e) => void sendBack.run(e)} className="subform" aria-label={t('approval.sendBack')}>
          <div className="field">
            <label htmlFor={reasonId}>{t('approval.reason')}</label>
            <textarea id={reasonId} rows={3} value={reason} onChange={(e) => setReason(e.target.value)} aria-invalid={reasonError ? true : undefined} aria-describedby={reasonError ? `${reasonId}-error` : undefined} />
            {reasonError ? (
              <p className="field-error" id={`${reasonId}-error`}>
                {reasonError.text(lang)}
              </p>
            ) : null}
          </div>
          <FormError error={sendBack.formError(['reason'])} />
          <div className="form-actions">
            <SubmitButton busy={sendBack.busy}>{t('approval.sendBackConfirm')}</SubmitButton>
            <button type="button" className="button ghost" onClick={() => setSendingBack(false)}>
              {t('app.cancel')}
            </button>
          </div>
        </form>
      ) : null}
    </article>
  )
}
