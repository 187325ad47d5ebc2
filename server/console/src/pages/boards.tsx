// Bảng tin: the boards of my units as a list and as a tree by unit (no map), and, for approvers and
// administrators, the pairing codes boards show, approved into one of my units. A board's pairing QR code
// leads here (/console/boards?pair=CODE): the approval form opens with that code filled in.
import { useState, type FormEvent } from 'react'
import { api } from '../api/client'
import { BoardStatuses, clock, Pairings, Unplaced, type BoardStatus } from '../api/ops'
import { Board, Boards, Units, type Unit } from '../api/schemas'
import { FormError, SelectField, SubmitButton, TextField } from '../components/form'
import { LoadError, Loading, Notice } from '../components/status'
import { useAction } from '../components/use-action'
import { useLoad } from '../components/use-load'
import { useI18n } from '../i18n/i18n'
import { PageHeader } from '../layout/page-header'
import { Link, usePath } from '../router'
import { useMe } from '../session'
import { BoardDetailPanel, OnlineBadge, useProblemText } from './board-detail'
import { UnitOptions, unitRows } from './unit-tree'

/** The code in ?pair=… (from the board's QR code), upper-cased; '' when none. */
function codeFromAddress(): string {
  return (new URLSearchParams(location.search).get('pair') ?? '').trim().toUpperCase().slice(0, 12)
}

export function BoardsPage() {
  const { t } = useI18n()
  const me = useMe()
  const units = useLoad(() => api.get('/units', Units))
  const boards = useLoad(() => api.get('/boards', Boards))
  const statuses = useLoad(() => api.get('/board-status', BoardStatuses))
  const path = usePath()
  const opened = path.startsWith('/boards/') ? decodeURIComponent(path.slice('/boards/'.length)) : null
  const statusOf = new Map((statuses.data?.boards ?? []).map((s) => [s.deviceId, s]))
  const [view, setView] = useState<'list' | 'tree'>('list')
  const mayPair = me.user.role === 'duyet' || me.user.role === 'quan-tri'
  const error = units.error ?? boards.error
  return (
    <>
      <PageHeader title={t('boards.title')} />
      {opened ? <BoardDetailPanel deviceId={opened} board={boards.data?.boards.find((b) => b.deviceId === opened)} /> : null}
      {mayPair ? <Pairing units={units.data?.units ?? null} onPaired={boards.reload} /> : null}
      <section className="panel" aria-labelledby="boards-heading">
        <h2 id="boards-heading">{t('boards.mine')}</h2>
        <div className="actions" role="group" aria-label={t('boards.view')}>
          <button type="button" className={view === 'list' ? 'button primary small' : 'button small'} aria-pressed={view === 'list'} onClick={() => setView('list')}>
            {t('boards.asList')}
          </button>
          <button type="button" className={view === 'tree' ? 'button primary small' : 'button small'} aria-pressed={view === 'tree'} onClick={() => setView('tree')}>
            {t('boards.asTree')}
          </button>
        </div>
        {error ? (
          <LoadError
            error={error}
            onRetry={() => {
              units.reload()
              boards.reload()
            }}
          />
        ) : !units.data || !boards.data ? (
          <Loading />
        ) : boards.data.boards.length === 0 ? (
          <p className="muted">{t('overview.boards.none')}</p>
        ) : view === 'list' ? (
          <BoardList boards={boards.data.boards} units={units.data.units} statusOf={statusOf} />
        ) : (
          <BoardTree boards={boards.data.boards} units={units.data.units} />
        )}
      </section>
    </>
  )
}

