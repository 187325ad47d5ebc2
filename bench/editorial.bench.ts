// The editorial room at a district's scale: a year of proof of play for 100 boards (about 1.1 million plays)
// grouped for the yearly report and written as CSV and XLSX; the delivery list of an emergency sent to 1 000
// boards, computed from 100 000 acks into a real SQLite file. Targets are what an officer waits for.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { openSqlite } from '../server/db/database'
import { EmergencyDesk } from '../server/editorial/emergencies'
import { reportCsv, reportXlsx } from '../server/editorial/report-files'
import { playsReport, type PlayRow } from '../server/editorial/reports'
import type { BenchRow } from './report'

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now()
  const value = await work()
  return { ms: performance.now() - start, value }
}

function row(name: string, value: number, unit: string, targetMs: number | null, detail?: string): BenchRow {
  return { section: 'editorial', name, value, unit, target: targetMs === null ? null : `< ${targetMs} ms`, ok: targetMs === null ? null : value < targetMs, ...(detail ? { detail } : {}) }
}

export async function editorialBench(opts: { boards: number; playsPerDay: number; deliveryBoards: number }): Promise<BenchRow[]> {
  const rows: BenchRow[] = []
  const start = Date.parse('2026-01-01T00:00:00+07:00')
  const plays: PlayRow[] = []
  for (let b = 0; b < opts.boards; b++) {
    for (let d = 0; d < 365; d++) {
      for (let p = 0; p < opts.playsPerDay; p++) {
        const startedAt = start + d * 86_400_000 + 6 * 3_600_000 + p * 600_000
        plays.push({ deviceId: `bang-${b}`, id: `bang-${b}:${d}:${p}`, itemId: `tin-${p % 5}`, startedAt, endedAt: startedAt + 30_000 })
      }
    }
  }
  const boards = new Map(Array.from({ length: opts.boards }, (_, b) => [`bang-${b}`, { unitId: `xa-${b % 20}`, unitName: `Xã ${b % 20}` }]))
  const source = { plays: () => plays }
  const range = { from: '2026-01-01', to: '2026-12-31', source, boards }
  const monthly = await timed(() => playsReport({ ...range, groupBy: ['month', 'unit'] }))
  rows.push(row('plays report, year by month × unit', monthly.ms, 'ms', 5_000, `${plays.length} plays, ${monthly.value.rows.length} rows`))
  const daily = await timed(() => playsReport({ ...range, groupBy: ['day', 'board', 'item'] }))
  rows.push(row('plays report, year by day × board × item', daily.ms, 'ms', 5_000, `${daily.value.rows.length} rows`))
  const csv = await timed(async () => reportCsv(daily.value))
  rows.push(row('CSV of that table', csv.ms, 'ms', 5_000, `${(csv.value.length / 1024 / 1024).toFixed(1)} MiB`))
  const xlsx = await timed(() => reportXlsx(daily.value))
  rows.push(row('XLSX of that table', xlsx.ms, 'ms', 30_000, `${(xlsx.value.length / 1024 / 1024).toFixed(1)} MiB`))

  const dir = await mkdtemp(join(tmpdir(), 'bangtin-bench-editorial-'))
  try {
    const opened = await openSqlite(join(dir, 'source.sqlite'))
    const deviceIds = Array.from({ length: opts.deliveryBoards }, (_, b) => `bang-${b}`)
    const acks: { deviceId: string; receivedAt: number; valid: boolean; ack: unknown }[] = []
    const sender = { emergency: (input: { id?: string; title: string }) => ({ id: input.id ?? '', title: input.title, body: '', issuedAt: '', expiresAt: '' }), clearEmergency: () => {} }
    const desk = new EmergencyDesk({ db: opened.db, sender, source: { acks, latestHeartbeat: () => null } })
    const send = await timed(() => desk.send({ templateId: 'bao', fields: { ten_bao: 'số 3', dia_ban: 'toàn tỉnh', thoi_gian: '14 giờ', dien_thoai: '113' }, unitIds: ['tinh'], deviceIds, ttlSec: 3600 }, { userId: 'bench', roles: ['duyet'] }))
    rows.push(row(`send to ${opts.deliveryBoards} boards (recorded)`, send.ms, 'ms', 2_000))
    // Each board: 99 acks about other things (manifests, commands) and its emergency-start.
    const now = Date.now()
    for (const deviceId of deviceIds) {
      for (let i = 0; i < 99; i++) acks.push({ deviceId, receivedAt: now, valid: true, ack: { kind: 'manifest', id: `v${i}`, at: new Date(now).toISOString() } })
      acks.push({ deviceId, receivedAt: now, valid: true, ack: { kind: 'emergency-start', id: send.value.id, at: new Date(now).toISOString() } })
    }
    const first = await timed(() => desk.delivery(send.value.id))
    rows.push(row(`delivery list, ${opts.deliveryBoards} boards, first look (stores ${opts.deliveryBoards} shown)`, first.ms, 'ms', 3_000, `${acks.length} acks scanned`))
    const again = await timed(() => desk.delivery(send.value.id))
    rows.push(row('delivery list, next look', again.ms, 'ms', 1_000))
    await opened.close()
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
  return rows
}
