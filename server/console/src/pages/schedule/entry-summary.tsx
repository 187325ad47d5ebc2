// A schedule entry in words (when, where, how urgent, which playlist): shared by the entry list and the
// approval page, so the approver reads exactly what the editor saw.
import type { Playlist, ScheduleEntry } from '../../api/programme'
import type { Unit } from '../../api/schemas'
import { useI18n, type DictKey } from '../../i18n/i18n'

type T = (key: DictKey, values?: Record<string, string | number>) => string

export function describeWhen(e: ScheduleEntry, t: T): string {
  return [
    e.validFrom || e.validTo ? `${e.validFrom ?? '…'} → ${e.validTo ?? '…'}` : t('schedule.entry.always'),
    e.weekdays ? e.weekdays.map((d) => t(`schedule.dayShort.${d}` as DictKey)).join(', ') : t('schedule.entry.everyDay'),
    e.windows ? e.windows.map((w) => `${w.from}–${w.to}`).join(', ') : t('schedule.entry.allDay')
  ].join(' · ')
}

export function describeWhere(e: ScheduleEntry, units: readonly Unit[], t: T): string {
  const unitName = new Map(units.map((u) => [u.id, u.name]))
  const parts = [...e.targetUnitIds.map((id) => unitName.get(id) ?? id), ...e.targetTags.map((tag) => `#${tag}`)]
  if (e.targetBoardIds.length) parts.push(t('schedule.entry.boardsN', { n: e.targetBoardIds.length }))
  return parts.join(', ') || '—'
}

export function EntrySummary({ entry, playlist, units }: { entry: ScheduleEntry; playlist: Playlist | undefined; units: readonly Unit[] }) {
  const { t } = useI18n()
  return (
    <dl className="entry-summary">
      <dt>{t('schedule.entry.when')}</dt>
      <dd>{describeWhen(entry, t)}</dd>
      <dt>{t('schedule.entry.targets')}</dt>
      <dd>{describeWhere(entry, units, t)}</dd>
      <dt>{t('schedule.entry.priority')}</dt>
      <dd>{t(`schedule.priority.${entry.priority}`)}</dd>
      {entry.displayHours ? (
        <>
          <dt>{t('schedule.entry.displayHours')}</dt>
          <dd>
            {entry.displayHours.on}–{entry.displayHours.off}
          </dd>
        </>
      ) : null}
      <dt>{t('schedule.entry.playlist')}</dt>
      <dd>{playlist ? `${playlist.name} (${t('schedule.playlist.count', { n: playlist.items.length })})` : entry.playlistId}</dd>
    </dl>
  )
}