function BoardList({ boards, units, statusOf }: { boards: readonly Board[]; units: readonly Unit[]; statusOf: Map<string, BoardStatus> }) {
  const { t, lang } = useI18n()
  const problemText = useProblemText()
  const unitName = (id: string) => units.find((u) => u.id === id)?.name ?? id
  const sorted = [...boards].sort((a, b) => a.displayName.localeCompare(b.displayName, 'vi'))
  return (
    <div className="table-wrap">
      <table className="table" data-testid="board-list">
        <thead>
          <tr>
            <th scope="col">{t('boards.name')}</th>
            <th scope="col">{t('boards.unit')}</th>
            <th scope="col">{t('boards.status')}</th>
            <th scope="col">{t('boards.lastSeen')}</th>
            <th scope="col">{t('boards.problems')}</th>
            <th scope="col">{t('boards.tags')}</th>
          </tr>
        </thead>
        <tbody>
          {sorted.map((b) => (
            <tr key={b.deviceId} data-device={b.deviceId}>
              <th scope="row">
                <Link to={`/boards/${encodeURIComponent(b.deviceId)}`}>{b.displayName}</Link>
              </th>
              <td data-label={t('boards.unit')}>{unitName(b.unitId)}</td>
              <td data-label={t('boards.status')}>
                <OnlineBadge status={statusOf.get(b.deviceId)} />
              </td>
              <td data-label={t('boards.lastSeen')}>{clock(statusOf.get(b.deviceId)?.lastSeen ?? null, lang)}</td>
              <td data-label={t('boards.problems')}>{statusOf.get(b.deviceId)?.problems.map(problemText).join('; ') || '—'}</td>
              <td data-label={t('boards.tags')}>{b.tags.length ? b.tags.map((tag) => <span key={tag} className="badge badge-info">{tag}</span>) : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

function BoardTree({ boards, units }: { boards: readonly Board[]; units: readonly Unit[] }) {
  const { t } = useI18n()
  const rows = unitRows(units)
  return (
    <ul className="tree board-tree" data-testid="board-tree">
      {rows.map(({ unit, depth }) => {
        const here = boards.filter((b) => b.unitId === unit.id)
        return (
          <li key={unit.id} style={{ marginLeft: `${depth * 1.25}rem` }} data-unit={unit.name}>
            <span className={`level level-${unit.level}`}>{t(`level.${unit.level}`)}</span> {unit.name}{' '}
            <span className="detail">({t('boards.countIn', { count: here.length })})</span>
            {here.length ? (
              <ul>
                {here.map((b) => (
                  <li key={b.deviceId}>
                    <Link to={`/boards/${encodeURIComponent(b.deviceId)}`}>{b.displayName}</Link>
                  </li>
                ))}
              </ul>
            ) : null}
          </li>
        )
      })}
    </ul>
  )
}

/** Codes boards show now, and the form that approves one into a unit (prefilled from ?pair=CODE). */
function Pairing({ units, onPaired }: { units: readonly Unit[] | null; onPaired: () => void }) {
  const { t, lang } = useI18n()
  const me = useMe()
  const pairings = useLoad(() => api.get('/pairings', Pairings))
  const unplaced = useLoad(() => api.get('/unplaced-boards', Unplaced))
  const [code, setCode] = useState(codeFromAddress)
  const [open, setOpen] = useState(code !== '')
  const [unitId, setUnitId] = useState(me.unit.id)
  const [displayName, setDisplayName] = useState('')
  const [tags, setTags] = useState('')
  const [done, setDone] = useState<string | null>(null)
  const approve = useAction(async () => {
    const board = await api.post('/pairings/approve', Board, {
      code: code.trim().toUpperCase(),
      unitId,
      displayName: displayName.trim(),
      tags: tags
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean)
    })
    setDone(t('boards.paired', { name: board.displayName, unit: units?.find((u) => u.id === board.unitId)?.name ?? board.unitId }))
    setOpen(false)
    setCode('')
    setDisplayName('')
    setTags('')
    if (location.search) history.replaceState(null, '', location.pathname)
    pairings.reload()
    unplaced.reload()
    onPaired()
  })
  const submit = (event: FormEvent) => {
    event.preventDefault()
    void approve.run()
  }
  const start = (withCode: string) => {
    setCode(withCode)
    setDone(null)
    setOpen(true)
  }
  return (
    <section className="panel" aria-labelledby="pairing-heading">
      <h2 id="pairing-heading">{t('boards.pairing')}</h2>
      <p className="muted">{t('boards.pairingIntro')}</p>
      {done ? <Notice>{done}</Notice> : null}
      {pairings.error ? <LoadError error={pairings.error} onRetry={pairings.reload} /> : null}
      {pairings.data && pairings.data.pairings.length > 0 ? (
        <ul className="plain-list" data-testid="pending-pairings">
          {pairings.data.pairings.map((p) => (
            <li key={p.code}>
              <code className="pair-code">{p.code}</code> <span className="detail">{t('boards.codeUntil', { until: clock(p.expiresAt, lang) })}</span>{' '}
              <button type="button" className="button small" onClick={() => start(p.code)} aria-label={t('boards.approveCode', { code: p.code })}>
                {t('boards.approve')}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      {unplaced.data && unplaced.data.boards.length > 0 ? <p className="detail">{t('boards.unplaced', { count: unplaced.data.boards.length })}</p> : null}
      {!open ? (
        <button type="button" className="button" onClick={() => start('')}>
          {t('boards.enterCode')}
        </button>
      ) : (
        <form onSubmit={submit} className="subform" data-testid="pairing-form" noValidate>
          <FormError error={approve.formError(['code', 'unitId', 'displayName', 'tags'])} />
          <TextField label={t('boards.code')} value={code} onChange={(e) => setCode(e.target.value)} error={approve.errorFor('code')} hint={t('boards.codeHint')} autoComplete="off" autoCapitalize="characters" required />
          {units ? (
            <SelectField label={t('boards.unit')} value={unitId} onChange={(e) => setUnitId(e.target.value)} error={approve.errorFor('unitId')}>
              <UnitOptions rows={unitRows(units)} />
            </SelectField>
          ) : (
            <Loading />
          )}
          <TextField label={t('boards.name')} value={displayName} onChange={(e) => setDisplayName(e.target.value)} error={approve.errorFor('displayName')} hint={t('boards.nameHint')} required />
          <TextField label={t('boards.tags')} value={tags} onChange={(e) => setTags(e.target.value)} error={approve.errorFor('tags')} hint={t('boards.tagsHint')} />
          <div className="actions">
            <SubmitButton busy={approve.busy}>{t('boards.approve')}</SubmitButton>
            <button type="button" className="button ghost" onClick={() => setOpen(false)}>
              {t('app.cancel')}
            </button>
          </div>
        </form>
      )}
    </section>
  )
}
