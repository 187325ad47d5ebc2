// One emergency's delivery, board by board (sent → received → shown, with times), refreshed every few
// seconds while the page is open; re-send to the boards that have not shown it; clear it on all or some.
import { useEffect, useState } from 'react'
import { api } from '../api/client'
import { Cleared, clock, Delivery, isActive, Pushed, type BoardDelivery } from '../api/ops'
import { Boards } from '../api/schemas'
import { LoadError, Loading, Notice } from '../components/status'
import { useAction } from '../components/use-action'
import { useLoad } from '../components/use-load'
import { useI18n, type DictKey } from '../i18n/i18n'
import { navigate } from '../router'
import { useMe } from '../session'

const POLL_MS = 2_000

export function EmergencyDelivery({ id, onChanged }: { id: string; onChanged: () => void }) {
  const { t, lang } = useI18n()
  const me = useMe()
  const delivery = useLoad(() => api.get(`/emergencies/${encodeURIComponent(id)}/delivery`, Delivery), [id])
  const names = useLoad(() => api.get('/boards', Boards))
  const [picked, setPicked] = useState<Set<string>>(new Set())
  const [done, setDone] = useState<string | null>(null)
  const { reload } = delivery
  useEffect(() => {
    const timer = setInterval(reload, POLL_MS)
    return () => clearInterval(timer)
  }, [reload])
  const act = useAction(async (what: 'resend' | 'clear', deviceIds: string[] | null) => {
    const body = deviceIds ? { deviceIds } : {}
    if (what === 'resend') {
      const out = await api.post(`/emergencies/${encodeURIComponent(id)}/resend`, Pushed, body)
      setDone(t('emergency.resent', { count: out.pushedTo.length }))
    } else {
      const out = await api.post(`/emergencies/${encodeURIComponent(id)}/clear`, Cleared, body)
      setDone(t('emergency.cleared', { count: out.clearedFor.length }))
    }
    setPicked(new Set())
    reload()
    onChanged()
  })
  if (delivery.error && !delivery.data) return <LoadError error={delivery.error} onRetry={reload} />
  if (!delivery.data) return <Loading />
  const { emergency, boards } = delivery.data
  const nameOf = (deviceId: string) => names.data?.boards.find((b) => b.deviceId === deviceId)?.displayName ?? deviceId
  const shown = boards.filter((b) => b.state === 'shown').length
  const notShown = boards.filter((b) => b.state === 'pending' || b.state === 'received' || b.state === 'expired')
  const active = isActive(emergency)
  const mayAct = me.user.role === 'duyet' || me.user.role === 'quan-tri'
  const toggle = (deviceId: string, on: boolean) => {
    const next = new Set(picked)
    if (on) next.add(deviceId)
    else next.delete(deviceId)
    setPicked(next)
  }
  return (
    <section className="panel" aria-labelledby="delivery-heading">
      <h2 id="delivery-heading">{t('emergency.delivery', { title: emergency.title })}</h2>
      <p className="detail">{emergency.body}</p>
      <p role="status" data-testid="delivery-summary">
        {t('emergency.deliverySummary', { shown, count: boards.length })}{' '}
        {active ? t('emergency.activeUntil', { until: clock(emergency.expiresAt, lang) }) : t('emergency.ended')}
      </p>
      {done ? <Notice>{done}</Notice> : null}
      {act.error ? <LoadError error={act.error} /> : null}
      <div className="table-wrap">
        <table className="table" data-testid="delivery-list">
          <caption className="visually-hidden">{t('emergency.deliveryCaption')}</caption>
          <thead>
            <tr>
              {mayAct && active ? <th scope="col">{t('emergency.pick')}</th> : null}
              <th scope="col">{t('emergency.board')}</th>
              <th scope="col">{t('emergency.state')}</th>
              <th scope="col">{t('emergency.sentAt')}</th>
              <th scope="col">{t('emergency.receivedAt')}</th>
              <th scope="col">{t('emergency.shownAt')}</th>
            </tr>
          </thead>
          <tbody>
            {boards.map((b) => (
              <DeliveryRow key={b.deviceId} board={b} name={nameOf(b.deviceId)} pick={mayAct && active ? picked.has(b.deviceId) : null} onPick={(on) => toggle(b.deviceId, on)} />
            ))}
          </tbody>
        </table>
      </div>
      {boards.length === 0 ? <p className="muted">{t('emergency.noBoards')}</p> : null}
      {mayAct && active ? (
        <div className="actions">
          <button type="button" className="button" disabled={act.busy || notShown.length === 0} onClick={() => void act.run('resend', null)}>
            {t('emergency.resendMissing', { count: notShown.length })}
          </button>
          <button type="button" className="button" disabled={act.busy || picked.size === 0} onClick={() => void act.run('clear', [...picked])}>
            {t('emergency.clearPicked', { count: picked.size })}
          </button>
          <button type="button" className="button danger" disabled={act.busy} onClick={() => void act.run('clear', null)}>
            {t('emergency.clearAll')}
          </button>
        </div>
      ) : null}
      <p>
        <button type="button" className="button ghost" onClick={() => navigate('/emergency')}>
          {t('emergency.new')}
        </button>
      </p>
    </section>
  )
}

function DeliveryRow({ board, name, pick, onPick }: { board: BoardDelivery; name: string; pick: boolean | null; onPick: (on: boolean) => void }) {
  const { t, lang } = useI18n()
  const tone = board.state === 'shown' || board.state === 'cleared' ? 'badge-on' : board.state === 'expired' ? 'badge-off' : 'badge-info'
  return (
    <tr data-device={board.deviceId} data-state={board.state}>
      {pick !== null ? (
        <td data-label={t('emergency.pick')}>
          <input type="checkbox" checked={pick} onChange={(e) => onPick(e.target.checked)} aria-label={t('emergency.pickNamed', { name })} />
        </td>
      ) : null}
      <th scope="row">{name}</th>
      <td data-label={t('emergency.state')}>
        <span className={`badge ${tone}`}>{t(`emergency.state.${board.state}` as DictKey)}</span>
        {board.sends > 1 ? <span className="detail"> {t('emergency.sends', { count: board.sends })}</span> : null}
      </td>
      <td data-label={t('emergency.sentAt')}>{clock(board.lastSentAt, lang)}</td>
      <td data-label={t('emergency.receivedAt')}>{clock(board.receivedAt, lang)}</td>
      <td data-label={t('emergency.shownAt')}>
        {clock(board.shownAt, lang)}
        {board.shownAfterSec !== null ? <span className="detail"> ({t('emergency.after', { sec: Math.round(board.shownAfterSec) })})</span> : null}
      </td>
    </tr>
  )
}
