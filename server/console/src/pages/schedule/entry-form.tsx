// A schedule entry's form: playlist, validity dates, weekdays, daily windows, priority, display hours and
// targets (units from the unit tree, tags, boards). "Lưu nháp" saves a draft; "Lưu và gửi duyệt" saves,
// marks it submitted and files it for approval in one press. Errors appear under the field they name.
import { useState, type FormEvent } from 'react'
import { api, type ApiError } from '../../api/client'
import { ScheduleEntry, Submission, SCHEDULE_ENTRY_KIND, type Playlist } from '../../api/programme'
import type { Board, Unit } from '../../api/schemas'
import { FormError, SelectField, TextField } from '../../components/form'
import { useAction } from '../../components/use-action'
import { useI18n } from '../../i18n/i18n'
import { useMe } from '../../session'
import { UnitOptions, unitRows } from '../unit-tree'

interface Props {
  units: readonly Unit[]
  playlists: readonly Playlist[]
  boards: readonly Board[]
  /** The entry being edited, or null for a new one. */
  editing: ScheduleEntry | null
  onDone: (message: 'saved' | 'submitted') => void
  onCancel: () => void
}

const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const
const FIELDS = ['name', 'unitId', 'playlistId', 'validFrom', 'validTo', 'weekdays', 'windows', 'priority', 'displayHours', 'targetUnitIds', 'targetTags', 'targetBoardIds']

type EntryBody = Pick<ScheduleEntry, 'unitId' | 'playlistId' | 'name' | 'validFrom' | 'validTo' | 'weekdays' | 'windows' | 'priority' | 'displayHours' | 'targetUnitIds' | 'targetTags' | 'targetBoardIds'>

/** Whether a save would store what is stored already (lists compared as sets, as the server does). */
function sameEntry(body: EntryBody, entry: ScheduleEntry): boolean {
  const set = (values: readonly unknown[] | null) => JSON.stringify(values === null ? null : [...new Set(values.map((v) => JSON.stringify(v)))].sort())
  return (
    body.unitId === entry.unitId &&
    body.playlistId === entry.playlistId &&
    body.name.normalize('NFC').trim() === entry.name &&
    body.validFrom === entry.validFrom &&
    body.validTo === entry.validTo &&
    body.priority === entry.priority &&
    set(body.weekdays) === set(entry.weekdays) &&
    JSON.stringify(body.windows) === JSON.stringify(entry.windows) &&
    JSON.stringify(body.displayHours) === JSON.stringify(entry.displayHours) &&
    set(body.targetUnitIds) === set(entry.targetUnitIds) &&
    set(body.targetTags) === set(entry.targetTags) &&
    set(body.targetBoardIds) === set(entry.targetBoardIds)
  )
}

export async function submitEntry(id: string): Promise<void> {
  await api.post(`/schedule-entries/${encodeURIComponent(id)}/submit`, ScheduleEntry)
  await api.post('/approvals', Submission, { kind: SCHEDULE_ENTRY_KIND, subjectId: id })
}

