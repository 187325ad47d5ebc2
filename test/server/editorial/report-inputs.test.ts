// What reports make of hostile or careless input: an item id a board made up to be a spreadsheet formula,
// duplicates from at-least-once delivery, boards outside the caller's units, bad dates named in both languages.
import ExcelJS from 'exceljs'
import { describe, expect, it } from 'vitest'
import { EditorialError } from '../../../server/editorial/errors'
import { reportCsv, reportXlsx } from '../../../server/editorial/report-files'
import { playsReport, type PlayRow, type PlaySource } from '../../../server/editorial/reports'

const at = (iso: string) => Date.parse(iso)
const rows: PlayRow[] = [
  { deviceId: 'bang-1', id: 'bang-1:1', itemId: '=HYPERLINK("http://x.invalid","bấm")', startedAt: at('2026-05-02T08:00:00+07:00'), endedAt: at('2026-05-02T08:00:10+07:00') },
  // The same record delivered twice.
  { deviceId: 'bang-1', id: 'bang-1:1', itemId: '=HYPERLINK("http://x.invalid","bấm")', startedAt: at('2026-05-02T08:00:00+07:00'), endedAt: at('2026-05-02T08:00:10+07:00') },
  { deviceId: 'bang-1', id: 'bang-1:2', itemId: 'tin, "trích dẫn"', startedAt: at('2026-05-02T09:00:00+07:00'), endedAt: at('2026-05-02T08:59:00+07:00') },
  { deviceId: 'bang-ngoai', id: 'bang-ngoai:1', itemId: 'tin', startedAt: at('2026-05-02T09:00:00+07:00'), endedAt: at('2026-05-02T09:00:10+07:00') }
]
const source: PlaySource = { plays: () => rows }
const boards = new Map([['bang-1', { unitId: 'xa-1', unitName: 'Xã Một' }]])

describe('report inputs', () => {
  it('defuses formulas in CSV, quotes commas and quotes, counts a duplicate once, never subtracts time, leaves out other units', async () => {
    // A name is text an editor typed: defused like an id.
    const itemNames = async (ids: readonly string[]) => new Map(ids.filter((id) => id.startsWith('tin')).map((id) => [id, '@SUM(1)']))
    const table = await playsReport({ from: '2026-05-01', to: '2026-05-31', source, boards, groupBy: ['item'], itemNames })
    expect(table.rows).toEqual([
      { item: '=HYPERLINK("http://x.invalid","bấm")', itemName: '', plays: 1, seconds: 10 },
      { item: 'tin, "trích dẫn"', itemName: '@SUM(1)', plays: 1, seconds: 0 }
    ])
    const csv = reportCsv(table).toString('utf8')
    expect(csv).toBe('\uFEFFMã nội dung,Tên nội dung,Số lượt phát,Thời lượng phát (giây)\r\n"\'=HYPERLINK(""http://x.invalid"",""bấm"")",,1,10\r\n"tin, ""trích dẫn""",\'@SUM(1),1,0\r\n')
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load((await reportXlsx(table)) as unknown as ArrayBuffer)
    const cell = workbook.worksheets[0]!.getCell('A2')
    // A plain string cell, not a formula.
    expect(cell.type).toBe(ExcelJS.ValueType.String)
    expect(cell.value).toBe('=HYPERLINK("http://x.invalid","bấm")')
    expect(workbook.worksheets[1]!.name).toBe('Ghi chú')
  })

  it('refuses bad ranges and groupings, naming the field in Vietnamese and English', async () => {
    const refusal = (promise: Promise<unknown>) => promise.then(() => null, (error: unknown) => (error instanceof EditorialError ? error.toJSON().error : error))
    expect(await refusal(playsReport({ from: '2026-02-30', to: '2026-03-01', source, boards, groupBy: ['day'] }))).toMatchObject({ field: 'from', vi: expect.stringContaining('NNNN-TT-NN'), en: expect.stringContaining('YYYY-MM-DD') })
    expect(await refusal(playsReport({ from: '2026-03-02', to: '2026-03-01', source, boards, groupBy: ['day'] }))).toMatchObject({ field: 'to' })
    expect(await refusal(playsReport({ from: '2025-01-01', to: '2026-03-01', source, boards, groupBy: ['day'] }))).toMatchObject({ field: 'to' })
    expect(await refusal(playsReport({ from: '2026-03-01', to: '2026-03-01', source, boards, groupBy: [] }))).toMatchObject({ field: 'groupBy' })
    expect(await refusal(playsReport({ from: '2026-03-01', to: '2026-03-01', timeZone: 'Mars/Olympus', source, boards, groupBy: ['day'] }))).toMatchObject({ field: 'timeZone' })
  })
})
