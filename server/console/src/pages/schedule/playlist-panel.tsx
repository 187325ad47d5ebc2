// Danh sách phát: create a playlist, add library items with a duration, reorder, remove; rename or delete it
// (playlist-actions.tsx). Every change is saved at once (PUT), so nothing is lost by leaving the page; an
// unchanged list is not sent. A change that would put submitted or approved entries back to draft is asked
// about first (how many), and the officer is told which went back.
import { useState, type FormEvent } from 'react'
import { api } from '../../api/client'
import { Playlist, SavedPlaylist, type LibraryItem, type PlaylistItem, type ScheduleEntry } from '../../api/programme'
import type { Unit } from '../../api/schemas'
import { FormError, SelectField, SubmitButton, TextField } from '../../components/form'
import { Notice } from '../../components/status'
import { useAction } from '../../components/use-action'
import { useI18n } from '../../i18n/i18n'
import { useMe } from '../../session'
import { UnitOptions, unitRows } from '../unit-tree'
import { PlaylistHeading } from './playlist-actions'

interface Props {
  units: readonly Unit[]
  playlists: readonly Playlist[]
  library: readonly LibraryItem[]
  /** To count the entries a change would send back to draft. */
  entries: readonly ScheduleEntry[]
  onChanged: () => void
}

/** Default seconds on screen for an item the officer adds (a video's own length when known). */
export function defaultDuration(item: LibraryItem | undefined): number {
  if (item?.kind === 'video' && item.file?.durationSec) return Math.ceil(item.file.durationSec)
  return item?.kind === 'text' ? 30 : 10
}

export function PlaylistPanel({ units, playlists, library, entries, onChanged }: Props) {
  const { t } = useI18n()
  const [selected, setSelected] = useState<string>(playlists[0]?.id ?? '')
  const [name, setName] = useState('')
  const me = useMe()
  const [unitId, setUnitId] = useState(me.unit.id)
  const [deleted, setDeleted] = useState<string | null>(null)
  const create = useAction(async (e: FormEvent) => {
    e.preventDefault()
    const made = await api.post('/playlists', Playlist, { unitId, name, items: [] })
    setName('')
    setSelected(made.id)
    setDeleted(null)
    onChanged()
  })
  const current = playlists.find((p) => p.id === selected) ?? null
  return (
    <div className="playlists">
      <form onSubmit={(e) => void create.run(e)} aria-label={t('schedule.playlist.create')} className="inline-form">
        <TextField label={t('schedule.playlist.name')} value={name} onChange={(e) => setName(e.target.value)} error={create.errorFor('name')} />
        <SelectField label={t('schedule.unit')} value={unitId} onChange={(e) => setUnitId(e.target.value)} error={create.errorFor('unitId')}>
          <UnitOptions rows={unitRows(units)} />
        </SelectField>
        <FormError error={create.formError(['name', 'unitId'])} />
        <SubmitButton busy={create.busy}>{t('schedule.playlist.create')}</SubmitButton>
      </form>
      {playlists.length === 0 ? (
        <p className="muted">{t('schedule.playlist.none')}</p>
      ) : (
        <SelectField label={t('schedule.playlist.pick')} value={current?.id ?? ''} onChange={(e) => setSelected(e.target.value)}>
          {playlists.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name} ({t('schedule.playlist.count', { n: p.items.length })})
            </option>
          ))}
        </SelectField>
      )}
      {deleted ? <Notice>{t('schedule.playlist.deleted', { name: deleted })}</Notice> : null}
      {current ? (
        <PlaylistEditor
          key={current.id}
          playlist={current}
          library={library}
          pending={entries.filter((e) => e.playlistId === current.id && (e.status === 'submitted' || e.status === 'approved')).length}
          onChanged={onChanged}
          onDeleted={(gone) => {
            setDeleted(gone)
            setSelected(playlists.find((p) => p.id !== current.id)?.id ?? '')
            onChanged()
          }}
        />
      ) : null}
    </div>
  )
}

/** Whether two lists play the same (content, order, seconds): an unchanged list is not sent. */
function sameItems(a: readonly PlaylistItem[], b: readonly PlaylistItem[]): boolean {
  return a.length === b.length && a.every((item, i) => item.contentId === b[i]?.contentId && item.durationSec === b[i]?.durationSec)
}

interface EditorProps {
  playlist: Playlist
  library: readonly LibraryItem[]
  /** Submitted or approved entries playing this playlist: a change sends them back to draft. */
  pending: number
  onChanged: () => void
  onDeleted: (name: string) => void
}

