// The overview's cards the operations pages fill: active emergencies, what awaits my approval, today's plays.
import { z } from 'zod'
import { api } from '../api/client'
import { Emergencies, isActive, ReportTable } from '../api/ops'
import { LoadError, Loading } from '../components/status'
import { useLoad } from '../components/use-load'
import { useI18n } from '../i18n/i18n'
import { Link } from '../router'

const Submissions = z.object({ submissions: z.array(z.object({ id: z.number(), state: z.string() })) })

function today(): string {
  return new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10)
}

export function EmergenciesCard() {
  const { t } = useI18n()
  const list = useLoad(() => api.get('/emergencies', Emergencies))
  if (list.error) return <LoadError error={list.error} onRetry={list.reload} />
  if (!list.data) return <Loading />
  const count = list.data.emergencies.filter((e) => isActive(e)).length
  return (
    <>
      <p className={count > 0 ? 'big-number alarm' : 'big-number'} data-testid="emergencies-count">
        {count}
      </p>
      <p>{count === 0 ? t('overview.emergencies.none') : t('overview.emergencies.count', { count })}</p>
      <Link to="/emergency">{t('overview.emergencies.open')}</Link>
    </>
  )
}

export function ApprovalsCard() {
  const { t } = useI18n()
  const list = useLoad(() => api.get('/approvals', Submissions))
  if (list.error) return <LoadError error={list.error} onRetry={list.reload} />
  if (!list.data) return <Loading />
  const count = list.data.submissions.filter((s) => s.state === 'submitted').length
  return (
    <>
      <p className="big-number" data-testid="approvals-count">
        {count}
      </p>
      <p>{t('overview.approvals.count', { count })}</p>
      <Link to="/approval">{t('overview.approvals.open')}</Link>
    </>
  )
}

export function PlaysCard() {
  const { t } = useI18n()
  const day = today()
  const report = useLoad(() => api.get(`/reports/plays?from=${day}&to=${day}&groupBy=day`, ReportTable))
  if (report.error) return <LoadError error={report.error} onRetry={report.reload} />
  if (!report.data) return <Loading />
  const count = report.data.rows.reduce((sum, row) => sum + Number(row.plays ?? 0), 0)
  return (
    <>
      <p className="big-number" data-testid="plays-count">
        {count.toLocaleString('vi-VN')}
      </p>
      <p>{t('overview.plays.count', { count: count.toLocaleString('vi-VN') })}</p>
      <Link to="/reports">{t('overview.plays.open')}</Link>
    </>
  )
}
