// The boards' status through the console API (real HTTP on 127.0.0.1, a real SQLite file, the real reference
// server and a real player core as board): what the board last reported, offline boards named as a problem,
// and only the boards placed in the caller's units.
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Actor as ApiActor, Authenticated, Role } from '../../../server/api/actor'
import { createConsoleApi } from '../../../server/api/console-api'
import { ALL_ROUTES, SCOPE_KINDS } from '../../../server/api/registry'
import { startTestServer, type TestServer } from '../../../server/testing/test-server'
import { NOTICE, openEditorialDb, startBoard } from '../editorial/boards'
import { rawRequest } from '../helpers'

const UNITS = [
  { id: 'tinh', parent: null, path: '/tinh/', level: 'tinh', name: 'Tỉnh' },
  { id: 'huyen-a', parent: 'tinh', path: '/tinh/huyen-a/', level: 'huyen', name: 'Huyện A' },
  { id: 'huyen-b', parent: 'tinh', path: '/tinh/huyen-b/', level: 'huyen', name: 'Huyện B' }
] as const

function caller(role: Role, unitId: string, subtree: string[]): Authenticated {
  const actor: ApiActor = { userId: `${role}-${unitId}`, unitId, role, subtree: new Set(subtree), atRoot: unitId === 'tinh', via: 'token' }
  return { actor, csrfToken: null, mustChangePassword: false }
}
const CALLERS: Record<string, Authenticated> = {
  'xem-a': caller('xem', 'huyen-a', ['huyen-a']),
  'xem-b': caller('xem', 'huyen-b', ['huyen-b']),
  'duyet-a': caller('duyet', 'huyen-a', ['huyen-a'])
}

let server: TestServer
let dir = ''
let tokenTwo = ''
const started = new Map<string, Awaited<ReturnType<typeof startBoard>>>()
const cleanup: (() => Promise<void>)[] = []

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bangtin-status-api-'))
  const { db } = await openEditorialDb(dir, cleanup)
  const now = new Date().toISOString()
  for (const u of UNITS) await db.insertInto('units').values({ id: u.id, parent_id: u.parent, level: u.level, name: u.name, path: u.path, created_at: now }).execute()
  for (const [deviceId, unitId] of [['bang-1', 'huyen-a'], ['bang-2', 'huyen-a'], ['bang-3', 'huyen-b']]) {
    await db.insertInto('board_placements').values({ device_id: deviceId!, unit_id: unitId!, display_name: deviceId!, tags: '[]', updated_at: now }).execute()
  }
  let ready = false
  const consoleApi = createConsoleApi({
    db,
    routes: ALL_ROUTES,
    kinds: SCOPE_KINDS,
    authenticate: async (req) => CALLERS[(req.headers.authorization ?? '').replace(/^Bearer /, '')] ?? null,
    get services() {
      return ready ? { store: { fleet: server }, boardCommands: server } : {}
    }
  })
  server = await startTestServer({ port: 0, consoleApi })
  ready = true
  tokenTwo = server.addDevice('bang-2').token
  server.publish(NOTICE, new Map())
})

afterAll(async () => {
  await server.close()
  for (const step of cleanup.splice(0).reverse()) await step()
  await rm(dir, { recursive: true, force: true })
})

async function call(who: string, path: string, body?: unknown) {
  const headers: Record<string, string> = { Authorization: `Bearer ${who}` }
  if (body !== undefined) headers['Content-Type'] = 'application/json'
  const res = await rawRequest(`${server.url}/console/api${path}`, { method: body === undefined ? 'GET' : 'POST', headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) })
  return { status: res.status, json: JSON.parse(res.body.toString('utf8')) as Record<string, unknown> }
}

