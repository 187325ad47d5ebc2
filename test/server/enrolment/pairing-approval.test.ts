// Approving a board's on-screen code into a unit through the console API (server/enrolment), against the
// product's composition (productServices) on a real SQLite file and a real reference server: the board is
// paired and placed in one step, audited, limited per user, and never approved into a unit outside the actor's.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ensureFirstAdministrator } from '../../../server/access/bootstrap'
import { createSession } from '../../../server/access/sessions'
import { createUnit } from '../../../server/access/units'
import { createUser } from '../../../server/access/users'
import { openSqlite } from '../../../server/db/database'
import { productServices, ServerHolder } from '../../../server/product/services'
import { PairingTakenError, startReferenceServer } from '../../../server/reference-server'
import { rawRequest } from '../helpers'

const cleanups: (() => Promise<unknown>)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function province(opts: { durable?: boolean } = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'bangtin-enrol-'))
  cleanups.push(() => rm(dir, { recursive: true, force: true }))
  const opened = await openSqlite(join(dir, 'source.sqlite'))
  cleanups.push(() => opened.close())
  const { db } = opened
  const root = (await ensureFirstAdministrator(db))!.unitId
  const districtA = (await createUnit(db, root, 'Huyện A', Date.now())).id
  const districtB = (await createUnit(db, root, 'Huyện B', Date.now())).id
  const communeA = (await createUnit(db, districtA, 'Xã A1', Date.now())).id
  const holder = new ServerHolder()
  const rooms = productServices({ db, dataDir: dir, holder, pairingApprovals: { perUser: 3, windowMs: 60_000 } })
  const server = await startReferenceServer({ port: 0, consoleApi: rooms.consoleApi, ...(opts.durable ? { database: { db, dataDir: dir } } : {}) })
  holder.set(server)
  cleanups.push(() => server.close())
  const as = async (unitId: string, username: string) => {
    const { user } = await createUser(db, { unitId, username, displayName: username, role: 'duyet', password: `${username}-mat-khau`, mustChangePassword: false }, Date.now())
    const session = await createSession(db, user.id, '127.0.0.1', Date.now())
    return async (body: unknown) => {
      const res = await rawRequest(`${server.url}/console/api/pairings/approve`, {
        method: 'POST',
        headers: { cookie: `bangtin_session=${session.sessionId}`, 'x-csrf-token': session.csrfToken, 'content-type': 'application/json' },
        body: JSON.stringify(body)
      })
      return { status: res.status, headers: res.headers, json: JSON.parse(res.body.toString()) as Record<string, unknown> & { error?: { code: string; field: string; vi: string; en: string } } }
    }
  }
  const pairing = async () => JSON.parse((await rawRequest(`${server.url}/api/v1/pairings`, { method: 'POST' })).body.toString()) as { code: string; pairingId: string }
  return { db, server, districtA, districtB, communeA, as, pairing }
}

