// The editorial console API through real HTTP on 127.0.0.1, a real SQLite file and the real reference server:
// roles, unit subtrees (a district neither sees nor touches another's emergencies, submissions or boards),
// the bilingual field errors, and report downloads (CSV with BOM, XLSX) holding only the caller's boards.
import ExcelJS from 'exceljs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Actor as ApiActor, Authenticated, Role } from '../../../server/api/actor'
import { createConsoleApi } from '../../../server/api/console-api'
import { ALL_ROUTES, SCOPE_KINDS } from '../../../server/api/registry'
import type { OpenedDatabase } from '../../../server/db/database'
import { ApprovalDesk } from '../../../server/editorial/approval'
import { EmergencyDesk } from '../../../server/editorial/emergencies'
import { playSourceFromServer } from '../../../server/editorial/reports'
import { createStream, createTextNotice } from '../../../server/library/content'
import { createLibrary } from '../../../server/library/library'
import type { EditorialServices } from '../../../server/editorial/routes'
import { startTestServer, type TestServer } from '../../../server/testing/test-server'
import { rawRequest } from '../helpers'
import { openEditorialDb } from './boards'

// tinh ─┬─ huyen-a ─┬─ xa-1 (bang-1)
//       │           └─ xa-2 (bang-2)
//       └─ huyen-b ─── xa-3 (bang-3)
const UNITS = [
  { id: 'tinh', parent: null, path: '/tinh/', level: 'tinh', name: 'Tỉnh Gia Lai' },
  { id: 'huyen-a', parent: 'tinh', path: '/tinh/huyen-a/', level: 'huyen', name: 'Huyện A' },
  { id: 'huyen-b', parent: 'tinh', path: '/tinh/huyen-b/', level: 'huyen', name: 'Huyện B' },
  { id: 'xa-1', parent: 'huyen-a', path: '/tinh/huyen-a/xa-1/', level: 'xa', name: 'Xã Một' },
  { id: 'xa-2', parent: 'huyen-a', path: '/tinh/huyen-a/xa-2/', level: 'xa', name: 'Xã Hai' },
  { id: 'xa-3', parent: 'huyen-b', path: '/tinh/huyen-b/xa-3/', level: 'xa', name: 'Xã Ba' }
] as const
const PLACED = { 'bang-1': 'xa-1', 'bang-2': 'xa-2', 'bang-3': 'xa-3' } as const
const BOARD_NAMES: Record<string, string> = { 'bang-1': 'Bảng chợ Xã Một', 'bang-2': 'Bảng UBND Xã Hai', 'bang-3': 'Bảng Xã Ba' }

function caller(userId: string, role: Role, unitId: string, subtree: string[]): Authenticated {
  const actor: ApiActor = { userId, unitId, role, subtree: new Set(subtree), atRoot: unitId === 'tinh', via: 'token' }
  return { actor, csrfToken: null, mustChangePassword: false }
}
const CALLERS: Record<string, Authenticated> = {
  'duyet-a': caller('duyet-a', 'duyet', 'huyen-a', ['huyen-a', 'xa-1', 'xa-2']),
  'duyet-b': caller('duyet-b', 'duyet', 'huyen-b', ['huyen-b', 'xa-3']),
  'bien-tap-a': caller('bien-tap-a', 'bien-tap', 'huyen-a', ['huyen-a', 'xa-1', 'xa-2']),
  'xem-a': caller('xem-a', 'xem', 'huyen-a', ['huyen-a', 'xa-1', 'xa-2']),
  'quan-tri-tinh': caller('quan-tri-tinh', 'quan-tri', 'tinh', UNITS.map((u) => u.id))
}
const SUBJECTS = new Map([
  ['publication/ban-tin-a', { unitId: 'xa-1', summary: 'Bản tin xã Một' }],
  ['publication/ban-tin-b', { unitId: 'xa-3', summary: 'Bản tin xã Ba' }]
])

