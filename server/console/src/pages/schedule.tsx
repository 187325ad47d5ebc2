// Lịch phát: playlists, schedule entries (draft → submitted → approved / returned) and a board's week.
// Loads everything the three parts share once; each part reloads it after a change.
import { useState } from 'react'
import { z } from 'zod'
import { api } from '../api/client'
import { LibraryItems, Playlists, ScheduleEntries, type ScheduleEntry } from '../api/programme'
import { Boards, Units } from '../api/schemas'
import { FormError } from '../components/form'
import { LoadError, Loading, Notice } from '../components/status'
import { useAction } from '../components/use-action'
import { useLoad } from '../components/use-load'
import { useI18n } from '../i18n/i18n'
import { PageHeader } from '../layout/page-header'
import { EntryForm, submitEntry } from './schedule/entry-form'
import { EntryList } from './schedule/entry-list'
import { PlaylistPanel } from './schedule/playlist-panel'
import { WeekTimeline } from './schedule/week-timeline'

const DeletedSchema = z.object({ deleted: z.string() })

export function SchedulePage() {
  const { t } = useI18n()
  const data = useLoad(async () => {
    const [units, playlists, entries, library, boards] = await Promise.all([
      api.get('/units', Units),
      api.get('/playlists', Playlists),
      api.get('/schedule-entries', ScheduleEntries),
      api.get('/library/items', LibraryItems),
      api.get('/boards', Boards)
    ])
    return { units: units.units, playlists: playlists.playlists, entries: entries.entries, library: library.items, boards: boards.boards }
  })
  const [editing, setEditing] = useState<ScheduleEntry | 'new' | null>(null)
  const [outcome, setOutcome] = useState<'saved' | 'submitted' | 'deleted' | null>(null)
  const submit = useAction(async (id: string) => {
    await submitEntry(id)
    setOutcome('submitted')
    data.reload()
  })
  const remove = useAction(async (id: string) => {
    await api.del(`/schedule-entries/${encodeURIComponent(id)}`, DeletedSchema)
    setOutcome('deleted')
    data.reload()
  })
  const header = <PageHeader title={t('schedule.title')} />
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
  const { units, playlists, entries, library, boards } = data.data
  return (
    <>
      {header}
      <p className="muted">{t('schedule.intro')}</p>
      {outcome ? <Notice>{t(`schedule.outcome.${outcome}`)}</Notice> : null}
      <FormError error={submit.error ?? remove.error} />
      <section className="panel" aria-labelledby="playlists-h">
        <h2 id="playlists-h">{t('schedule.playlists')}</h2>
        <PlaylistPanel units={units} playlists={playlists} library={library} entries={entries} onChanged={data.reload} />
      </section>
      <section className="panel" aria-labelledby="entries-h">
        <div className="section-head">
          <h2 id="entries-h">{t('schedule.entries')}</h2>
          {editing === null ? (
            <button type="button" className="button primary" disabled={playlists.length === 0} onClick={() => (setEditing('new'), setOutcome(null))}>
              {t('schedule.entry.new')}
            </button>
          ) : null}
        </div>
        {playlists.length === 0 ? <p className="muted">{t('schedule.entry.needPlaylist')}</p> : null}
        {editing !== null ? (
          <EntryForm
            key={editing === 'new' ? 'new' : editing.id}
            units={units}
            playlists={playlists}
            boards={boards}
            editing={editing === 'new' ? null : editing}
            onDone={(message) => {
              setEditing(null)
              setOutcome(message)
              data.reload()
            }}
            onCancel={() => setEditing(null)}
          />
        ) : null}
        <EntryList entries={entries} playlists={playlists} units={units} busy={submit.busy || remove.busy} onEdit={(e) => (setEditing(e), setOutcome(null))} onSubmit={(id) => void submit.run(id)} onDelete={(id) => void remove.run(id)} />
      </section>
      <section className="panel" aria-labelledby="week-h">
        <h2 id="week-h">{t('schedule.week.title')}</h2>
        <WeekTimeline boards={boards} entries={entries} />
      </section>
    </>
  )
}
