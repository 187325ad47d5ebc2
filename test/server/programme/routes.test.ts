// The programme's console API over real HTTP and a real SQLite file: roles (xem reads, bien-tap writes),
// every id checked against the caller's units (another district's playlist, unit, board: 403 naming the
// field), bilingual field errors, submit, and what a board plays when after a publication.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Authenticated, Role } from '../../../server/api/actor'
import { createConsoleApi } from '../../../server/api/console-api'
import { SCOPE_KINDS } from '../../../server/api/registry'
import { openSqlite, type OpenedDatabase } from '../../../server/db/database'
import { placedBoards } from '../../../server/programme/boards'
import { publishProgramme } from '../../../server/programme/publish'
import { programmeRoutes } from '../../../server/programme/routes'
import { setEntryStatus } from '../../../server/programme/store'
import { startTestServer, type TestServer } from '../../../server/testing/test-server'
import { rawRequest } from '../helpers'
import { textContent, UNIT_PATHS } from './fixtures'

let dir = ''
let opened: OpenedDatabase
let server: TestServer

const subtreeOf = (unit: string) => new Set(Object.entries(UNIT_PATHS).filter(([, path]) => path.includes(unit)).map(([id]) => id))
function caller(userId: string, unitId: string, role: Role): Authenticated {
  return { actor: { userId, unitId, role, subtree: subtreeOf(unitId), atRoot: unitId === 'tinh', via: 'token' }, csrfToken: null, mustChangePassword: false }
}
const callers: Record<string, Authenticated> = {
  'editor-h1': caller('u-1', 'h1', 'bien-tap'),
  'editor-h2': caller('u-2', 'h2', 'bien-tap'),
  'viewer-h1': caller('u-3', 'h1', 'xem'),
  'approver-tinh': caller('u-4', 'tinh', 'duyet'),
  'editor-x1': caller('u-5', 'x1', 'bien-tap')
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bangtin-programme-api-'))
  opened = await openSqlite(join(dir, 'source.sqlite'))
  const at = new Date().toISOString()
  for (const [id, path] of Object.entries(UNIT_PATHS)) {
    const parent = path[1] ?? null
    await opened.db
      .insertInto('units')
      .values({ id, parent_id: parent, level: path.length === 1 ? 'tinh' : path.length === 2 ? 'huyen' : 'xa', name: id, path: `/${[...path].reverse().join('/')}/`, created_at: at })
      .execute()
  }
  for (const [device, unit, tags] of [['bang-1', 'x1', ['cho']], ['bang-4', 'x3', ['cho']]] as const) {
    await opened.db.insertInto('board_placements').values({ device_id: device, unit_id: unit, display_name: device, tags: JSON.stringify(tags), updated_at: at }).execute()
  }
  // Library items a playlist may name: the commune x1's notice, and a draft of its sibling commune x2.
  for (const [id, unit] of [['tin-1', 'x1'], ['nhap-x2', 'x2']] as const) {
    await opened.db
      .insertInto('library_content')
      .values({ id, unit_id: unit, kind: 'text', name: id, media_sha256: null, title: null, body: id, url: null, fit: null, speed: null, muted: null, volume: null, created_by: 'u-1', created_at: at, updated_at: at })
      .execute()
  }
  const consoleApi = createConsoleApi({
    db: opened.db,
    routes: programmeRoutes,
    kinds: SCOPE_KINDS,
    onError: (error) => console.error(error),
    authenticate: async (req) => callers[(req.headers.authorization ?? '').replace(/^Bearer /, '')] ?? null
  })
  server = await startTestServer({ consoleApi })
})

afterAll(async () => {
  await server.close()
  await opened.close()
  rmSync(dir, { recursive: true, force: true })
})