describe('board status API', () => {
  it('lists my boards with what each last reported; a board that never connected is offline', { timeout: 60_000 }, async () => {
    const boardDir = join(dir, 'bang-1')
    await mkdir(boardDir)
    started.set('bang-1', await startBoard(server, 'bang-1', boardDir, cleanup))
    await expect.poll(() => server.latestHeartbeat('bang-1')?.screen.programVersion ?? null, { timeout: 20_000 }).toMatch(/^v1/)
    const { status, json } = await call('xem-a', '/board-status')
    expect(status).toBe(200)
    const boards = json.boards as { deviceId: string; connected: boolean; heartbeat: { programVersion: string | null; appVersion: string } | null; problems: string[] }[]
    expect(boards.map((b) => b.deviceId).sort()).toEqual(['bang-1', 'bang-2'])
    const one = boards.find((b) => b.deviceId === 'bang-1')!
    expect(one).toMatchObject({ connected: true, heartbeat: { programVersion: expect.stringMatching(/^v1/) as unknown } })
    expect(one.problems).not.toContain('offline')
    expect(boards.find((b) => b.deviceId === 'bang-2')).toMatchObject({ connected: false, heartbeat: null, problems: ['offline'] })
  })

  it('a board in lab mode, or whose screen runs without its sandbox, is named as a problem', async () => {
    // What bang-1 reported, as bang-2 would report it from a lab set-up run as root.
    const beat = { ...server.latestHeartbeat('bang-1')!, deviceId: 'bang-2', sentAt: new Date().toISOString() }
    const items = [{ ...beat, contentTrust: { mode: 'lab', keySource: null, keys: [] }, screenSandbox: 'off' }]
    const posted = await rawRequest(`${server.url}/api/v1/devices/bang-2/reports`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${tokenTwo}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ kind: 'heartbeats', items })
    })
    expect(posted.status).toBeLessThan(300)
    const two = await call('xem-a', '/boards/bang-2/status')
    expect(two.json.problems).toEqual(expect.arrayContaining(['lab-mode', 'no-sandbox']))
    const one = await call('xem-a', '/boards/bang-1/status')
    expect(one.json.problems).not.toEqual(expect.arrayContaining(['lab-mode']))
    expect(one.json.problems).not.toContain('no-key')
  })

  it('a problem the board reported (a damaged file set aside) is named among its problems, with its detail, for a day', async () => {
    const board = started.get('bang-1')!
    board.player.session!.problem('asset-quarantined', 'poster.jpg: sha256 không khớp / sha256 mismatch', 'poster')
    await expect
      .poll(async () => ((await call('xem-a', '/boards/bang-1/status')).json.problems as string[]).includes('asset-quarantined'), { timeout: 20_000 })
      .toBe(true)
    const status = await call('xem-a', '/boards/bang-1/status')
    expect(status.json.reported).toEqual([{ kind: 'asset-quarantined', detail: 'poster.jpg: sha256 không khớp / sha256 mismatch', at: expect.any(String) }])
    // The list of my boards says so too; another district does not see it.
    const listed = (await call('xem-a', '/board-status')).json.boards as { deviceId: string; problems: string[] }[]
    expect(listed.find((b) => b.deviceId === 'bang-1')!.problems).toContain('asset-quarantined')
  })

  it("one board's status with its uptime days; another district's board is refused naming the field", async () => {
    const mine = await call('xem-a', '/boards/bang-1/status')
    expect(mine.status).toBe(200)
    expect(mine.json).toMatchObject({ deviceId: 'bang-1', connected: true })
    expect(Array.isArray(mine.json.uptime)).toBe(true)
    const other = await call('xem-a', '/boards/bang-3/status')
    expect(other.status).toBe(403)
    expect((other.json.error as { field: string }).field).toBe('params.deviceId')
    expect(((await call('xem-b', '/board-status')).json.boards as { deviceId: string }[]).map((b) => b.deviceId)).toEqual(['bang-3'])
  })

  it('a command from the console reaches the board and its result comes back; viewers may not send; another district may not read', async () => {
    expect((await call('xem-a', '/boards/bang-1/commands', { kind: 'resync' })).status).toBe(403)
    expect((await call('duyet-a', '/boards/bang-1/commands', { kind: 'restart' })).status).toBe(400)
    const sent = await call('duyet-a', '/boards/bang-1/commands', { kind: 'resync' })
    expect(sent).toMatchObject({ status: 201, json: { kind: 'resync', sentBy: 'duyet-huyen-a', result: null } })
    await expect
      .poll(async () => ((await call('xem-a', '/boards/bang-1/commands')).json.commands as { id: string; result: { ok: boolean | null } | null }[]).find((c) => c.id === sent.json.id)?.result?.ok ?? null, { timeout: 20_000 })
      .toBe(true)
    expect((await call('xem-b', '/boards/bang-1/commands')).status).toBe(403)
    expect((await call('xem-a', '/boards/bang-2/screenshot')).status).toBe(404)
  })

  it("the board's newest screenshot, as the board uploaded it, named in its command list", async () => {
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 0xff, 0xd9])
    for (const [id, takenAt] of [['old', '2026-11-30T01:00:00Z'], ['new', '2026-11-30T02:00:00Z']] as const) {
      const query = `kind=screenshot&id=shot-${id}&takenAt=${encodeURIComponent(takenAt)}&contentType=image%2Fjpeg&width=4&height=3${id === 'new' ? '&commandId=lenh-1' : ''}`
      const body = id === 'new' ? jpeg : Buffer.from([0xff, 0xd8, 0xff, 0xd9])
      const posted = await rawRequest(`${server.url}/api/v1/devices/bang-2/uploads?${query}`, { method: 'POST', headers: { Authorization: `Bearer ${tokenTwo}`, 'Content-Type': 'image/jpeg' }, body })
      expect(posted.status).toBe(204)
    }
    const listed = await call('xem-a', '/boards/bang-2/commands')
    expect(listed.json.screenshot).toEqual({ takenAt: '2026-11-30T02:00:00Z', commandId: 'lenh-1', width: 4, height: 3 })
    const image = await rawRequest(`${server.url}/console/api/boards/bang-2/screenshot`, { headers: { Authorization: 'Bearer xem-a' } })
    expect([image.status, image.headers['content-type'], image.body.equals(jpeg)]).toEqual([200, 'image/jpeg', true])
    expect((await rawRequest(`${server.url}/console/api/boards/bang-2/screenshot`, { headers: { Authorization: 'Bearer xem-b' } })).status).toBe(403)
  })
})
