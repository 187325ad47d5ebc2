// Báo cáo: plays and time on screen grouped by month, day, unit, board or item, and uptime per board per
// month, for a date range and one of my units; each with a simple SVG chart, the table, and CSV / XLSX files
// from the same routes (?format=csv|xlsx), so what is downloaded is what is shown.
import { useState } from 'react'
import { api, API_BASE } from '../api/client'
import { ReportTable } from '../api/ops'
import { Units } from '../api/schemas'
import { SelectField, TextField } from '../components/form'
import { LoadError, Loading } from '../components/status'
import { useLoad } from '../components/use-load'
import { useI18n, type DictKey } from '../i18n/i18n'
import { PageHeader } from '../layout/page-header'
import { useMe } from '../session'
import { BarChart } from './bar-chart'
import { UnitOptions, unitRows } from './unit-tree'

const GROUPS = ['month', 'day', 'unit', 'board', 'item'] as const

/** Today in Vietnam time, as YYYY-MM-DD. */
function today(): string {
  return new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10)
}

export function ReportsPage() {
  const { t } = useI18n()
  const me = useMe()
  const units = useLoad(() => api.get('/units', Units))
  const [from, setFrom] = useState(() => `${today().slice(0, 8)}01`)
  const [to, setTo] = useState(today)
  const [unitId, setUnitId] = useState(me.unit.id)
  const [groupBy, setGroupBy] = useState<(typeof GROUPS)[number]>('board')
  const query = `from=${from}&to=${to}&unitId=${encodeURIComponent(unitId)}`
  return (
    <>
      <PageHeader title={t('reports.title')} />
      <section className="panel" aria-labelledby="report-filters">
        <h2 id="report-filters">{t('reports.filters')}</h2>
        <div className="filter-row">
          <TextField label={t('reports.from')} type="date" value={from} max={to} onChange={(e) => setFrom(e.target.value)} />
          <TextField label={t('reports.to')} type="date" value={to} min={from} onChange={(e) => setTo(e.target.value)} />
          {units.data ? (
            <SelectField label={t('reports.unit')} value={unitId} onChange={(e) => setUnitId(e.target.value)}>
              <UnitOptions rows={unitRows(units.data.units)} />
            </SelectField>
          ) : null}
          <SelectField label={t('reports.groupBy')} value={groupBy} onChange={(e) => setGroupBy(e.target.value as (typeof GROUPS)[number])}>
            {GROUPS.map((g) => (
              <option key={g} value={g}>
                {t(`reports.by.${g}` as DictKey)}
              </option>
            ))}
          </SelectField>
        </div>
      </section>
      <Report id="plays" path="/reports/plays" query={`${query}&groupBy=${groupBy}`} valueKey="plays" labelKeys={labelKeysFor(groupBy)} />
      <Report id="uptime" path="/reports/uptime" query={query} valueKey="percent" labelKeys={['boardName', 'month']} unit="%" />
    </>
  )
}

/** A report's id column and the name column the server sends beside it: the page shows the name (the files keep both). */
const NAME_OF: Record<string, string> = { unitId: 'unitName', board: 'boardName', item: 'itemName' }
const ID_OF: Record<string, string> = Object.fromEntries(Object.entries(NAME_OF).map(([id, name]) => [name, id]))

function labelKeysFor(group: (typeof GROUPS)[number]): string[] {
  return [NAME_OF[group === 'unit' ? 'unitId' : group] ?? group]
}

type Row = Record<string, string | number | null>

function Report({ id, path, query, valueKey, labelKeys, unit }: { id: string; path: string; query: string; valueKey: string; labelKeys: string[]; unit?: string }) {
  const { t, lang } = useI18n()
  const report = useLoad(() => api.get(`${path}?${query}`, ReportTable), [path, query])
  const title = report.data ? report.data.title[lang] : t(`reports.${id}` as DictKey)
  const cell = (key: string, row: Row) => {
    const value = row[key]
    // An item the library no longer has (or a fallback slide) has no name: its id, rather than nothing.
    if ((value === '' || value === null || value === undefined) && ID_OF[key]) return String(row[ID_OF[key]] ?? '—')
    return value === null || value === undefined ? '—' : typeof value === 'number' ? value.toLocaleString('vi-VN') : value
  }
  const keys = new Set(report.data?.columns.map((c) => c.key))
  const columns = report.data?.columns.filter((c) => !(NAME_OF[c.key] && keys.has(NAME_OF[c.key] as string))) ?? []
  return (
    <section className="panel" aria-labelledby={`report-${id}`} data-testid={`report-${id}`}>
      <div className="page-header">
        <h2 id={`report-${id}`}>{title}</h2>
        <div className="actions">
          <a className="button small" href={`${API_BASE}${path}?${query}&format=csv`} download data-testid={`${id}-csv`}>
            {t('reports.csv')}
          </a>
          <a className="button small" href={`${API_BASE}${path}?${query}&format=xlsx`} download data-testid={`${id}-xlsx`}>
            {t('reports.xlsx')}
          </a>
        </div>
      </div>
      {report.error ? <LoadError error={report.error} onRetry={report.reload} /> : null}
      {!report.data && !report.error ? <Loading /> : null}
      {report.data && report.data.rows.length === 0 ? <p className="muted">{t('reports.empty')}</p> : null}
      {report.data && report.data.rows.length > 0 ? (
        <div className="report-body">
          <BarChart
            title={title}
            unit={unit}
            bars={report.data.rows.map((row) => ({ label: labelKeys.map((k) => cell(k, row)).join(' · '), value: Number(row[valueKey] ?? 0) }))}
          />
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  {columns.map((c) => (
                    <th key={c.key} scope="col">
                      {c[lang]}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {report.data.rows.map((row, i) => (
                  <tr key={i}>
                    {columns.map((c) => (
                      <td key={c.key} className={c.type === 'number' ? 'num' : undefined} data-label={c[lang]}>
                        {cell(c.key, row)}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      ) : null}
      <p className="detail">{t('reports.timeZone')}</p>
    </section>
  )
}