let server: TestServer
let opened: OpenedDatabase
let dir = ''
const cleanup: (() => Promise<void>)[] = []

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bangtin-editorial-api-'))
  opened = await openEditorialDb(dir, cleanup)
  const { db } = opened
  const now = new Date().toISOString()
  for (const u of UNITS) await db.insertInto('units').values({ id: u.id, parent_id: u.parent, level: u.level, name: u.name, path: u.path, created_at: now }).execute()
  for (const [deviceId, unitId] of Object.entries(PLACED)) {
    await db.insertInto('board_placements').values({ device_id: deviceId, unit_id: unitId, display_name: BOARD_NAMES[deviceId] ?? deviceId, tags: '[]', updated_at: now }).execute()
  }
  let services: EditorialServices | null = null
  const consoleApi = createConsoleApi({
    db,
    routes: ALL_ROUTES,
    kinds: SCOPE_KINDS,
    authenticate: async (req) => CALLERS[(req.headers.authorization ?? '').replace(/^Bearer /, '')] ?? null,
    // The desks need the server and the server needs this API: the services are read per request, set once both exist.
    get services() {
      return services ? { editorial: services } : {}
    }
  })
  server = await startTestServer({ port: 0, consoleApi })
  for (const deviceId of Object.keys(PLACED)) server.addDevice(deviceId)
  services = {
    emergencies: new EmergencyDesk({ db, sender: server, source: server }),
    approval: new ApprovalDesk({
      db,
      publish: (s) => void server.publish({ schema: 'bangtin.manifest/v1', version: s.subjectId, playlists: [{ id: 'p', name: s.summary, items: [{ id: 't', kind: 'text', body: s.summary, durationSec: 10 }] }], assets: [] }, new Map(), { deviceIds: ['bang-1'] })
    }),
    plays: playSourceFromServer(server),
    uptime: server,
    subjects: {
      unitOf: async (kind, id) => SUBJECTS.get(`${kind}/${id}`)?.unitId ?? null,
      summaryOf: async (kind, id) => SUBJECTS.get(`${kind}/${id}`)?.summary ?? id
    }
  }
})

afterAll(async () => {
  await server.close()
  for (const step of cleanup.splice(0).reverse()) await step()
  await rm(dir, { recursive: true, force: true })
})

