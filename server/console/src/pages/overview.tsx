// Tổng quan: who I am and where, then the overview cards this role sees (overview-cards.tsx).
import { useI18n } from '../i18n/i18n'
import { PageHeader } from '../layout/page-header'
import { useMe } from '../session'
import { OVERVIEW_CARDS } from './overview-cards'

export function OverviewPage() {
  const { t } = useI18n()
  const me = useMe()
  const cards = OVERVIEW_CARDS.filter((card) => card.roles.includes(me.user.role))
  return (
    <>
      <PageHeader title={t('overview.title')} />
      <p className="lead">
        {t('overview.greeting', { name: me.user.displayName })} · {t('overview.scope', { unit: me.unit.name, role: t(`role.${me.user.role}`) })}
      </p>
      <div className="cards">
        {cards.map(({ id, title, component: Card }) => (
          <section key={id} className="card" data-slot={id} aria-labelledby={`card-${id}`}>
            <h2 id={`card-${id}`}>{t(title)}</h2>
            <Card />
          </section>
        ))}
      </div>
    </>
  )
}
