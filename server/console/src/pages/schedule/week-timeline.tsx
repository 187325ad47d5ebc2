// "Tuần của bảng tin": what one board plays when over seven days, from the server's own scheduler
// (GET /boards/:deviceId/programme). On a laptop each day is a 24-hour bar with one lane per schedule
// entry; on a phone the same facts are a day list ("07:00–17:00 Tiêm chủng · ưu tiên").
import { useState } from 'react'
import { api } from '../../api/client'
import { Programme, type ScheduleEntry } from '../../api/programme'
import type { Board } from '../../api/schemas'
import { SelectField, TextField } from '../../components/form'
import { LoadError, Loading } from '../../components/status'
import { useLoad } from '../../components/use-load'
import { useI18n } from '../../i18n/i18n'
import { weekOf, type Span } from './week-model'
import { DAY_MS, isoWeekday, vnDate, vnTime } from './vn-time'

const HOURS = [0, 6, 12, 18, 24]

export function WeekTimeline({ boards, entries }: { boards: readonly Board[]; entries: readonly ScheduleEntry[] }) {
  const { t, lang } = useI18n()
  const [deviceId, setDeviceId] = useState(boards[0]?.deviceId ?? '')
  const [date, setDate] = useState(vnDate())
  const valid = /^\d{4}-\d{2}-\d{2}$/.test(date)
  const week = useLoad(
    () => (deviceId && valid ? api.get(`/boards/${encodeURIComponent(deviceId)}/programme?date=${date}&days=7`, Programme) : Promise.resolve(null)),
    [deviceId, date, valid]
  )
  const names = new Map(entries.map((e) => [e.id, e.name]))
  const label = (span: Span) => (span.entryId ? (names.get(span.entryId) ?? t('schedule.week.otherEntry')) : t('schedule.week.emergency'))
  const dayName = (d: string) =>
    new Intl.DateTimeFormat(lang === 'vi' ? 'vi-VN' : 'en-GB', { weekday: 'long', day: 'numeric', month: 'numeric', timeZone: 'UTC' }).format(new Date(`${d}T00:00:00Z`))
  const time = (ms: number, dayStart: number) => (ms - dayStart >= DAY_MS ? '24:00' : vnTime(ms))
  if (boards.length === 0) return <p className="muted">{t('schedule.week.noBoards')}</p>
  const days = week.data ? weekOf(week.data, date, 7) : []
  return (
    <div className="week">
      <div className="week-controls">
        <SelectField label={t('schedule.week.board')} value={deviceId} onChange={(e) => setDeviceId(e.target.value)}>
          {boards.map((b) => (
            <option key={b.deviceId} value={b.deviceId}>
              {b.displayName || b.deviceId}
            </option>
          ))}
        </SelectField>
        <TextField label={t('schedule.week.from')} type="date" value={date} onChange={(e) => setDate(e.target.value)} error={valid ? null : t('schedule.week.badDate')} />
      </div>
      {week.error ? <LoadError error={week.error} onRetry={week.reload} /> : null}
      {week.loading && !week.data ? <Loading /> : null}
      {week.data && week.data.publicationId === null ? <p className="muted">{t('schedule.week.nothingPublished')}</p> : null}
      {week.data ? (
        <ol className="week-days" data-testid="week">
          {days.map((day) => {
            const lanes = [...new Set(day.spans.map((s) => s.entryId))]
            return (
              <li key={day.date} className={isoWeekday(day.date) >= 6 ? 'week-day weekend' : 'week-day'} data-date={day.date}>
                <h4 className="week-day-name">{dayName(day.date)}</h4>
                <div className="week-bar" aria-hidden="true">
                  <div className="week-hours">
                    {HOURS.map((h) => (
                      <span key={h} style={{ left: `${(h / 24) * 100}%` }}>
                        {String(h).padStart(2, '0')}
                      </span>
                    ))}
                  </div>
                  {day.off.map((o) => (
                    <span key={o.start} className="week-off" style={{ left: `${((o.start - day.start) / DAY_MS) * 100}%`, width: `${((o.end - o.start) / DAY_MS) * 100}%` }} />
                  ))}
                  {lanes.map((lane) => (
                    <div key={lane ?? '-'} className="week-lane">
                      {day.spans
                        .filter((s) => s.entryId === lane)
                        .map((s) => (
                          <span
                            key={s.start}
                            className={`week-span ${s.priority}`}
                            title={`${time(s.start, day.start)}–${time(s.end, day.start)} ${label(s)}`}
                            style={{ left: `${((s.start - day.start) / DAY_MS) * 100}%`, width: `${Math.max(0.4, ((s.end - s.start) / DAY_MS) * 100)}%` }}
                          >
                            {label(s)}
                          </span>
                        ))}
                    </div>
                  ))}
                </div>
                {day.spans.length === 0 ? (
                  <p className="muted week-empty">{t('schedule.week.empty')}</p>
                ) : (
                  <ul className="week-list">
                    {day.spans.map((s) => (
                      <li key={`${s.entryId ?? '-'}-${s.start}`}>
                        <span className="week-time">
                          {time(s.start, day.start)}–{time(s.end, day.start)}
                        </span>{' '}
                        {label(s)}
                        {s.priority === 'uu-tien' ? <span className="badge priority">{t('schedule.priority.uu-tien')}</span> : null}
                      </li>
                    ))}
                  </ul>
                )}
              </li>
            )
          })}
        </ol>
      ) : null}
    </div>
  )
}