export function EntryForm({ units, playlists, boards, editing, onDone, onCancel }: Props) {
  const { t, lang } = useI18n()
  const [name, setName] = useState(editing?.name ?? '')
  const me = useMe()
  const [unitId, setUnitId] = useState(editing?.unitId ?? me.unit.id)
  const [playlistId, setPlaylistId] = useState(editing?.playlistId ?? playlists[0]?.id ?? '')
  const [validFrom, setValidFrom] = useState(editing?.validFrom ?? '')
  const [validTo, setValidTo] = useState(editing?.validTo ?? '')
  const [weekdays, setWeekdays] = useState<number[]>(editing?.weekdays ?? [])
  const [windows, setWindows] = useState(editing?.windows ?? [])
  const [priority, setPriority] = useState(editing?.priority ?? 'thuong')
  const [hoursOn, setHoursOn] = useState(editing?.displayHours !== null && editing?.displayHours !== undefined)
  const [hours, setHours] = useState(editing?.displayHours ?? { on: '06:00', off: '22:00' })
  const [targetUnitIds, setTargetUnitIds] = useState<string[]>(editing?.targetUnitIds ?? [])
  const [tags, setTags] = useState((editing?.targetTags ?? []).join(', '))
  const [targetBoardIds, setTargetBoardIds] = useState<string[]>(editing?.targetBoardIds ?? [])
  const [andSubmit, setAndSubmit] = useState(false)
  const [savedId, setSavedId] = useState<string | null>(editing?.id ?? null)
  // The stored entry's status: a real change to a submitted or approved one sends it back to draft (asked first).
  const [stored, setStored] = useState<ScheduleEntry | null>(editing)
  const [confirming, setConfirming] = useState<{ body: EntryBody; submitting: boolean } | null>(null)
  const save = useAction(async (body: EntryBody, submitting: boolean) => {
    setConfirming(null)
    // Once stored (e.g. saved, then the submit refused), later presses update that entry, never add another.
    const saved = savedId ? await api.put(`/schedule-entries/${encodeURIComponent(savedId)}`, ScheduleEntry, body) : await api.post('/schedule-entries', ScheduleEntry, body)
    setSavedId(saved.id)
    setStored(saved)
    if (submitting) await submitEntry(saved.id)
    onDone(submitting ? 'submitted' : 'saved')
  })
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault()
    // Which of the two submit buttons was pressed (Enter in a field saves a draft).
    const submitting = (e.nativeEvent as SubmitEvent).submitter?.dataset.submit === 'yes'
    setAndSubmit(submitting)
    const body: EntryBody = {
      unitId,
      playlistId,
      name,
      validFrom: validFrom || null,
      validTo: validTo || null,
      weekdays: weekdays.length ? [...weekdays].sort() : null,
      windows: windows.length ? windows : null,
      priority,
      displayHours: hoursOn ? hours : null,
      targetUnitIds,
      targetTags: tags
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
      targetBoardIds
    }
    if (stored && (stored.status === 'approved' || stored.status === 'submitted') && !sameEntry(body, stored)) setConfirming({ body, submitting })
    else void save.run(body, submitting)
  }
  const under = (prefix: string): ApiError | string | null => {
    const error = save.error?.formField?.startsWith(prefix) ? save.error : null
    // A time the server's schema refuses gets words an officer can act on, not the pattern it failed.
    if (error && error.status === 400 && /regex|pattern|định dạng/i.test(error.vi + error.en) && /^(windows\.\d+|displayHours)\.(from|to|on|off)$/.test(error.formField ?? '')) return t('schedule.entry.badTime')
    return error
  }
  const toggle = (list: string[], id: string, on: boolean) => (on ? [...list, id] : list.filter((x) => x !== id))
  const errorLine = (error: ApiError | string | null) => (error ? <p className="field-error">{typeof error === 'string' ? error : error.text(lang)}</p> : null)
  return (
    <form className="entry-form" onSubmit={onSubmit} aria-label={editing ? t('schedule.entry.edit') : t('schedule.entry.new')}>
      <FormError error={save.formError(FIELDS)} />
      <TextField label={t('schedule.entry.name')} value={name} onChange={(e) => setName(e.target.value)} error={save.errorFor('name')} />
      <SelectField label={t('schedule.entry.playlist')} value={playlistId} onChange={(e) => setPlaylistId(e.target.value)} error={under('playlistId') ?? under('playlist')}>
        {playlists.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name}
          </option>
        ))}
      </SelectField>
      <SelectField label={t('schedule.entry.owner')} hint={t('schedule.entry.ownerHint')} value={unitId} onChange={(e) => setUnitId(e.target.value)} error={save.errorFor('unitId')}>
        <UnitOptions rows={unitRows(units)} />
      </SelectField>
      <div className="field-pair">
        <TextField label={t('schedule.entry.validFrom')} type="date" value={validFrom} onChange={(e) => setValidFrom(e.target.value)} error={save.errorFor('validFrom')} />
        <TextField label={t('schedule.entry.validTo')} type="date" value={validTo} onChange={(e) => setValidTo(e.target.value)} error={save.errorFor('validTo')} />
      </div>
      <fieldset className="choices">
        <legend>{t('schedule.entry.weekdays')}</legend>
        <p className="field-hint">{t('schedule.entry.weekdaysHint')}</p>
        <div className="choice-row">
          {WEEKDAYS.map((d) => (
            <label key={d} className="choice">
              <input type="checkbox" checked={weekdays.includes(d)} onChange={(e) => setWeekdays(e.target.checked ? [...weekdays, d] : weekdays.filter((x) => x !== d))} />
              {t(`schedule.day.${d}` as 'schedule.day.1')}
            </label>
          ))}
          <button type="button" className="button small ghost" onClick={() => setWeekdays([1, 2, 3, 4, 5])}>
            {t('schedule.entry.workdays')}
          </button>
        </div>
        {errorLine(under('weekdays'))}
      </fieldset>
      <fieldset className="choices">
        <legend>{t('schedule.entry.windows')}</legend>
        <p className="field-hint">{t('schedule.entry.windowsHint')}</p>
        {windows.map((w, i) => (
          <div key={i} className="field-pair window-row">
            <TextField label={t('schedule.entry.windowFrom', { n: i + 1 })} type="time" value={w.from} onChange={(e) => setWindows(windows.map((x, j) => (j === i ? { ...x, from: e.target.value } : x)))} error={under(`windows.${i}.from`)} />
            <TextField label={t('schedule.entry.windowTo', { n: i + 1 })} type="text" inputMode="numeric" placeholder="17:00" value={w.to} onChange={(e) => setWindows(windows.map((x, j) => (j === i ? { ...x, to: e.target.value } : x)))} error={under(`windows.${i}.to`)} />
            <button type="button" className="button small danger" onClick={() => setWindows(windows.filter((_, j) => j !== i))} aria-label={t('schedule.entry.windowRemove', { n: i + 1 })}>
              {t('schedule.remove')}
            </button>
          </div>
        ))}
        {errorLine(save.error?.formField === 'windows' ? save.error : null)}
        <button type="button" className="button small" onClick={() => setWindows([...windows, { from: '07:00', to: '17:00' }])}>
          {t('schedule.entry.windowAdd')}
        </button>
      </fieldset>
      <fieldset className="choices">
        <legend>{t('schedule.entry.priority')}</legend>
        <div className="choice-row">
          {(['thuong', 'uu-tien'] as const).map((p) => (
            <label key={p} className="choice">
              <input type="radio" name="priority" value={p} checked={priority === p} onChange={() => setPriority(p)} />
              {t(`schedule.priority.${p}`)}
            </label>
          ))}
        </div>
        <p className="field-hint">{t('schedule.entry.priorityHint')}</p>
      </fieldset>
      <fieldset className="choices">
        <legend>{t('schedule.entry.displayHours')}</legend>
        <label className="choice">
          <input type="checkbox" checked={hoursOn} onChange={(e) => setHoursOn(e.target.checked)} />
          {t('schedule.entry.displayHoursOn')}
        </label>
        {hoursOn ? (
          <div className="field-pair">
            <TextField label={t('schedule.entry.screenOn')} type="time" value={hours.on} onChange={(e) => setHours({ ...hours, on: e.target.value })} error={under('displayHours.on')} />
            <TextField label={t('schedule.entry.screenOff')} type="text" inputMode="numeric" placeholder="22:00" value={hours.off} onChange={(e) => setHours({ ...hours, off: e.target.value })} error={under('displayHours.off')} />
          </div>
        ) : null}
      </fieldset>
      <fieldset className="choices targets">
        <legend>{t('schedule.entry.targets')}</legend>
        <p className="field-hint">{t('schedule.entry.targetsHint')}</p>
        <p className="choices-title">{t('schedule.entry.targetUnits')}</p>
        <ul className="unit-picker">
          {unitRows(units).map(({ unit, depth }) => (
            <li key={unit.id} style={{ paddingLeft: `${depth * 1.25}rem` }}>
              <label className="choice">
                <input type="checkbox" checked={targetUnitIds.includes(unit.id)} onChange={(e) => setTargetUnitIds(toggle(targetUnitIds, unit.id, e.target.checked))} />
                {unit.name} ({t(`level.${unit.level}`)})
              </label>
            </li>
          ))}
        </ul>
        {errorLine(under('targetUnitIds'))}
        <TextField label={t('schedule.entry.targetTags')} hint={t('schedule.entry.targetTagsHint')} value={tags} onChange={(e) => setTags(e.target.value)} error={under('targetTags')} />
        {boards.length ? (
          <>
            <p className="choices-title">{t('schedule.entry.targetBoards')}</p>
            <ul className="unit-picker">
              {boards.map((b) => (
                <li key={b.deviceId}>
                  <label className="choice">
                    <input type="checkbox" checked={targetBoardIds.includes(b.deviceId)} onChange={(e) => setTargetBoardIds(toggle(targetBoardIds, b.deviceId, e.target.checked))} />
                    {b.displayName || b.deviceId}
                  </label>
                </li>
              ))}
            </ul>
          </>
        ) : null}
        {errorLine(under('targetBoardIds'))}
      </fieldset>
      {confirming && stored ? (
        <div className="row-actions confirm" role="group" aria-label={t('schedule.playlist.saveAnyway')}>
          <span>{t(stored.status === 'approved' ? 'schedule.entry.confirmBackToDraftApproved' : 'schedule.entry.confirmBackToDraftSubmitted', { name: stored.name })}</span>
          <button type="button" className="button small primary" disabled={save.busy} onClick={() => void save.run(confirming.body, confirming.submitting)}>
            {t('schedule.playlist.saveAnyway')}
          </button>
          <button type="button" className="button small" onClick={() => setConfirming(null)}>
            {t('app.cancel')}
          </button>
        </div>
      ) : null}
      <div className="form-actions">
        <button type="submit" className="button" disabled={save.busy} aria-busy={save.busy && !andSubmit}>
          {save.busy && !andSubmit ? t('app.busy') : t('schedule.entry.saveDraft')}
        </button>
        <button type="submit" className="button primary" disabled={save.busy} aria-busy={save.busy && andSubmit} data-submit="yes">
          {save.busy && andSubmit ? t('app.busy') : t('schedule.entry.saveSubmit')}
        </button>
        <button type="button" className="button ghost" onClick={onCancel}>
          {t('app.cancel')}
        </button>
      </div>
    </form>
  )
}
