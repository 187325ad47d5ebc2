// Nội dung (library): upload pictures and videos, write notices (with the boards' own preview), tickers
// and live streams into one of my units, and the items of my units to rename or delete.
import { useState } from 'react'
import { api } from '../api/client'
import { CONTENT_KINDS, ContentList as ContentListAnswer, type ContentKind } from '../api/library'
import { Units } from '../api/schemas'
import { SelectField } from '../components/form'
import { LoadError, Loading, Notice } from '../components/status'
import { useLoad } from '../components/use-load'
import { useI18n } from '../i18n/i18n'
import { PageHeader } from '../layout/page-header'
import { useMe } from '../session'
import { ContentList } from './content-list'
import { UploadArea } from './content-upload'
import { WriteContent } from './content-write'
import { UnitOptions, unitRows } from './unit-tree'

export function ContentPage() {
  const { t } = useI18n()
  const me = useMe()
  const units = useLoad(() => api.get('/units', Units))
  const [kind, setKind] = useState<ContentKind | ''>('')
  const items = useLoad(() => api.get(`/library/items${kind ? `?kind=${kind}` : ''}`, ContentListAnswer), [kind])
  const [unitId, setUnitId] = useState(me.unit.id)
  const [message, setMessage] = useState<string | null>(null)
  const rows = units.data ? unitRows(units.data.units) : []
  return (
    <>
      <PageHeader title={t('content.title')} />
      <p className="muted">{t('content.intro')}</p>
      {rows.length > 1 ? (
        <div className="panel">
          <SelectField label={t('content.unit')} value={unitId} onChange={(e) => setUnitId(e.target.value)}>
            <UnitOptions rows={rows} />
          </SelectField>
        </div>
      ) : null}
      <div className="columns">
        <section className="panel" aria-labelledby="upload-heading">
          <h2 id="upload-heading">{t('content.upload.title')}</h2>
          <UploadArea unitId={unitId} onUploaded={items.reload} />
        </section>
      </div>
      <section className="panel" aria-labelledby="write-heading">
        <h2 id="write-heading">{t('content.write.title')}</h2>
        <WriteContent unitId={unitId} onSaved={items.reload} />
      </section>
      <section className="panel" aria-labelledby="library-heading">
        <h2 id="library-heading">{t('content.list.title')}</h2>
        <SelectField label={t('content.list.filter')} value={kind} onChange={(e) => setKind(e.target.value as ContentKind | '')}>
          <option value="">{t('content.list.all')}</option>
          {CONTENT_KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`content.kind.${k}`)}
            </option>
          ))}
        </SelectField>
        {message ? <Notice>{message}</Notice> : null}
        {items.error ? (
          <LoadError error={items.error} onRetry={items.reload} />
        ) : !items.data ? (
          <Loading />
        ) : (
          <ContentList items={items.data.items} units={units.data?.units ?? []} onChanged={items.reload} onMessage={setMessage} />
        )}
      </section>
    </>
  )
}
