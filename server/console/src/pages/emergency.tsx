// Khẩn cấp (approvers): compose an emergency from a template (bão, lũ, sạt lở, dịch bệnh, cháy rừng), pick the
// units and how long it stays, confirm in plain words how many boards it takes over, send; then the live
// board-by-board delivery list (pages/emergency-delivery.tsx). The active emergencies are listed on top.
import { useState, type FormEvent } from 'react'
import { api } from '../api/client'
import { Emergencies, Emergency, isActive, clock, Templates, type Template } from '../api/ops'
import { Boards, Units, type Board, type Unit } from '../api/schemas'
import { FormError, SelectField, SubmitButton, TextField } from '../components/form'
import { LoadError, Loading } from '../components/status'
import { useAction } from '../components/use-action'
import { useLoad } from '../components/use-load'
import { useI18n } from '../i18n/i18n'
import { PageHeader } from '../layout/page-header'
import { navigate, usePath } from '../router'
import { EmergencyDelivery } from './emergency-delivery'
import { unitRows } from './unit-tree'

const TTL_HOURS = [1, 3, 6, 12, 24, 48, 72] as const

/** Units under any of `chosen` (themselves included). */
function subtreeOf(units: readonly Unit[], chosen: ReadonlySet<string>): Set<string> {
  const inside = new Set(chosen)
  let grew = true
  while (grew) {
    grew = false
    for (const unit of units) {
      if (unit.parentId && inside.has(unit.parentId) && !inside.has(unit.id)) {
        inside.add(unit.id)
        grew = true
      }
    }
  }
  return inside
}

export function boardsUnder(units: readonly Unit[], boards: readonly Board[], chosen: ReadonlySet<string>): Board[] {
  const inside = subtreeOf(units, chosen)
  return boards.filter((board) => inside.has(board.unitId))
}

function fill(text: string, values: Record<string, string>): string {
  return text.replace(/\{([a-z_]+)\}/g, (whole, key: string) => values[key]?.trim() || whole)
}

export function EmergencyPage() {
  const { t, lang } = useI18n()
  const path = usePath()
  const watching = path.startsWith('/emergency/') ? decodeURIComponent(path.slice('/emergency/'.length)) : null
  const emergencies = useLoad(() => api.get('/emergencies', Emergencies), [watching])
  const active = emergencies.data?.emergencies.filter((e) => isActive(e)) ?? []
  return (
    <>
      <PageHeader title={t('emergency.title')} />
      <section className="panel" aria-labelledby="active-emergencies">
        <h2 id="active-emergencies">{t('emergency.active')}</h2>
        {emergencies.error ? <LoadError error={emergencies.error} onRetry={emergencies.reload} /> : null}
        {!emergencies.data && !emergencies.error ? <Loading /> : null}
        {emergencies.data && active.length === 0 ? <p className="muted">{t('emergency.noneActive')}</p> : null}
        {active.length > 0 ? (
          <ul className="plain-list" data-testid="active-emergencies">
            {active.map((e) => (
              <li key={e.id}>
                <strong>{e.title}</strong>{' '}
                <span className="detail">{t('emergency.until', { sent: clock(e.issuedAt, lang), until: clock(e.expiresAt, lang) })}</span>{' '}
                <button type="button" className="button small" onClick={() => navigate(`/emergency/${encodeURIComponent(e.id)}`)} aria-label={t('emergency.watchNamed', { title: e.title })}>
                  {t('emergency.watch')}
                </button>
              </li>
            ))}
          </ul>
        ) : null}
      </section>
      {watching ? (
        <EmergencyDelivery id={watching} onChanged={emergencies.reload} />
      ) : (
        <Compose onSent={(sent) => navigate(`/emergency/${encodeURIComponent(sent.id)}`)} />
      )}
    </>
  )
}

