// The page of a section still being built: its title and a clear note, never a blank page.
import type { ComponentType } from 'react'
import { useI18n, type DictKey } from '../i18n/i18n'
import { PageHeader } from '../layout/page-header'

export function placeholder(title: DictKey): ComponentType {
  function Placeholder() {
    const { t } = useI18n()
    return (
      <>
        <PageHeader title={t(title)} />
        <p className="muted">{t('app.comingSoon')}</p>
      </>
    )
  }
  return Placeholder
}
