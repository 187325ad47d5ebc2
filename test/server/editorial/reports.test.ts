// Reports over a scripted day on two real boards: each screen reports what it played (explicit times across
// the 31 March / 1 April midnight in Hà Nội), each core journals and uploads it, and the report's counts equal
// the script's; uptime comes from ledgers the boards upload; the CSV and the XLSX read back the same.
import ExcelJS from 'exceljs'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { reportCsv, reportXlsx } from '../../../server/editorial/report-files'
import { playSourceFromServer, playsReport, uptimeReport, type BoardPlacement, type ReportTable } from '../../../server/editorial/reports'
import { startTestServer } from '../../../server/testing/test-server'
import { useTempDirs } from '../../helpers/temp-dir'
import { NOTICE, startBoard } from './boards'

/** Hà Nội is UTC+7 all year. */
const local = (date: string, time: string) => Date.parse(`${date}T${time}+07:00`)
const ITEMS = ['lich-tiem', 'phong-chay', 'bao-lu']

/** A board's day: every 10 minutes from 06:00 one item for 30 s (rotating), on the 31st; on the 1st a shorter morning. */
function script(offsetMin: number, rounds: { date: string; from: string; count: number }[]): { itemId: string; startedAt: number; endedAt: number }[] {
  const plays: { itemId: string; startedAt: number; endedAt: number }[] = []
  for (const round of rounds) {
    for (let i = 0; i < round.count; i++) {
      const startedAt = local(round.date, round.from) + (offsetMin + i * 10) * 60_000
      plays.push({ itemId: ITEMS[(i + offsetMin) % ITEMS.length]!, startedAt, endedAt: startedAt + 30_000 })
    }
  }
  return plays
}

const scripts = {
  'bang-phu-an': [
    ...script(0, [{ date: '2026-03-31', from: '06:00:00', count: 40 }, { date: '2026-04-01', from: '06:00:00', count: 7 }]),
    // Half a minute either side of midnight in Hà Nội: 00:00:30 on the 1st is still the 31st in UTC.
    { itemId: 'bao-lu', startedAt: local('2026-03-31', '23:59:00'), endedAt: local('2026-03-31', '23:59:30') },
    { itemId: 'bao-lu', startedAt: local('2026-04-01', '00:00:30'), endedAt: local('2026-04-01', '00:01:00') }
  ],
  'bang-phu-lam': script(1, [{ date: '2026-03-31', from: '07:00:00', count: 25 }, { date: '2026-04-01', from: '07:00:00', count: 12 }])
}
const boards: BoardPlacement = new Map([
  ['bang-phu-an', { unitId: 'xa-phu-an', unitName: 'UBND xã Phú An' }],
  ['bang-phu-lam', { unitId: 'xa-phu-lam', unitName: 'UBND xã Phú Lâm' }]
])

/** The script tallied independently of the code under test: key → plays. */
function tally(key: (deviceId: string, play: { itemId: string; startedAt: number }) => string): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const [deviceId, plays] of Object.entries(scripts)) {
    for (const play of plays) counts[key(deviceId, play)] = (counts[key(deviceId, play)] ?? 0) + 1
  }
  return counts
}
const hanoiDay = (ms: number) => new Date(ms + 7 * 3_600_000).toISOString().slice(0, 10)

async function readXlsx(bytes: Buffer): Promise<{ header: unknown[]; notes: unknown[]; rows: unknown[][] }> {
  const workbook = new ExcelJS.Workbook()
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer)
  const sheet = workbook.worksheets[0]!
  const values = (n: number) => (sheet.getRow(n).values as unknown[]).slice(1)
  const rows: unknown[][] = []
  for (let n = 2; n <= sheet.rowCount; n++) rows.push(values(n))
  return { header: values(1), notes: sheet.getRow(1).values ? (values(1) as unknown[]).map((_, i) => sheet.getRow(1).getCell(i + 1).note) : [], rows }
}

function readCsv(bytes: Buffer): { bom: boolean; header: string[]; rows: string[][] } {
  const text = bytes.toString('utf8')
  const lines = text.replace(/^\uFEFF/, '').split('\r\n').filter(Boolean)
  // The scripted values hold no commas or quotes, so a plain split reads them.
  return { bom: text.startsWith('\uFEFF'), header: lines[0]!.split(','), rows: lines.slice(1).map((line) => line.split(',')) }
}

