// Report tables as files an officer opens in Excel: CSV (UTF-8 with BOM, so Vietnamese shows right) and XLSX
// (typed numbers, a frozen and filterable Vietnamese header whose cells carry the English names as notes).
import ExcelJS from 'exceljs'
import type { ReportTable } from './reports'

/** A text cell a spreadsheet would run as a formula (=, +, -, @, tab, CR) gets a leading apostrophe. */
function defused(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text
}

function csvField(value: string | number | null, type: 'text' | 'number'): string {
  if (value === null) return ''
  const text = type === 'number' && typeof value === 'number' ? String(value) : defused(String(value))
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replaceAll('"', '""')}"` : text
}

/**
 * RFC 4180, comma-separated, CRLF, '.' as the decimal point, one header row in Vietnamese (the English names
 * are in the JSON, the XLSX notes and docs/editorial.md: a second header row would be read as data).
 */
export function reportCsv(table: ReportTable): Buffer {
  const header = table.columns.map((column) => csvField(column.vi, 'text')).join(',')
  const lines = table.rows.map((row) => table.columns.map((column) => csvField(row[column.key] ?? null, column.type)).join(','))
  return Buffer.from('\uFEFF' + [header, ...lines].join('\r\n') + '\r\n', 'utf8')
}

/** Excel's limits on a sheet name: 31 characters, none of : \ / ? * [ ]. */
function sheetName(text: string): string {
  return text.replace(/[:\\/?*[\]]/g, ' ').slice(0, 31)
}

/** One data sheet (header on row 1, so filters and pivot tables work) and a notes sheet saying what it covers. */
export async function reportXlsx(table: ReportTable): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook()
  workbook.creator = 'bangtin'
  workbook.created = new Date(table.about.generatedAt)
  const sheet = workbook.addWorksheet(sheetName(table.title.vi), { views: [{ state: 'frozen', ySplit: 1 }] })
  sheet.columns = table.columns.map((column) => ({ header: column.vi, key: column.key, width: Math.min(60, Math.max(12, column.vi.length + 4)) }))
  const header = sheet.getRow(1)
  header.font = { bold: true }
  table.columns.forEach((column, i) => {
    header.getCell(i + 1).note = column.en
  })
  for (const row of table.rows) {
    sheet.addRow(Object.fromEntries(table.columns.map((column) => [column.key, row[column.key] ?? null])))
  }
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: table.columns.length } }
  const notes = workbook.addWorksheet('Ghi chú')
  notes.columns = [
    { header: 'Mục', key: 'what', width: 28 },
    { header: 'Nội dung', key: 'value', width: 60 }
  ]
  notes.getRow(1).font = { bold: true }
  notes.addRows([
    { what: 'Báo cáo / Report', value: `${table.title.vi} / ${table.title.en}` },
    { what: 'Từ ngày / From', value: table.about.from },
    { what: 'Đến ngày / To', value: table.about.to },
    { what: 'Múi giờ / Time zone', value: table.about.timeZone },
    { what: 'Lập lúc (UTC) / Made at', value: table.about.generatedAt },
    ...table.columns.map((column) => ({ what: `Cột / Column: ${column.vi}`, value: column.en }))
  ])
  return Buffer.from(await workbook.xlsx.writeBuffer())
}