describe('pairing approval into a unit', () => {
  it('pairs and places the board in one step, with an audit entry; the board then collects its token', async () => {
    const p = await province()
    const approve = await p.as(p.districtA, 'duyet-a')
    const shown = await p.pairing()
    const answer = await approve({ code: shown.code, unitId: p.communeA, displayName: 'Bảng UBND xã A1', tags: ['LED ngoài trời'] })
    expect(answer.status).toBe(201)
    const deviceId = answer.json.deviceId as string
    expect(answer.json).toMatchObject({ unitId: p.communeA, displayName: 'Bảng UBND xã A1', tags: ['LED ngoài trời'] })
    const status = JSON.parse((await rawRequest(`${p.server.url}/api/v1/pairings/${shown.pairingId}`)).body.toString()) as { state: string; deviceId: string }
    expect(status).toMatchObject({ state: 'approved', deviceId })
    const audit = await p.db.selectFrom('audit_log').select(['action', 'target', 'target_unit_id']).where('action', '=', 'board-paired').execute()
    expect(audit).toEqual([{ action: 'board-paired', target: deviceId, target_unit_id: p.communeA }])
  })

  it('limits approvals per user (a wrong code counts): 429 naming body.code, in Vietnamese and English, with Retry-After; another user is not held up', async () => {
    const p = await province()
    const approve = await p.as(p.districtA, 'duyet-a')
    for (let i = 0; i < 3; i++) expect((await approve({ code: 'ZZZZZZ', unitId: p.communeA, displayName: 'Đoán mã' })).status).toBe(404)
    const shown = await p.pairing()
    const limited = await approve({ code: shown.code, unitId: p.communeA, displayName: 'Bảng thật' })
    expect(limited.status).toBe(429)
    expect(limited.json.error).toMatchObject({ code: 'too-many', field: 'body.code' })
    expect(limited.json.error?.vi).toMatch(/Quá nhiều lần duyệt mã ghép nối/)
    expect(limited.json.error?.en).toMatch(/Too many pairing approvals/)
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0)
    const other = await p.as(p.districtA, 'duyet-a2')
    expect((await other({ code: shown.code, unitId: p.communeA, displayName: 'Bảng thật' })).status).toBe(201)
  })

  it('refuses a board name or tag with a bidi override or nothing visible (400 naming it) and leaves the code waiting', async () => {
    const p = await province()
    const approve = await p.as(p.districtA, 'duyet-a')
    const shown = await p.pairing()
    const name = await approve({ code: shown.code, unitId: p.communeA, displayName: '\u202EnA úhP ãX gnảB' })
    expect(name).toMatchObject({ status: 400, json: { error: { code: 'bad-input', field: 'body.displayName', vi: expect.stringContaining('Tên bảng tin') } } })
    const tag = await approve({ code: shown.code, unitId: p.communeA, displayName: 'Bảng chợ', tags: ['chợ', '\u200b'] })
    expect(tag).toMatchObject({ status: 400, json: { error: { field: 'body.tags.1', en: expect.stringContaining('board tag') } } })
    expect(p.server.pendingPairings().map((x) => x.code)).toContain(shown.code)
    expect(await p.db.selectFrom('board_placements').selectAll().execute()).toEqual([])
  })

  it("refuses another district's unit (403 body.unitId) and leaves the code waiting for the right person", async () => {
    const p = await province()
    const approveB = await p.as(p.districtB, 'duyet-b')
    const shown = await p.pairing()
    const refused = await approveB({ code: shown.code, unitId: p.communeA, displayName: 'Không phải của tôi' })
    expect([refused.status, refused.json.error?.field]).toEqual([403, 'body.unitId'])
    expect(p.server.pendingPairings().map((x) => x.code)).toContain(shown.code)
    expect(await p.db.selectFrom('board_placements').selectAll().execute()).toEqual([])
  })

  it('two approvers typing the same code at once: one board, one token; the other gets 409 already-approved naming body.code', async () => {
    // The product's composition: the device is committed through the store's queue before it is applied.
    const p = await province({ durable: true })
    const approveA = await p.as(p.districtA, 'duyet-a')
    const approveA2 = await p.as(p.districtA, 'duyet-a2')
    const shown = await p.pairing()
    const answers = await Promise.all([
      approveA({ code: shown.code, unitId: p.communeA, displayName: 'Bảng một' }),
      approveA2({ code: shown.code, unitId: p.communeA, displayName: 'Bảng hai' })
    ])
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409])
    const refused = answers.find((a) => a.status === 409)!
    expect(refused.json.error).toMatchObject({ code: 'already-approved', field: 'body.code' })
    expect(refused.json.error?.vi).toMatch(/vừa được duyệt/)
    expect(refused.json.error?.en).toMatch(/has just been approved/)
    const devices = await p.db.selectFrom('devices').select('device_id').execute()
    const placements = await p.db.selectFrom('board_placements').select('device_id').execute()
    expect(devices).toHaveLength(1)
    expect(placements).toEqual(devices)
    expect(p.server.deviceSummaries()).toHaveLength(1)
    // Asked again later (approved, the board not yet collecting): still the same clear answer.
    const later = await approveA2({ code: shown.code, unitId: p.communeA, displayName: 'Bảng ba' })
    expect([later.status, later.json.error?.code]).toEqual([409, 'already-approved'])
  })

  it('while one approval is being committed, a second of the same code is refused at once (not after both committed)', async () => {
    const p = await province({ durable: true })
    const shown = await p.pairing()
    const first = p.server.approvePairing(shown.code, 'bang-mot')
    expect(first?.deviceId).toBe('bang-mot')
    expect(() => p.server.approvePairing(shown.code, 'bang-hai')).toThrow(PairingTakenError)
    await p.server.durable()
    expect(p.server.deviceSummaries().map((d) => d.deviceId)).toEqual(['bang-mot'])
  })
})
