// One board on the Bảng tin page (/boards/DEVICE): what it last reported (online, last seen, playing what,
// programme version, display, disk, clock offset, problems) and its uptime per day as a simple chart.
import { api } from '../api/client'
import { BoardDetail, clock, type BoardStatus } from '../api/ops'
import type { Board } from '../api/schemas'
import { LoadError, Loading } from '../components/status'
import { useLoad } from '../components/use-load'
import { useI18n, type DictKey } from '../i18n/i18n'
import { navigate } from '../router'
import { BarChart } from './bar-chart'
import { BoardCommandsPanel } from './board-commands'

const PROBLEMS = ['offline', 'renderer-down', 'no-content', 'sync-error', 'clock', 'disk', 'update-failed', 'lab-mode', 'no-key', 'no-sandbox',
  // What a board reports itself (protocol Problem kinds).
  'manifest-invalid', 'signature-refused', 'asset-quarantined', 'download-failed', 'quota-exceeded', 'push-refused', 'clock-skew', 'screen-refused'] as const

/** A problem code from the server in the page's language (an unknown one as it is). */
export function useProblemText(): (code: string) => string {
  const { t } = useI18n()
  return (code) => ((PROBLEMS as readonly string[]).includes(code) ? t(`boards.problem.${code}` as DictKey) : code)
}

export function OnlineBadge({ status }: { status: BoardStatus | undefined }) {
  const { t } = useI18n()
  if (!status) return <span className="badge badge-info">—</span>
  return <span className={status.connected ? 'badge badge-on' : 'badge badge-off'}>{status.connected ? t('overview.boards.online') : t('overview.boards.offline')}</span>
}

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toLocaleString('vi-VN', { maximumFractionDigits: 0 })} MiB`
}

export function BoardDetailPanel({ deviceId, board }: { deviceId: string; board: Board | undefined }) {
  const { t, lang } = useI18n()
  const problemText = useProblemText()
  const detail = useLoad(() => api.get(`/boards/${encodeURIComponent(deviceId)}/status`, BoardDetail), [deviceId])
  const title = board?.displayName ?? deviceId
  return (
    <section className="panel" aria-labelledby="board-detail-heading" data-testid="board-detail">
      <h2 id="board-detail-heading">{title}</h2>
      {detail.error ? <LoadError error={detail.error} onRetry={detail.reload} /> : null}
      {!detail.data && !detail.error ? <Loading /> : null}
      {detail.data ? (
        <>
          <dl className="facts">
            <div>
              <dt>{t('boards.status')}</dt>
              <dd>
                <OnlineBadge status={detail.data} />
              </dd>
            </div>
            <div>
              <dt>{t('boards.lastSeen')}</dt>
              <dd>{clock(detail.data.lastSeen, lang)}</dd>
            </div>
            <div>
              <dt>{t('boards.playing')}</dt>
              <dd>{detail.data.heartbeat ? `${t(`boards.play.${detail.data.heartbeat.playState}` as DictKey)}${detail.data.heartbeat.itemId ? ` · ${detail.data.heartbeat.itemId}` : ''}` : '—'}</dd>
            </div>
            <div>
              <dt>{t('boards.version')}</dt>
              <dd className="break">{detail.data.heartbeat?.programVersion ?? '—'}</dd>
            </div>
            <div>
              <dt>{t('boards.appVersion')}</dt>
              <dd>{detail.data.heartbeat?.appVersion ?? '—'}</dd>
            </div>
            <div>
              <dt>{t('boards.display')}</dt>
              <dd>{detail.data.heartbeat ? t(`boards.display.${detail.data.heartbeat.display}` as DictKey) : '—'}</dd>
            </div>
            <div>
              <dt>{t('boards.disk')}</dt>
              <dd>{detail.data.heartbeat ? `${mib(detail.data.heartbeat.diskUsedBytes)}${detail.data.heartbeat.diskQuotaBytes ? ` / ${mib(detail.data.heartbeat.diskQuotaBytes)}` : ''}` : '—'}</dd>
            </div>
            <div>
              <dt>{t('boards.clock')}</dt>
              <dd>{detail.data.heartbeat?.clockOffsetMs !== null && detail.data.heartbeat?.clockOffsetMs !== undefined ? t('boards.clockOffset', { sec: (detail.data.heartbeat.clockOffsetMs / 1000).toFixed(1) }) : '—'}</dd>
            </div>
            <div>
              <dt>{t('boards.problems')}</dt>
              <dd data-testid="board-problems">{detail.data.problems.length ? detail.data.problems.map(problemText).join('; ') : t('boards.noProblems')}</dd>
            </div>
          </dl>
          {detail.data.reported?.length ? (
            <section aria-labelledby="board-reported-heading">
              <h3 id="board-reported-heading">{t('boards.reported')}</h3>
              <ul className="history" data-testid="board-reported">
                {detail.data.reported.map((r, i) => (
                  <li key={i}>
                    <time dateTime={r.at}>{clock(r.at, lang)}</time> · {problemText(r.kind)}
                    {r.detail ? <span className="break"> · {r.detail}</span> : null}
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
          {detail.data.uptime.length ? (
            <BarChart
              title={t('boards.uptimeChart')}
              unit="%"
              bars={detail.data.uptime.map((d) => ({ label: d.date, value: d.expectedSeconds > 0 ? Math.round((d.upSeconds / d.expectedSeconds) * 100) : 0 }))}
            />
          ) : (
            <p className="muted">{t('boards.noUptime')}</p>
          )}
        </>
      ) : null}
      <BoardCommandsPanel deviceId={deviceId} />
      <button type="button" className="button ghost" onClick={() => navigate('/boards')}>
        {t('boards.backToList')}
      </button>
    </section>
  )
}
