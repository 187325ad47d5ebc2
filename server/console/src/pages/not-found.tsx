// A path no page of this role answers: said plainly, with the way back.
import { useI18n } from '../i18n/i18n'
import { PageHeader } from '../layout/page-header'
import { Link } from '../router'

export function NotFoundPage() {
  const { t } = useI18n()
  return (
    <>
      <PageHeader title={t('app.notFound.title')} />
      <p>{t('app.notFound.body')}</p>
      <p>
        <Link to="/" className="button primary">
          {t('app.backHome')}
        </Link>
      </p>
    </>
  )
}