describe('reports over a scripted day on two real boards', () => {
  const tempDir = useTempDirs()
  const cleanup: (() => Promise<void>)[] = []
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step()
  })

  it('plays per day/board/item, per unit and month, per item equal the journals; uptime per board per month; CSV = XLSX', async () => {
    const server = await startTestServer({ port: 0 })
    cleanup.push(() => server.close())
    server.publish(NOTICE, new Map())
    const ledger = (days: Record<string, { upMs: number; downMs: number }>) => async (dataDir: string) => {
      await mkdir(join(dataDir, 'state'), { recursive: true })
      await writeFile(join(dataDir, 'state', 'uptime.json'), JSON.stringify({ version: 1, days, last: null, session: null, clockUnset: { upMs: 0, downMs: 0 } }))
    }
    const started = [
      await startBoard(server, 'bang-phu-an', await tempDir(), cleanup, ledger({ '2026-03-30': { upMs: 36_000_000, downMs: 0 }, '2026-03-31': { upMs: 30_000_000, downMs: 6_000_000 }, '2026-04-01': { upMs: 18_000_000, downMs: 0 } })),
      await startBoard(server, 'bang-phu-lam', await tempDir(), cleanup, ledger({ '2026-03-31': { upMs: 7_200_000, downMs: 28_800_000 } }))
    ]
    for (const board of started) {
      for (const play of scripts[board.deviceId as keyof typeof scripts]) board.screen.fromScreen('played', { ...play, programVersion: 'v1/main/chinh' })
    }
    for (const board of started) {
      await expect.poll(() => server.playRecords(board.deviceId).length, { timeout: 20_000 }).toBe(scripts[board.deviceId as keyof typeof scripts].length)
    }
    // What each journal carried is exactly the script (the board clock's correction is 0 against a local server).
    for (const board of started) {
      const carried = server.playRecords(board.deviceId).map((r) => `${r.itemId}@${r.startedAt}-${r.endedAt}`).sort()
      expect(carried).toEqual(scripts[board.deviceId as keyof typeof scripts].map((p) => `${p.itemId}@${p.startedAt}-${p.endedAt}`).sort())
    }
    await expect.poll(() => server.uptimeDays('bang-phu-lam').some((d) => d.date === '2026-03-31'), { timeout: 20_000 }).toBe(true)
    await expect.poll(() => server.uptimeDays('bang-phu-an').some((d) => d.date === '2026-04-01'), { timeout: 20_000 }).toBe(true)

    const source = playSourceFromServer(server)
    const range = { from: '2026-03-01', to: '2026-04-30' }
    const count = (table: ReportTable, ...keys: string[]) => Object.fromEntries(table.rows.map((row) => [keys.map((k) => row[k]).join(' '), row.plays]))

    const byDay = await playsReport({ ...range, source, boards, groupBy: ['day', 'board', 'item'] })
    expect(count(byDay, 'day', 'board', 'item')).toEqual(tally((deviceId, play) => `${hanoiDay(play.startedAt)} ${deviceId} ${play.itemId}`))
    expect(byDay.rows.find((row) => row.day === '2026-04-01' && row.board === 'bang-phu-an' && row.item === 'bao-lu')).toBeDefined()
    for (const row of byDay.rows) expect(row.seconds).toBe(30 * (row.plays as number))

    const byMonthUnit = await playsReport({ ...range, source, boards, groupBy: ['month', 'unit'] })
    expect(count(byMonthUnit, 'month', 'unitName')).toEqual(tally((deviceId, play) => `${hanoiDay(play.startedAt).slice(0, 7)} ${boards.get(deviceId)!.unitName}`))
    expect(count(byMonthUnit, 'month', 'unitName')).toEqual({ '2026-03 UBND xã Phú An': 41, '2026-03 UBND xã Phú Lâm': 25, '2026-04 UBND xã Phú An': 8, '2026-04 UBND xã Phú Lâm': 12 })
    const byItem = await playsReport({ ...range, source, boards, groupBy: ['item'] })
    expect(count(byItem, 'item')).toEqual(tally((_, play) => play.itemId))
    // A district's report holds only its boards; a range of one day only that day.
    const oneBoard = await playsReport({ from: '2026-04-01', to: '2026-04-01', source, boards: new Map([['bang-phu-lam', boards.get('bang-phu-lam')!]]), groupBy: ['board'] })
    expect(count(oneBoard, 'board')).toEqual({ 'bang-phu-lam': 12 })

    const uptime = await uptimeReport({ ...range, source: server, boards })
    expect(uptime.rows.map((row) => [row.board, row.month, row.days, row.upHours, row.downHours, row.percent])).toEqual([
      ['bang-phu-an', '2026-03', 2, 18.33, 1.67, 91.7],
      ['bang-phu-an', '2026-04', 1, 5, 0, 100],
      ['bang-phu-lam', '2026-03', 1, 2, 8, 20]
    ])

    for (const table of [byDay, byMonthUnit, uptime]) {
      const csv = readCsv(reportCsv(table))
      const xlsx = await readXlsx(await reportXlsx(table))
      expect(csv.bom).toBe(true)
      expect(csv.header).toEqual(table.columns.map((c) => c.vi))
      expect(xlsx.header).toEqual(csv.header)
      expect(xlsx.notes).toEqual(table.columns.map((c) => c.en))
      expect(xlsx.rows.map((row) => row.map((cell) => (cell === undefined || cell === null ? '' : String(cell))))).toEqual(csv.rows)
      expect(xlsx.rows.length).toBe(table.rows.length)
    }
    expect(readCsv(reportCsv(byMonthUnit)).header).toEqual(['Tháng', 'Mã đơn vị', 'Đơn vị', 'Số lượt phát', 'Thời lượng phát (giây)'])
  }, 90_000)
})