async function call(method: string, path: string, who: string, body?: unknown) {
  const headers: Record<string, string> = { Authorization: `Bearer ${who}` }
  if (body !== undefined) headers['Content-Type'] = 'application/json'
  const res = await rawRequest(`${server.url}/console/api${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) })
  const text = res.body.toString('utf8')
  return { status: res.status, json: (text ? JSON.parse(text) : {}) as Record<string, unknown> }
}

/** The error of an answer, typed for reading. */
const errorOf = (reply: { json: Record<string, unknown> }) => reply.json.error as { code: string; field: string | null; vi: string; en: string }

const entryBody = (playlistId: string, extra: Record<string, unknown> = {}) => ({
  unitId: 'x1',
  playlistId,
  name: 'Lịch tiêm chủng',
  windows: [{ from: '07:00', to: '09:00' }],
  targetUnitIds: ['x1'], targetTags: [], targetBoardIds: [],
  ...extra
})

describe('programme console API', () => {
  let playlistId = ''
  let entryId = ''

  it('bien-tap creates a playlist in its subtree; xem may not; another district is 403 naming the field', async () => {
    const created = await call('POST', '/playlists', 'editor-h1', { unitId: 'x1', name: 'Bản tin xã', items: [{ contentId: 'tin-1', durationSec: 15 }] })
    expect(created.status).toBe(201)
    playlistId = String(created.json.id)
    expect(errorOf(await call('POST', '/playlists', 'viewer-h1', { unitId: 'x1', name: 'x', items: [] })).code).toBe('forbidden-role')
    const foreign = await call('POST', '/playlists', 'editor-h1', { unitId: 'x3', name: 'x', items: [] })
    expect(foreign).toMatchObject({ status: 403, json: { error: { code: 'forbidden-unit', field: 'body.unitId' } } })
    expect((await call('GET', `/playlists/${playlistId}`, 'editor-h2')).status).toBe(403)
    expect((await call('GET', `/playlists/${playlistId}`, 'viewer-h1')).json.items).toEqual([{ contentId: 'tin-1', durationSec: 15 }])
    expect((await call('GET', '/playlists', 'editor-h2')).json.playlists).toEqual([])
    expect((await call('GET', '/playlists', 'approver-tinh')).json.playlists).toHaveLength(1)
  })

  it('refuses playlist and entry names with a bidi override or nothing visible, naming the field (server/api/human-text.ts)', async () => {
    for (const name of ['\u202EnA úhP ãX', '\u200b\u200c']) {
      const answer = await call('POST', '/playlists', 'editor-h1', { unitId: 'x1', name, items: [] })
      expect(answer, JSON.stringify(name)).toMatchObject({ status: 400, json: { error: { code: 'bad-input', field: 'body.name', vi: expect.stringContaining('Tên danh sách phát') } } })
    }
    const entry = await call('POST', '/schedule-entries', 'editor-h1', { unitId: 'x1', playlistId, name: 'Lịch\u2067 xã', targetUnitIds: ['x1'] })
    expect(entry).toMatchObject({ status: 400, json: { error: { field: 'body.name', en: expect.stringContaining('schedule entry name') } } })
  })

  it('refuses an entry with a bad window or another district’s target, naming the field, storing nothing', async () => {
    const window = await call('POST', '/schedule-entries', 'editor-h1', entryBody(playlistId, { windows: [{ from: '09:00', to: '07:00' }] }))
    expect(window).toMatchObject({ status: 400, json: { error: { code: 'bad-input', field: 'body.windows.0.to' } } })
    expect(errorOf(window).vi).toContain('kết thúc trước khi bắt đầu')
    const board = await call('POST', '/schedule-entries', 'editor-h1', entryBody(playlistId, { targetUnitIds: [], targetTags: [], targetBoardIds: ['bang-4'] }))
    expect(board).toMatchObject({ status: 403, json: { error: { field: 'body.targetBoardIds' } } })
    const unit = await call('POST', '/schedule-entries', 'editor-h1', entryBody(playlistId, { targetUnitIds: ['h2'], targetTags: [], targetBoardIds: [] }))
    expect(unit).toMatchObject({ status: 403, json: { error: { field: 'body.targetUnitIds' } } })
    const missing = await call('POST', '/schedule-entries', 'editor-h1', entryBody('ds-khong-co'))
    expect(missing).toMatchObject({ status: 404, json: { error: { field: 'body.playlistId' } } })
    expect((await call('GET', '/schedule-entries', 'editor-h1')).json.entries).toEqual([])
  })

  it('creates, submits once, lists by status; another district cannot see or touch it', async () => {
    const created = await call('POST', '/schedule-entries', 'editor-h1', entryBody(playlistId))
    expect(created).toMatchObject({ status: 201, json: { status: 'draft', priority: 'thuong' } })
    entryId = String(created.json.id)
    expect((await call('POST', `/schedule-entries/${entryId}/submit`, 'editor-h2')).status).toBe(403)
    expect((await call('PUT', `/schedule-entries/${entryId}`, 'editor-h2', entryBody(playlistId, { unitId: 'h2' }))).status).toBe(403)
    expect((await call('POST', `/schedule-entries/${entryId}/submit`, 'editor-h1')).json.status).toBe('submitted')
    expect(errorOf(await call('POST', `/schedule-entries/${entryId}/submit`, 'editor-h1'))).toMatchObject({ code: 'conflict', field: 'status' })
    const submitted = (await call('GET', '/schedule-entries?status=submitted', 'approver-tinh')).json.entries as { id: string }[]
    expect(submitted.map((e) => e.id)).toEqual([entryId])
    expect((await call('GET', '/schedule-entries?status=submitted', 'editor-h2')).json.entries).toEqual([])
    // Deleting the playlist it plays is refused naming the entry, in both languages; another district may
    // neither delete nor rename it.
    const used = await call('DELETE', `/playlists/${playlistId}`, 'editor-h1')
    expect(used).toMatchObject({ status: 409, json: { error: { code: 'conflict', field: 'params.id' } } })
    expect(errorOf(used).vi).toContain('“Lịch tiêm chủng”')
    expect(errorOf(used).en).toContain('“Lịch tiêm chủng”')
    expect(errorOf(await call('DELETE', `/playlists/${playlistId}`, 'editor-h2'))).toMatchObject({ code: 'forbidden-unit', field: 'params.id' })
    expect((await call('PUT', `/playlists/${playlistId}`, 'editor-h2', { unitId: 'x1', name: 'Đổi tên', items: [] })).status).toBe(403)
    expect((await call('GET', `/playlists/${playlistId}`, 'editor-h1')).json.name).toBe('Bản tin xã')
    // Renamed (PATCH, the name only): the submitted entry stays submitted (nothing a board shows changed).
    expect((await call('PATCH', `/playlists/${playlistId}`, 'editor-h2', { name: 'Đổi tên' })).json).toMatchObject({ error: { code: 'forbidden-unit', field: 'params.id' } })
    expect(errorOf(await call('PATCH', `/playlists/${playlistId}`, 'viewer-h1', { name: 'Đổi tên' })).code).toBe('forbidden-role')
    expect(await call('PATCH', `/playlists/${playlistId}`, 'editor-h1', { name: '   ' })).toMatchObject({ status: 400, json: { error: { field: 'body.name' } } })
    const renamed = await call('PATCH', `/playlists/${playlistId}`, 'editor-h1', { name: 'Bản tin xã tháng 12' })
    expect(renamed).toMatchObject({ status: 200, json: { id: playlistId, name: 'Bản tin xã tháng 12', items: [{ contentId: 'tin-1', durationSec: 15 }] } })
    expect((await call('GET', `/schedule-entries/${entryId}`, 'editor-h1')).json.status).toBe('submitted')
    expect((await call('PATCH', `/playlists/${playlistId}`, 'editor-h1', { name: 'Bản tin xã' })).status).toBe(200)
  })

  it('a playlist saved with the same items leaves its entries as they were; a real change sends them back to draft', async () => {
    const items = [{ contentId: 'tin-1', durationSec: 15 }]
    const list = await call('POST', '/playlists', 'editor-h1', { unitId: 'x1', name: 'Danh sách chính', items })
    const id = String(list.json.id)
    const live = await call('POST', '/schedule-entries', 'editor-h1', entryBody(id, { name: 'Tiêm chủng tháng 12' }))
    const liveId = String(live.json.id)
    expect(await setEntryStatus(opened.db, liveId, ['draft'], 'approved')).toBe(true)
    // A focus and a Tab in "Số giây": the same items again (and a new name, which no board shows).
    const same = await call('PUT', `/playlists/${id}`, 'editor-h1', { unitId: 'x1', name: 'Danh sách chính (đổi tên)', items })
    expect(same).toMatchObject({ status: 200, json: { entriesBackToDraft: [], playlist: { name: 'Danh sách chính (đổi tên)', items } } })
    expect((await call('GET', `/schedule-entries/${liveId}`, 'editor-h1')).json.status).toBe('approved')
    const changed = await call('PUT', `/playlists/${id}`, 'editor-h1', { unitId: 'x1', name: 'Danh sách chính', items: [{ contentId: 'tin-1', durationSec: 20 }] })
    expect(changed).toMatchObject({ status: 200, json: { entriesBackToDraft: [liveId] } })
    expect((await call('GET', `/schedule-entries/${liveId}`, 'editor-h1')).json.status).toBe('draft')
    expect((await call('DELETE', `/schedule-entries/${liveId}`, 'editor-h1')).status).toBe(200)
  })

  it('an entry saved with nothing changed stays approved (Sửa → Lưu nháp); a real change sends it back to draft', async () => {
    const list = await call('POST', '/playlists', 'editor-h1', { unitId: 'x1', name: 'Sự cố', items: [{ contentId: 'tin-1', durationSec: 15 }] })
    const body = entryBody(String(list.json.id), { name: 'Sự cố', priority: 'uu-tien', weekdays: [5, 1], targetTags: ['truong', 'cho'], targetBoardIds: ['bang-1'] })
    const live = await call('POST', '/schedule-entries', 'editor-h1', body)
    const id = String(live.json.id)
    expect(await setEntryStatus(opened.db, id, ['draft'], 'approved')).toBe(true)
    // What the form sends back unchanged: the record as read (days and targets possibly in another order).
    const read = (await call('GET', `/schedule-entries/${id}`, 'editor-h1')).json
    const same = await call('PUT', `/schedule-entries/${id}`, 'editor-h1', { ...body, weekdays: [1, 5], targetTags: ['cho', 'truong'] })
    expect(same).toMatchObject({ status: 200, json: { status: 'approved', updatedAt: read.updatedAt } })
    const changed = await call('PUT', `/schedule-entries/${id}`, 'editor-h1', { ...body, targetTags: [] })
    expect(changed).toMatchObject({ status: 200, json: { status: 'draft', targetTags: [] } })
    expect((await call('DELETE', `/schedule-entries/${id}`, 'editor-h1')).status).toBe(200)
    expect((await call('DELETE', `/playlists/${String(list.json.id)}`, 'editor-h1')).status).toBe(200)
  })

  it('audits each playlist and entry action by name, with the object as target and its unit (not "POST /console/api/playlists" with "{}")', async () => {
    const since = (await opened.db.selectFrom('audit_log').select(({ fn }) => fn.max('id').as('id')).executeTakeFirst())?.id ?? 0
    const list = await call('POST', '/playlists', 'editor-h1', { unitId: 'x1', name: 'Nhật ký', items: [{ contentId: 'tin-1', durationSec: 15 }] })
    const playlistId = String(list.json.id)
    expect((await call('PUT', `/playlists/${playlistId}`, 'editor-h1', { unitId: 'x1', name: 'Nhật ký', items: [] })).status).toBe(200)
    expect((await call('PATCH', `/playlists/${playlistId}`, 'editor-h1', { name: 'Nhật ký 2' })).status).toBe(200)
    expect((await call('PUT', `/playlists/${playlistId}`, 'editor-h1', { unitId: 'x1', name: 'Nhật ký 2', items: [{ contentId: 'tin-1', durationSec: 15 }] })).status).toBe(200)
    const entry = await call('POST', '/schedule-entries', 'editor-h1', entryBody(playlistId, { name: 'Lịch nhật ký' }))
    const entryId = String(entry.json.id)
    expect((await call('PUT', `/schedule-entries/${entryId}`, 'editor-h1', entryBody(playlistId, { name: 'Lịch nhật ký (sửa)' }))).status).toBe(200)
    expect((await call('POST', `/schedule-entries/${entryId}/submit`, 'editor-h1')).status).toBe(200)
    expect((await call('DELETE', `/schedule-entries/${entryId}`, 'editor-h1')).status).toBe(200)
    expect((await call('DELETE', `/playlists/${playlistId}`, 'editor-h1')).status).toBe(200)
    const rows = await opened.db.selectFrom('audit_log').select(['action', 'target', 'target_unit_id', 'user_id', 'detail']).where('id', '>', Number(since)).orderBy('id').execute()
    expect(rows.map((row) => [row.action, row.target, row.target_unit_id, row.user_id])).toEqual([
      ['programme.playlist.create', playlistId, 'x1', 'u-1'],
      ['programme.playlist.update', playlistId, 'x1', 'u-1'],
      ['programme.playlist.rename', playlistId, 'x1', 'u-1'],
      ['programme.playlist.update', playlistId, 'x1', 'u-1'],
      ['programme.entry.create', entryId, 'x1', 'u-1'],
      ['programme.entry.update', entryId, 'x1', 'u-1'],
      ['programme.entry.submit', entryId, 'x1', 'u-1'],
      ['programme.entry.delete', entryId, 'x1', 'u-1'],
      ['programme.playlist.delete', playlistId, 'x1', 'u-1']
    ])
    expect(JSON.parse(rows[0]!.detail)).toEqual({ name: 'Nhật ký', items: 1 })
    expect(JSON.parse(rows[8]!.detail)).toEqual({ name: 'Nhật ký 2' })
  })

  it('refuses a playlist name another playlist of the same unit has (created, replaced or renamed): 409 naming body.name, in both languages', async () => {
    const first = await call('POST', '/playlists', 'editor-h1', { unitId: 'x1', name: 'Khác', items: [] })
    const second = await call('POST', '/playlists', 'editor-h1', { unitId: 'x1', name: 'Khác nữa', items: [] })
    const secondId = String(second.json.id)
    // NFD spelling, extra spaces: the same name once normalised. Another case is another name.
    const dup = await call('POST', '/playlists', 'editor-h1', { unitId: 'x1', name: '  Kha\u0301c  ', items: [] })
    expect(dup).toMatchObject({ status: 409, json: { error: { code: 'conflict', field: 'body.name', vi: 'Đơn vị này đã có danh sách phát tên “Khác”: hãy đặt tên khác.', en: 'This unit already has a playlist named “Khác”: choose another name.' } } })
    expect(await call('PATCH', `/playlists/${secondId}`, 'editor-h1', { name: 'Khác' })).toMatchObject({ status: 409, json: { error: { field: 'body.name' } } })
    expect(await call('PUT', `/playlists/${secondId}`, 'editor-h1', { unitId: 'x1', name: 'Khác', items: [] })).toMatchObject({ status: 409, json: { error: { field: 'body.name' } } })
    expect((await call('GET', `/playlists/${secondId}`, 'editor-h1')).json.name).toBe('Khác nữa')
    // Its own name again, another case, or the same name in another unit: accepted.
    expect((await call('PATCH', `/playlists/${secondId}`, 'editor-h1', { name: 'Khác nữa' })).status).toBe(200)
    expect((await call('PATCH', `/playlists/${secondId}`, 'editor-h1', { name: 'khác' })).status).toBe(200)
    const elsewhere = await call('POST', '/playlists', 'editor-h1', { unitId: 'x2', name: 'Khác', items: [] })
    expect(elsewhere.status).toBe(201)
    for (const id of [first.json.id, secondId, elsewhere.json.id]) expect((await call('DELETE', `/playlists/${String(id)}`, 'editor-h1')).status).toBe(200)
  })

  it('a playlist may only play content the editor may read in the library: another commune’s draft is 403 naming the item', async () => {
    const mine = { contentId: 'tin-1', durationSec: 15 }
    const theirs = { contentId: 'nhap-x2', durationSec: 20 }
    const made = await call('POST', '/playlists', 'editor-x1', { unitId: 'x1', name: 'Mượn của x2', items: [mine, mine, theirs] })
    expect(made).toMatchObject({ status: 403, json: { error: { code: 'forbidden-unit', field: 'body.items.2.contentId', vi: expect.any(String), en: expect.any(String) } } })
    expect(((await call('GET', '/playlists', 'editor-x1')).json.playlists as { name: string }[]).map((p) => p.name)).not.toContain('Mượn của x2')
    const own = await call('POST', '/playlists', 'editor-x1', { unitId: 'x1', name: 'Của x1', items: [mine] })
    expect(own.status).toBe(201)
    const ownId = String(own.json.id)
    expect(await call('PUT', `/playlists/${ownId}`, 'editor-x1', { unitId: 'x1', name: 'Của x1', items: [theirs, mine] })).toMatchObject({
      status: 403,
      json: { error: { code: 'forbidden-unit', field: 'body.items.0.contentId' } }
    })
    expect((await call('GET', `/playlists/${ownId}`, 'editor-x1')).json.items).toEqual([mine])
    expect(await call('PUT', `/playlists/${ownId}`, 'editor-x1', { unitId: 'x1', name: 'Của x1', items: [mine, { contentId: 'khong-co' }] })).toMatchObject({
      status: 404,
      json: { error: { code: 'not-found', field: 'body.items.1.contentId' } }
    })
    // The district's editor reads both communes' content, so may play both.
    expect((await call('POST', '/playlists', 'editor-h1', { unitId: 'h1', name: 'Cả huyện', items: [mine, theirs] })).status).toBe(201)
    // An entry of x1 may not play x2's playlist nor target x2 (the sibling commune's).
    const x2List = await call('POST', '/playlists', 'editor-h1', { unitId: 'x2', name: 'Của x2', items: [theirs] })
    expect(await call('POST', '/schedule-entries', 'editor-x1', entryBody(String(x2List.json.id)))).toMatchObject({ status: 403, json: { error: { code: 'forbidden-unit', field: 'body.playlistId' } } })
    expect(await call('POST', '/schedule-entries', 'editor-x1', entryBody(ownId, { targetUnitIds: ['x2'] }))).toMatchObject({ status: 403, json: { error: { code: 'forbidden-unit', field: 'body.targetUnitIds' } } })
    expect(await call('POST', '/schedule-entries', 'editor-x1', entryBody(ownId, { targetUnitIds: [], targetBoardIds: ['bang-4'] }))).toMatchObject({ status: 403, json: { error: { code: 'forbidden-unit', field: 'body.targetBoardIds' } } })
  })

  it('answers what a board plays when, from its last publication; another district’s board is 403', async () => {
    const before = await call('GET', '/boards/bang-1/programme?date=2026-12-07', 'viewer-h1')
    expect(before).toMatchObject({ status: 200, json: { version: null, slots: [] } })
    expect(await setEntryStatus(opened.db, entryId, ['submitted'], 'approved')).toBe(true)
    server.addDevice('bang-1', 'token-bang-1')
    const boards = await placedBoards(opened.db)
    expect(boards.sort((a, b) => a.deviceId.localeCompare(b.deviceId))).toEqual([
      { deviceId: 'bang-1', unitPath: ['tinh', 'h1', 'x1'], tags: ['cho'] },
      { deviceId: 'bang-4', unitPath: ['tinh', 'h2', 'x3'], tags: ['cho'] }
    ])
    await publishProgramme(opened.db, { target: server, boards, content: textContent })
    const week = await call('GET', '/boards/bang-1/programme?date=2026-12-07&days=7', 'viewer-h1')
    expect(week.status).toBe(200)
    const slots = week.json.slots as unknown[]
    expect(slots).toHaveLength(7)
    expect(slots[0]).toMatchObject({ start: '2026-12-07T00:00:00.000Z', end: '2026-12-07T02:00:00.000Z', contentId: 'tin-1', entryId, priority: 'thuong' })
    expect(errorOf(await call('GET', '/boards/bang-4/programme?date=2026-12-07', 'viewer-h1'))).toMatchObject({ code: 'forbidden-unit', field: 'params.deviceId' })
    expect(errorOf(await call('GET', '/boards/bang-1/programme?date=2026-13-01', 'viewer-h1'))).toMatchObject({ field: 'query.date' })
  })
})
