// The approval history: decided schedule entries of my units (newest first, the last 20) with every step
// (submitted, approved, sent back with its reason, publish failed), from GET /approvals/history.
import { api } from '../api/client'
import { History, SCHEDULE_ENTRY_KIND, type HistoryEvent, type ScheduleEntry } from '../api/programme'
import { LoadError, Loading } from '../components/status'
import { useLoad } from '../components/use-load'
import { useI18n } from '../i18n/i18n'
import { useMe } from '../session'

const SHOWN = 20

export function ApprovalHistory({ entries }: { entries: readonly ScheduleEntry[] }) {
  const { t, lang } = useI18n()
  const me = useMe()
  const recent = [...entries].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt)).slice(0, SHOWN)
  const key = recent.map((e) => e.id + e.updatedAt).join(',')
  const histories = useLoad(
    () => Promise.all(recent.map(async (e) => ({ entry: e, events: (await api.get(`/approvals/history?kind=${SCHEDULE_ENTRY_KIND}&subjectId=${encodeURIComponent(e.id)}`, History)).events }))),
    [key]
  )
  if (recent.length === 0) return <p className="muted">{t('approval.historyNone')}</p>
  if (histories.error) return <LoadError error={histories.error} onRetry={histories.reload} />
  if (!histories.data) return <Loading />
  const when = new Intl.DateTimeFormat(lang === 'vi' ? 'vi-VN' : 'en-GB', { dateStyle: 'short', timeStyle: 'short', timeZone: 'Asia/Ho_Chi_Minh' })
  // A name as people know each other; "you" for oneself; a short id only for an API token or a removed account.
  const who = (ev: HistoryEvent) => (ev.actor === me.user.id ? t('approval.you') : (ev.actorName ?? ev.actor.slice(0, 8)))
  return (
    <ul className="history">
      {histories.data.map(({ entry, events }) => (
        <li key={entry.id} data-history={entry.name}>
          <strong>{entry.name}</strong> <span className={`badge status-${entry.status}`}>{t(`schedule.status.${entry.status}`)}</span>
          <ol>
            {events.map((ev, i) => (
              <li key={i}>
                <time dateTime={ev.at}>{when.format(new Date(ev.at))}</time> · {t(`approval.action.${ev.action}`)} · {who(ev)}
                {ev.selfApproved ? ` · ${t('approval.selfApproved')}` : ''}
                {ev.reason ? ` · ${t('approval.reasonWas', { reason: ev.reason })}` : ''}
              </li>
            ))}
          </ol>
        </li>
      ))}
    </ul>
  )
}