function Compose({ onSent }: { onSent: (sent: Emergency) => void }) {
  const { t, lang } = useI18n()
  const templates = useLoad(() => api.get('/emergencies/templates', Templates))
  const units = useLoad(() => api.get('/units', Units))
  const boards = useLoad(() => api.get('/boards', Boards))
  const [templateId, setTemplateId] = useState('')
  const [values, setValues] = useState<Record<string, string>>({})
  const [chosen, setChosen] = useState<Set<string>>(new Set())
  const [ttlHours, setTtlHours] = useState<number | null>(null)
  const [confirming, setConfirming] = useState(false)
  const [missing, setMissing] = useState<Record<string, string>>({})
  const send = useAction(async (template: Template, ttlSec: number) => {
    const sent = await api.post('/emergencies', Emergency, { templateId: template.id, fields: values, unitIds: [...chosen], ttlSec })
    onSent(sent)
  })
  const error = templates.error ?? units.error ?? boards.error
  if (error)
    return (
      <LoadError
        error={error}
        onRetry={() => {
          templates.reload()
          units.reload()
          boards.reload()
        }}
      />
    )
  if (!templates.data || !units.data || !boards.data) return <Loading />
  const template = templates.data.templates.find((x) => x.id === templateId) ?? null
  const ttlSec = (ttlHours ?? (template ? template.defaultTtlSec / 3600 : 24)) * 3600
  const targets = boardsUnder(units.data.units, boards.data.boards, chosen)
  // A field's complaint goes once the officer changes it.
  const forget = (key: string) => {
    if (!(key in missing)) return
    const rest = { ...missing }
    delete rest[key]
    setMissing(rest)
  }
  const fieldError = (key: string) => missing[key] ?? send.errorFor(`fields.${key}`)

  const review = (event: FormEvent) => {
    event.preventDefault()
    if (!template) return setMissing({ templateId: t('emergency.pickTemplate') })
    const gaps: Record<string, string> = {}
    for (const field of template.fields) if (!values[field.key]?.trim()) gaps[field.key] = t('emergency.required', { field: lang === 'vi' ? field.vi : field.en })
    if (chosen.size === 0) gaps.unitIds = t('emergency.pickUnits')
    setMissing(gaps)
    if (Object.keys(gaps).length === 0) setConfirming(true)
  }
  const confirm = async (event: FormEvent) => {
    event.preventDefault()
    if (!template) return
    if (!(await send.run(template, ttlSec))) setConfirming(false)
  }

  if (confirming && template)
    return (
      <section className="panel emergency-confirm" aria-labelledby="confirm-heading">
        <h2 id="confirm-heading">{t('emergency.confirmTitle')}</h2>
        <p className="confirm-lead" data-testid="emergency-confirm">
          {t('emergency.confirmText', { count: targets.length, hours: ttlSec / 3600 })}
        </p>
        <Preview title={fill(template.title, values)} body={fill(template.body, values)} />
        {targets.length === 0 ? <p className="field-error">{t('emergency.noBoards')}</p> : null}
        <form onSubmit={(e) => void confirm(e)} className="actions">
          <SubmitButton busy={send.busy} className="button danger">
            {t('emergency.sendNow', { count: targets.length })}
          </SubmitButton>
          <button type="button" className="button" onClick={() => setConfirming(false)} disabled={send.busy}>
            {t('emergency.back')}
          </button>
        </form>
      </section>
    )

  const rows = unitRows(units.data.units)
  return (
    <section className="panel" aria-labelledby="compose-heading">
      <h2 id="compose-heading">{t('emergency.compose')}</h2>
      <FormError error={send.formError(['templateId', 'unitIds', 'ttlSec', ...(template?.fields.map((f) => `fields.${f.key}`) ?? [])])} />
      <form onSubmit={review} noValidate>
        <SelectField label={t('emergency.template')} value={templateId} error={missing.templateId ?? send.errorFor('templateId')} onChange={(e) => {
            setTemplateId(e.target.value)
            forget('templateId')
          }}>
          <option value="">{t('emergency.templateChoose')}</option>
          {templates.data.templates.map((x) => (
            <option key={x.id} value={x.id}>
              {lang === 'vi' ? x.vi : x.en}
            </option>
          ))}
        </SelectField>
        {template?.fields.map((field) => (
          <TextField
            key={`${template.id}-${field.key}`}
            label={lang === 'vi' ? field.vi : field.en}
            hint={t('emergency.example', { example: field.example })}
            maxLength={field.maxLength}
            value={values[field.key] ?? ''}
            error={fieldError(field.key)}
            data-field={field.key}
            onChange={(e) => {
              setValues({ ...values, [field.key]: e.target.value })
              forget(field.key)
            }}
          />
        ))}
        <fieldset className="field unit-picker" aria-describedby={missing.unitIds ? 'units-error' : undefined}>
          <legend>{t('emergency.units')}</legend>
          {rows.map(({ unit, depth }) => (
            <label key={unit.id} className="check" style={{ paddingLeft: `${depth * 1.25}rem` }}>
              <input
                type="checkbox"
                checked={chosen.has(unit.id)}
                onChange={(e) => {
                  const next = new Set(chosen)
                  if (e.target.checked) next.add(unit.id)
                  else next.delete(unit.id)
                  setChosen(next)
                  forget('unitIds')
                }}
              />{' '}
              {unit.name} <span className="detail">({t(`level.${unit.level}`)})</span>
            </label>
          ))}
          {missing.unitIds || send.errorFor('unitIds') ? (
            <p className="field-error" id="units-error">
              {missing.unitIds ?? send.errorFor('unitIds')?.text(lang)}
            </p>
          ) : null}
          <p className="field-hint">{t('emergency.boardsCount', { count: targets.length })}</p>
        </fieldset>
        <SelectField label={t('emergency.ttl')} value={String(ttlSec / 3600)} onChange={(e) => setTtlHours(Number(e.target.value))} error={send.errorFor('ttlSec')}>
          {[...new Set([...TTL_HOURS, ttlSec / 3600])].sort((a, b) => a - b).map((h) => (
            <option key={h} value={h}>
              {t('emergency.hours', { hours: h })}
            </option>
          ))}
        </SelectField>
        {template ? <Preview title={fill(template.title, values)} body={fill(template.body, values)} /> : null}
        <div className="actions">
          <button type="submit" className="button danger">
            {t('emergency.review')}
          </button>
        </div>
      </form>
    </section>
  )
}

function Preview({ title, body }: { title: string; body: string }) {
  const { t } = useI18n()
  return (
    <figure className="emergency-preview" aria-label={t('emergency.preview')}>
      <figcaption className="detail">{t('emergency.preview')}</figcaption>
      <p className="emergency-preview-title">{title}</p>
      <p>{body}</p>
    </figure>
  )
}
