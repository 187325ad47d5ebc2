// A board's newest screenshot with "Chụp màn hình ngay" (a screenshot command; the new picture shown when
// it arrives), the other commands an officer may send, and the commands sent with the board's results.
import { useEffect, useState } from 'react'
import { api, API_BASE } from '../api/client'
import { BoardCommand, BoardCommands, clock } from '../api/ops'
import { LoadError, Loading, ProgressBar } from '../components/status'
import { useAction } from '../components/use-action'
import { useLoad } from '../components/use-load'
import { useI18n, type DictKey } from '../i18n/i18n'
import { useMe } from '../session'

const OTHER_COMMANDS = ['resync', 'reload', 'display-on', 'display-off', 'upload-logs'] as const

export function BoardCommandsPanel({ deviceId }: { deviceId: string }) {
  const { t, lang } = useI18n()
  const me = useMe()
  const mayCommand = me.user.role === 'duyet' || me.user.role === 'quan-tri'
  const list = useLoad(() => api.get(`/boards/${encodeURIComponent(deviceId)}/commands`, BoardCommands), [deviceId])
  const [waitingFor, setWaitingFor] = useState<string | null>(null)
  const { reload } = list
  const send = useAction(async (kind: string) => {
    const sent = await api.post(`/boards/${encodeURIComponent(deviceId)}/commands`, BoardCommand, { kind })
    if (kind === 'screenshot') setWaitingFor(sent.id)
    reload()
  })
  const pending = list.data?.commands.some((c) => c.result === null) ?? false
  // Waiting ends when the picture the command asked for arrives, or the board answers that it could not take it.
  const arrived = waitingFor !== null && (list.data?.screenshot?.commandId === waitingFor || list.data?.commands.find((c) => c.id === waitingFor)?.result?.ok === false)
  useEffect(() => {
    if (!pending && (waitingFor === null || arrived)) return
    const timer = setInterval(reload, 2_000)
    return () => clearInterval(timer)
  }, [pending, waitingFor, arrived, reload])
  const shot = list.data?.screenshot ?? null
  return (
    <>
      <h3>{t('boards.screenshot')}</h3>
      {list.error ? <LoadError error={list.error} onRetry={reload} /> : null}
      {!list.data && !list.error ? <Loading /> : null}
      {shot ? (
        <figure className="screenshot">
          <img src={`${API_BASE}/boards/${encodeURIComponent(deviceId)}/screenshot?t=${encodeURIComponent(shot.takenAt)}`} alt={t('boards.screenshotAlt', { at: clock(shot.takenAt, lang) })} width={shot.width} height={shot.height} data-testid="board-screenshot" />
          <figcaption className="detail">{t('boards.screenshotAt', { at: clock(shot.takenAt, lang) })}</figcaption>
        </figure>
      ) : list.data ? (
        <p className="muted">{t('boards.noScreenshot')}</p>
      ) : null}
      {waitingFor && !arrived ? <ProgressBar label={t('boards.screenshotWaiting')} value={null} /> : null}
      {mayCommand ? (
        <div className="actions">
          <button type="button" className="button primary" disabled={send.busy || (waitingFor !== null && !arrived)} onClick={() => void send.run('screenshot')}>
            {t('boards.screenshotNow')}
          </button>
          {OTHER_COMMANDS.map((kind) => (
            <button key={kind} type="button" className="button small" disabled={send.busy} onClick={() => void send.run(kind)}>
              {t(`boards.command.${kind}` as DictKey)}
            </button>
          ))}
        </div>
      ) : null}
      {send.error ? <LoadError error={send.error} /> : null}
      <h3 className="spaced">{t('boards.commands')}</h3>
      {list.data && list.data.commands.length === 0 ? <p className="muted">{t('boards.noCommands')}</p> : null}
      {list.data && list.data.commands.length > 0 ? (
        <div className="table-wrap">
          <table className="table" data-testid="board-commands">
            <thead>
              <tr>
                <th scope="col">{t('boards.commandKind')}</th>
                <th scope="col">{t('boards.commandSent')}</th>
                <th scope="col">{t('boards.commandResult')}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.commands.map((c) => (
                <tr key={c.id} data-command={c.kind}>
                  <td data-label={t('boards.commandKind')}>{(OTHER_COMMANDS as readonly string[]).includes(c.kind) || c.kind === 'screenshot' ? t(`boards.command.${c.kind}` as DictKey) : c.kind}</td>
                  <td data-label={t('boards.commandSent')}>{clock(c.sentAt, lang)}</td>
                  <td data-label={t('boards.commandResult')}>
                    {c.result === null ? (
                      <span className="badge badge-info">{t('boards.commandWaiting')}</span>
                    ) : (
                      <>
                        <span className={c.result.ok === false ? 'badge badge-off' : 'badge badge-on'}>{c.result.ok === false ? t('boards.commandFailed') : t('boards.commandDone')}</span> <span className="detail">{clock(c.result.at, lang)}</span>
                        {c.result.detail ? <span className="detail"> {c.result.detail}</span> : null}
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  )
}