async function call(who: string, method: string, path: string, body?: unknown) {
  const headers: Record<string, string> = { Authorization: `Bearer ${who}` }
  if (body !== undefined) headers['Content-Type'] = 'application/json'
  const res = await rawRequest(`${server.url}/console/api${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) })
  const json = (res.headers['content-type'] ?? '').startsWith('application/json') ? (JSON.parse(res.body.toString('utf8')) as Record<string, unknown>) : null
  return { status: res.status, headers: res.headers, body: res.body, json }
}
const flood = { templateId: 'lu', fields: { song: 'sông Ba', dia_ban: 'huyện A', thoi_gian: '14 giờ', dien_thoai: '113' }, ttlSec: 3600 }

describe('editorial console API', () => {
  it('templates for anyone signed in; send by duyet/quan-tri only, to units in their subtree, resolved to the boards under them', async () => {
    const templates = await call('xem-a', 'GET', '/emergencies/templates')
    expect((templates.json?.templates as { id: string }[]).map((t) => t.id)).toEqual(['bao', 'lu', 'sat-lo', 'dich-benh', 'chay-rung', 'tu-soan'])
    expect((await call('xem-a', 'POST', '/emergencies', { ...flood, unitIds: ['huyen-a'] })).status).toBe(403)
    expect((await call('bien-tap-a', 'POST', '/emergencies', { ...flood, unitIds: ['huyen-a'] })).status).toBe(403)
    expect(await call('duyet-a', 'POST', '/emergencies', { ...flood, unitIds: ['xa-3'] })).toMatchObject({ status: 403, json: { error: { code: 'forbidden-unit', field: 'body.unitIds' } } })
    expect(await call('duyet-a', 'POST', '/emergencies', { ...flood, fields: { ...flood.fields, dia_ban: '' }, unitIds: ['huyen-a'] })).toMatchObject({
      status: 400,
      json: { error: { field: 'fields.dia_ban', vi: 'Chưa nhập "Địa bàn".', en: '"Area" is required.' } }
    })
    const sent = await call('duyet-a', 'POST', '/emergencies', { ...flood, unitIds: ['huyen-a'] })
    expect(sent.status).toBe(201)
    const id = sent.json?.id as string
    const delivery = await call('xem-a', 'GET', `/emergencies/${id}/delivery`)
    expect((delivery.json?.boards as { deviceId: string; state: string }[]).map((b) => [b.deviceId, b.state])).toEqual([
      ['bang-1', 'pending'],
      ['bang-2', 'pending']
    ])
    // Another district: unknown, not forbidden (it learns nothing), and cannot re-send or clear it.
    expect((await call('duyet-b', 'GET', `/emergencies/${id}/delivery`)).status).toBe(404)
    expect((await call('duyet-b', 'POST', `/emergencies/${id}/clear`, {})).status).toBe(404)
    expect((await call('duyet-b', 'POST', `/emergencies/${id}/resend`, {})).status).toBe(404)
    expect((await call('duyet-b', 'GET', '/emergencies')).json?.emergencies).toEqual([])
    expect(((await call('quan-tri-tinh', 'GET', '/emergencies')).json?.emergencies as { id: string }[]).map((e) => e.id)).toEqual([id])

    expect((await call('duyet-a', 'POST', `/emergencies/${id}/resend`, {})).json).toEqual({ pushedTo: ['bang-1', 'bang-2'] })
    expect(await call('duyet-a', 'POST', `/emergencies/${id}/clear`, { deviceIds: ['bang-2', 'bang-3'] })).toMatchObject({ status: 403, json: { error: { code: 'forbidden-unit', field: 'body.deviceIds' } } })
    expect((await call('duyet-a', 'POST', `/emergencies/${id}/clear`, { deviceIds: ['bang-2'] })).json).toEqual({ clearedFor: ['bang-2'] })
    const audit = await opened.db.selectFrom('audit_log').select(['action', 'user_id', 'target']).where('action', 'like', 'emergency.%').orderBy('id').execute()
    expect(audit).toEqual([
      { action: 'emergency.send', user_id: 'duyet-a', target: id },
      { action: 'emergency.resend', user_id: 'duyet-a', target: id },
      { action: 'emergency.clear', user_id: 'duyet-a', target: id }
    ])
  })

  it('approval: submit only what is in your units; approve/send back by duyet in the unit; reason required; history', async () => {
    expect((await call('bien-tap-a', 'POST', '/approvals', { kind: 'publication', subjectId: 'ban-tin-b' })).status).toBe(404)
    const submitted = await call('bien-tap-a', 'POST', '/approvals', { kind: 'publication', subjectId: 'ban-tin-a' })
    expect(submitted).toMatchObject({ status: 201, json: { state: 'submitted', unitId: 'xa-1', summary: 'Bản tin xã Một' } })
    const id = submitted.json?.id as number
    expect(((await call('xem-a', 'GET', '/approvals')).json?.submissions as unknown[]).length).toBe(1)
    expect((await call('duyet-b', 'GET', '/approvals')).json?.submissions).toEqual([])
    expect((await call('duyet-b', 'POST', `/approvals/${id}/approve`)).json).toMatchObject({ error: { code: 'forbidden-unit' } })
    expect((await call('bien-tap-a', 'POST', `/approvals/${id}/approve`)).status).toBe(403)
    expect(await call('duyet-a', 'POST', `/approvals/${id}/send-back`, { reason: ' ' })).toMatchObject({ status: 400, json: { error: { field: 'reason', vi: 'Phải nêu lý do trả lại.' } } })
    expect(await call('duyet-a', 'POST', `/approvals/${id}/send-back`, { reason: '\u200b' })).toMatchObject({ status: 400, json: { error: { field: 'body.reason', vi: expect.stringContaining('Lý do trả lại') } } })
    expect(await call('duyet-a', 'POST', `/approvals/${id}/send-back`, { reason: 'Sai \u202Eđịa chỉ' })).toMatchObject({ status: 400, json: { error: { field: 'body.reason' } } })
    expect((await call('duyet-a', 'POST', `/approvals/999/approve`)).status).toBe(404)
    expect((await call('duyet-a', 'POST', `/approvals/${id}/approve`)).json).toMatchObject({ state: 'approved', decidedBy: 'duyet-a' })
    const history = await call('xem-a', 'GET', '/approvals/history?kind=publication&subjectId=ban-tin-a')
    expect((history.json?.events as { action: string }[]).map((e) => e.action)).toEqual(['submit', 'approve'])
    expect((await call('duyet-b', 'GET', '/approvals/history?kind=publication&subjectId=ban-tin-a')).json?.events).toEqual([])
  })

  it('reports as JSON, CSV and XLSX hold only the caller’s boards; another district’s unit is refused', async () => {
    const day = '2026-06-15'
    const at = Date.parse(`${day}T09:00:00+07:00`)
    // Proof of play as boards send it, over the device API.
    for (const [deviceId, n] of [['bang-1', 3], ['bang-3', 5]] as const) {
      const token = server.addDevice(deviceId).token
      const entries = Array.from({ length: n }, (_, i) => ({ id: `${deviceId}:${i}`, seq: i + 1, itemId: 'tin', programVersion: 'v', startedAt: at + i * 60_000, endedAt: at + i * 60_000 + 10_000 }))
      const res = await rawRequest(`${server.url}/api/v1/devices/${deviceId}/reports`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ kind: 'plays', batch: { batchId: `b-${deviceId}`, entries, dropped: { entries: 0, segments: 0 } } })
      })
      expect(res.status).toBeLessThan(300)
    }
    const json = await call('duyet-a', 'GET', `/reports/plays?from=${day}&to=${day}&groupBy=board`)
    expect(json.json?.rows).toEqual([{ board: 'bang-1', boardName: 'Bảng chợ Xã Một', plays: 3, seconds: 30 }])
    const province = await call('quan-tri-tinh', 'GET', `/reports/plays?from=${day}&to=${day}&groupBy=unit`)
    expect(province.json?.rows).toEqual([
      { unitId: 'xa-1', unitName: 'Xã Một', plays: 3, seconds: 30 },
      { unitId: 'xa-3', unitName: 'Xã Ba', plays: 5, seconds: 50 }
    ])
    expect(await call('duyet-a', 'GET', `/reports/plays?from=${day}&to=${day}&unitId=huyen-b`)).toMatchObject({ status: 403, json: { error: { field: 'query.unitId' } } })
    expect(await call('duyet-a', 'GET', `/reports/plays?from=${day}&to=2026-01-01`)).toMatchObject({ status: 400, json: { error: { field: 'to' } } })

    const csv = await call('quan-tri-tinh', 'GET', `/reports/plays?from=${day}&to=${day}&groupBy=unit&format=csv`)
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8')
    expect(csv.headers['content-disposition']).toBe(`attachment; filename="luot-phat_${day}_${day}.csv"`)
    expect(csv.body.toString('utf8')).toBe('\uFEFFMã đơn vị,Đơn vị,Số lượt phát,Thời lượng phát (giây)\r\nxa-1,Xã Một,3,30\r\nxa-3,Xã Ba,5,50\r\n')
    const xlsx = await call('quan-tri-tinh', 'GET', `/reports/plays?from=${day}&to=${day}&groupBy=unit&format=xlsx`)
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(xlsx.body as unknown as ArrayBuffer)
    const sheet = workbook.worksheets[0]!
    expect([2, 3].map((n) => (sheet.getRow(n).values as unknown[]).slice(1))).toEqual([
      ['xa-1', 'Xã Một', 3, 30],
      ['xa-3', 'Xã Ba', 5, 50]
    ])
    const deliveries = await call('duyet-b', 'GET', `/reports/emergencies?from=2026-01-01&to=2026-12-31`)
    expect(deliveries.json?.rows).toEqual([])
  })

  it('reports name what played and where (the library title or name, the board name) beside the ids, in JSON, CSV and XLSX', async () => {
    const library = createLibrary({ db: opened.db, mediaRoot: join(dir, 'media') })
    const editor = { id: 'bien-tap-a', scope: new Set(['huyen-a', 'xa-1', 'xa-2']) }
    const notice = await createTextNotice(library, editor, { unitId: 'xa-2', title: 'Tiêm chủng tháng 12', body: 'Mời bà con đưa trẻ đi tiêm.' })
    const stream = await createStream(library, editor, { unitId: 'xa-2', name: 'Truyền hình tỉnh', url: 'https://tv.example.vn/live.m3u8' })
    // Manifest item ids as server/programme/compile.ts makes them: <entry>.<position>.<content id>.
    const items = [`lich-59cdbece19d5.0.${notice.id}`, `lich-59cdbece19d5.0.${notice.id}`, `lich-59cdbece19d5.1.${stream.id}`, 'fallback']
    const day = '2026-06-16'
    const at = Date.parse(`${day}T09:00:00+07:00`)
    const token = server.addDevice('bang-2').token
    const entries = items.map((itemId, i) => ({ id: `n:${i}`, seq: i + 1, itemId, programVersion: 'v', startedAt: at + i * 60_000, endedAt: at + i * 60_000 + 10_000 }))
    const res = await rawRequest(`${server.url}/api/v1/devices/bang-2/reports`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ kind: 'plays', batch: { batchId: 'b-names', entries, dropped: { entries: 0, segments: 0 } } })
    })
    expect(res.status).toBeLessThan(300)
    const query = `/reports/plays?from=${day}&to=${day}&groupBy=board,item`
    const json = await call('duyet-a', 'GET', query)
    expect(json.json?.rows).toEqual([
      { board: 'bang-2', boardName: 'Bảng UBND Xã Hai', item: 'fallback', itemName: '', plays: 1, seconds: 10 },
      { board: 'bang-2', boardName: 'Bảng UBND Xã Hai', item: items[0], itemName: 'Tiêm chủng tháng 12', plays: 2, seconds: 20 },
      { board: 'bang-2', boardName: 'Bảng UBND Xã Hai', item: items[2], itemName: 'Truyền hình tỉnh', plays: 1, seconds: 10 }
    ])
    const csv = (await call('duyet-a', 'GET', `${query}&format=csv`)).body.toString('utf8').split('\r\n')
    expect(csv[0]).toBe('\uFEFFMã bảng tin,Tên bảng tin,Mã nội dung,Tên nội dung,Số lượt phát,Thời lượng phát (giây)')
    expect(csv[2]).toBe(`bang-2,Bảng UBND Xã Hai,${items[0]},Tiêm chủng tháng 12,2,20`)
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load((await call('duyet-a', 'GET', `${query}&format=xlsx`)).body as unknown as ArrayBuffer)
    expect((workbook.worksheets[0]!.getRow(4).values as unknown[]).slice(1)).toEqual(['bang-2', 'Bảng UBND Xã Hai', items[2], 'Truyền hình tỉnh', 1, 10])
    const uptimeColumns = (await call('duyet-a', 'GET', `/reports/uptime?from=${day}&to=${day}`)).json?.columns as { key: string; vi: string }[]
    expect(uptimeColumns.map((c) => c.vi)).toContain('Tên bảng tin')
  })

  it('an emergency the officer writes (template tu-soan): title and text as typed, a blank field refused by name', async () => {
    expect(await call('duyet-a', 'POST', '/emergencies', { templateId: 'tu-soan', fields: { tieu_de: 'MẤT NƯỚC', noi_dung: ' ' }, unitIds: ['huyen-a'] })).toMatchObject({ status: 400, json: { error: { field: 'fields.noi_dung' } } })
    for (const tieu_de of ['\u202EC\u1ea4P C\u1ee8U', '\u200b\ufeff']) {
      const hostile = await call('duyet-a', 'POST', '/emergencies', { templateId: 'tu-soan', fields: { tieu_de, noi_dung: 'Nội dung' }, unitIds: ['huyen-a'] })
      expect(hostile, JSON.stringify(tieu_de)).toMatchObject({ status: 400, json: { error: { field: 'fields.tieu_de' } } })
    }
    const written = await call('duyet-a', 'POST', '/emergencies', { templateId: 'tu-soan', fields: { tieu_de: 'THÔNG BÁO MẤT NƯỚC', noi_dung: 'Vỡ đường ống chính; nước có lại từ 18 giờ.' }, unitIds: ['huyen-a'], ttlSec: 3600 })
    expect(written).toMatchObject({ status: 201, json: { title: 'THÔNG BÁO MẤT NƯỚC', body: 'Vỡ đường ống chính; nước có lại từ 18 giờ.' } })
    expect((await call('duyet-a', 'POST', `/emergencies/${written.json?.id as string}/clear`, {})).status).toBe(200)
  })
})
