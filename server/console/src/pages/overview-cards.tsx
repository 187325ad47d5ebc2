// The overview's cards, in order. Each room replaces its placeholder card with one that reads its own API
// (boards' status, active emergencies, my approvals, today's plays): one entry each, no other wiring.
import type { ComponentType } from 'react'
import { api } from '../api/client'
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

/** What the access room's API gives today: the boards placed in my units, by tag. */
function BoardsCard() {
  const { t } = useI18n()
  const boards = useLoad(() => api.get('/boards', Boards))
  if (boards.error) return <LoadError error={boards.error} onRetry={boards.reload} />
  if (!boards.data) return <Loading />
  const count = boards.data.boards.length
  return (
    <>
      <p className="big-number" data-testid="boards-count">
        {count}
      </p>
      <p>{count === 0 ? t('overview.boards.none') : t('overview.boards.count', { count })}</p>
      <dl className="stat-row">
        <div>
          <dt>{t('overview.boards.online')}</dt>
          <dd className="slot-pending">—</dd>
        </div>
        <div>
          <dt>{t('overview.boards.offline')}</dt>
          <dd className="slot-pending">—</dd>
        </div>
        <div>
          <dt>{t('overview.boards.problems')}</dt>
          <dd className="slot-pending">—</dd>
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
  // SLOT(boards room): online / offline / with problems from the boards' status API.
  { id: 'boards', title: 'overview.boards', roles: EVERYONE, component: BoardsCard },
  { id: 'emergencies', title: 'overview.emergencies', roles: EVERYONE, component: EmergenciesCard },
  { id: 'approvals', title: 'overview.approvals', roles: ['duyet'], component: ApprovalsCard },
  { id: 'plays', title: 'overview.plays', roles: EVERYONE, component: PlaysCard }
]
