// The overview's cards, in order. Each room replaces its placeholder card with one that reads its own API
// (boards' status, active emergencies, my approvals, today's plays): one entry each, no other wiring.
import type { ComponentType } from 'react'
import { api } from '../api/client'
import { BoardStatuses } from '../api/ops'
import { Boards, type Role } from '../api/schemas'
import { LoadError, Loading } from '../components/status'
import { useLoad } from '../components/use-load'
import { useI18n, type DictKey } from '../i18n/i18n'
import { Link } from '../router'
import { ApprovalsCard, EmergenciesCard, PlaysCard } from './overview-ops'

export interface OverviewCard {
  id: string
  title: DictKey
  roles: readonly Role[]
  component: ComponentType
}

/** The boards placed in my units; online, offline and with problems from their status. */
function BoardsCard() {
  const { t } = useI18n()
  const boards = useLoad(() => api.get('/boards', Boards))
  const statuses = useLoad(() => api.get('/board-status', BoardStatuses))
  if (boards.error) return <LoadError error={boards.error} onRetry={boards.reload} />
  if (!boards.data) return <Loading />
  const count = boards.data.boards.length
  const list = statuses.data?.boards
  const figure = (value: number | undefined, id: string) => (
    <dd className={list ? undefined : 'slot-pending'} data-testid={id}>
      {list ? value : '—'}
    </dd>
  )
  return (
    <>
      <p className="big-number" data-testid="boards-count">
        {count}
      </p>
      <p>{count === 0 ? t('overview.boards.none') : t('overview.boards.count', { count })}</p>
      <dl className="stat-row">
        <div>
          <dt>{t('overview.boards.online')}</dt>
          {figure(list?.filter((b) => b.connected).length, 'boards-online')}
        </div>
        <div>
          <dt>{t('overview.boards.offline')}</dt>
          {figure(list?.filter((b) => !b.connected).length, 'boards-offline')}
        </div>
        <div>
          <dt>{t('overview.boards.problems')}</dt>
          {figure(list?.filter((b) => b.problems.length > 0).length, 'boards-problems')}
        </div>
      </dl>
      <Link to="/boards">{t('overview.openBoards')}</Link>
    </>
  )
}

/** A card whose room has not filled it yet: says so (data-slot names it for the room that will). */
export function pendingCard(): ComponentType {
  function Pending() {
    const { t } = useI18n()
    return <p className="muted slot-pending">{t('overview.pending')}</p>
  }
  return Pending
}

const EVERYONE: readonly Role[] = ['quan-tri', 'bien-tap', 'duyet', 'xem']

export const OVERVIEW_CARDS: readonly OverviewCard[] = [
  { id: 'boards', title: 'overview.boards', roles: EVERYONE, component: BoardsCard },
  { id: 'emergencies', title: 'overview.emergencies', roles: EVERYONE, component: EmergenciesCard },
  { id: 'approvals', title: 'overview.approvals', roles: ['duyet'], component: ApprovalsCard },
  { id: 'plays', title: 'overview.plays', roles: EVERYONE, component: PlaysCard }
]
