// The schedule entries of my units: what, when, how urgent, where, and their state; edit, submit for
// approval (drafts and returned ones), delete (with a confirmation step).
import { useState } from 'react'
import { api } from '../../api/client'
import { History, SCHEDULE_ENTRY_KIND, type Playlist, type ScheduleEntry } from '../../api/programme'
import { useLoad } from '../../components/use-load'
import type { Unit } from '../../api/schemas'
import { useI18n } from '../../i18n/i18n'
import { describeWhen, describeWhere } from './entry-summary'

interface Props {
  entries: readonly ScheduleEntry[]
  playlists: readonly Playlist[]
  units: readonly Unit[]
  busy: boolean
  onEdit: (entry: ScheduleEntry) => void
  onSubmit: (id: string) => void
  onDelete: (id: string) => void
}

export function EntryList({ entries, playlists, units, busy, onEdit, onSubmit, onDelete }: Props) {
  const { t } = useI18n()
  const [confirming, setConfirming] = useState<string | null>(null)
  const playlistName = new Map(playlists.map((p) => [p.id, p.name]))
  if (entries.length === 0) return <p className="muted">{t('schedule.entry.none')}</p>
  const when = (e: ScheduleEntry) => describeWhen(e, t)
  const where = (e: ScheduleEntry) => describeWhere(e, units, t)
  return (
    <div className="table-wrap">
      <table className="table entries">
        <thead>
          <tr>
            <th scope="col">{t('schedule.entry.name')}</th>
            <th scope="col">{t('schedule.entry.playlist')}</th>
            <th scope="col">{t('schedule.entry.when')}</th>
            <th scope="col">{t('schedule.entry.targets')}</th>
            <th scope="col">{t('schedule.entry.status')}</th>
            <th scope="col">{t('schedule.entry.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.id} data-entry={e.name} data-status={e.status}>
              <td data-label={t('schedule.entry.name')}>
                {e.name}
                {e.priority === 'uu-tien' ? <span className="badge priority">{t('schedule.priority.uu-tien')}</span> : null}
              </td>
              <td data-label={t('schedule.entry.playlist')}>{playlistName.get(e.playlistId) ?? e.playlistId}</td>
              <td data-label={t('schedule.entry.when')}>{when(e)}</td>
              <td data-label={t('schedule.entry.targets')}>{where(e)}</td>
              <td data-label={t('schedule.entry.status')}>
                <span className={`badge status-${e.status}`}>{t(`schedule.status.${e.status}`)}</span>
                {e.status === 'returned' ? <ReturnReason entry={e} /> : null}
              </td>
              <td data-label={t('schedule.entry.actions')}>
                {confirming === e.id ? (
                  <div className="row-actions confirm">
                    <span>{t('schedule.entry.confirmDelete')}</span>
                    <button type="button" className="button small danger" disabled={busy} onClick={() => (setConfirming(null), onDelete(e.id))}>
                      {t('schedule.remove')}
                    </button>
                    <button type="button" className="button small ghost" onClick={() => setConfirming(null)}>
                      {t('app.cancel')}
                    </button>
                  </div>
                ) : (
                  <div className="row-actions">
                    <button type="button" className="button small" onClick={() => onEdit(e)} aria-label={t('schedule.entry.editNamed', { name: e.name })}>
                      {t('schedule.entry.editShort')}
                    </button>
                    {e.status === 'draft' || e.status === 'returned' ? (
                      <button type="button" className="button small primary" disabled={busy} onClick={() => onSubmit(e.id)} aria-label={t('schedule.entry.submitNamed', { name: e.name })}>
                        {t('schedule.entry.submit')}
                      </button>
                    ) : null}
                    <button type="button" className="button small danger" onClick={() => setConfirming(e.id)} aria-label={t('schedule.entry.deleteNamed', { name: e.name })}>
                      {t('schedule.remove')}
                    </button>
                  </div>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

/** Why the approver sent it back: the latest send-back's reason from the approval history. */
function ReturnReason({ entry }: { entry: ScheduleEntry }) {
  const { t } = useI18n()
  const history = useLoad(() => api.get(`/approvals/history?kind=${SCHEDULE_ENTRY_KIND}&subjectId=${encodeURIComponent(entry.id)}`, History), [entry.id, entry.updatedAt])
  const reason = history.data?.events.findLast((ev) => ev.action === 'send-back')?.reason
  return reason ? <p className="return-reason">{t('schedule.entry.returnedBecause', { reason })}</p> : null
}