function PlaylistEditor({ playlist, library, pending, onChanged, onDeleted }: EditorProps) {
  const { t, lang } = useI18n()
  const [items, setItems] = useState<PlaylistItem[]>(playlist.items)
  // What the server holds: the list a change is compared with, and what "Huỷ" goes back to.
  const [saved, setSaved] = useState<PlaylistItem[]>(playlist.items)
  const [confirming, setConfirming] = useState<PlaylistItem[] | null>(null)
  const [adding, setAdding] = useState(library[0]?.id ?? '')
  const [backToDraft, setBackToDraft] = useState(0)
  const byId = new Map(library.map((i) => [i.id, i]))
  const save = useAction(async (next: PlaylistItem[]) => {
    setItems(next)
    setConfirming(null)
    const reply = await api.put(`/playlists/${encodeURIComponent(playlist.id)}`, SavedPlaylist, { unitId: playlist.unitId, name: playlist.name, items: next })
    setSaved(reply.playlist.items)
    setBackToDraft(reply.entriesBackToDraft.length)
    onChanged()
  })
  /** Saves a change; nothing when nothing changed; asks first when entries would go back to draft. */
  const change = (next: PlaylistItem[]) => {
    setItems(next)
    if (sameItems(next, saved)) setConfirming(null)
    else if (pending > 0) setConfirming(next)
    else void save.run(next)
  }
  const keepOld = () => {
    setItems(saved)
    setConfirming(null)
  }
  const move = (from: number, to: number) => {
    const next = [...items]
    const [moved] = next.splice(from, 1)
    next.splice(to, 0, moved!)
    change(next)
  }
  const itemName = (id: string) => {
    const item = byId.get(id)
    return item ? `${item.name} · ${t(`schedule.kind.${item.kind}` as 'schedule.kind.text')}` : id
  }
  const durationError = (i: number) => (save.error?.formField === `items.${i}.durationSec` ? save.error : null)
  const contentError = (i: number) => (save.error?.formField === `items.${i}.contentId` ? save.error : null)
  return (
    <section className="playlist-editor" aria-label={playlist.name}>
      <PlaylistHeading
        playlist={playlist}
        onRenamed={onChanged}
        onDeleted={onDeleted}
      />
      {items.length === 0 ? <p className="muted">{t('schedule.playlist.empty')}</p> : null}
      <ol className="playlist-items">
        {items.map((item, i) => (
          <li key={`${item.contentId}-${i}`} data-content={item.contentId}>
            <span className="playlist-item-name">
              {i + 1}. {itemName(item.contentId)}
            </span>
            {contentError(i) ? <span className="field-error">{contentError(i)!.text(lang)}</span> : null}
            <div className="playlist-item-actions">
              <TextField
                label={t('schedule.playlist.seconds')}
                type="number"
                min={1}
                max={86400}
                value={item.durationSec ?? ''}
                error={durationError(i)}
                onChange={(e) => setItems(items.map((x, j) => (j === i ? { ...x, durationSec: e.target.value === '' ? null : Number(e.target.value) } : x)))}
                onBlur={() => change(items)}
              />
              <button type="button" className="button small" disabled={i === 0 || save.busy} onClick={() => move(i, i - 1)} aria-label={t('schedule.playlist.up', { n: i + 1 })}>
                ↑
              </button>
              <button type="button" className="button small" disabled={i === items.length - 1 || save.busy} onClick={() => move(i, i + 1)} aria-label={t('schedule.playlist.down', { n: i + 1 })}>
                ↓
              </button>
              <button type="button" className="button small danger" disabled={save.busy} onClick={() => change(items.filter((_, j) => j !== i))} aria-label={t('schedule.playlist.remove', { n: i + 1 })}>
                {t('schedule.remove')}
              </button>
            </div>
          </li>
        ))}
      </ol>
      {library.length === 0 ? (
        <p className="muted">{t('schedule.playlist.noLibrary')}</p>
      ) : (
        <div className="inline-form">
          <SelectField label={t('schedule.playlist.addWhat')} value={adding} onChange={(e) => setAdding(e.target.value)}>
            {library.map((item) => (
              <option key={item.id} value={item.id}>
                {itemName(item.id)}
              </option>
            ))}
          </SelectField>
          <button type="button" className="button" disabled={save.busy || !adding} onClick={() => change([...items, { contentId: adding, durationSec: defaultDuration(byId.get(adding)) }])}>
            {t('schedule.playlist.add')}
          </button>
        </div>
      )}
      {confirming ? (
        <div className="row-actions confirm" role="group" aria-label={t('schedule.playlist.saveAnyway')}>
          <span>{t('schedule.playlist.confirmBackToDraft', { n: pending })}</span>
          <button type="button" className="button small primary" disabled={save.busy} onClick={() => void save.run(confirming)}>
            {t('schedule.playlist.saveAnyway')}
          </button>
          <button type="button" className="button small" onClick={keepOld}>
            {t('app.cancel')}
          </button>
        </div>
      ) : null}
      <FormError error={save.error && !save.error.formField?.startsWith('items.') ? save.error : null} />
      {save.busy ? <p className="muted" role="status">{t('app.busy')}</p> : null}
      {backToDraft > 0 ? <Notice tone="warning">{t('schedule.playlist.backToDraft', { n: backToDraft })}</Notice> : null}
    </section>
  )
}
