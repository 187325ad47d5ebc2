// Emergencies from templates to two real boards: both show it and the delivery list says so; a board whose
// screen has not shown it is the only one a re-send reaches; clear some, then all; the record survives a reopen.
import { afterEach, describe, expect, it } from 'vitest'
import { EmergencyDesk } from '../../../server/editorial/emergencies'
import { EditorialError, type Actor } from '../../../server/editorial/errors'
import { reportCsv } from '../../../server/editorial/report-files'
import { deliveryReport } from '../../../server/editorial/reports'
import { startTestServer, type TestServer } from '../../../server/testing/test-server'
import { useTempDirs } from '../../helpers/temp-dir'
import { NOTICE, openEditorialDb, startBoard, type Board } from './boards'

const officer: Actor = { userId: 'duyet-huyen', roles: ['duyet'] }
const flood = { templateId: 'lu', fields: { song: 'sông Ba', dia_ban: 'xã Phú An', thoi_gian: '14 giờ ngày 30/11', dien_thoai: '0269 3822 113' } }
type SentAck = { kind: string; id: string }

describe('emergencies sent by officers, delivery from what boards report', () => {
  const tempDir = useTempDirs()
  const cleanup: (() => Promise<void>)[] = []
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step()
  })

  async function setup(): Promise<{ server: TestServer; a: Board; b: Board; desk: EmergencyDesk; dbDir: string }> {
    const server = await startTestServer({ port: 0 })
    cleanup.push(() => server.close())
    server.publish(NOTICE, new Map())
    const a = await startBoard(server, 'bang-phu-an', await tempDir(), cleanup)
    const b = await startBoard(server, 'bang-phu-lam', await tempDir(), cleanup)
    const dbDir = await tempDir()
    const { db } = await openEditorialDb(dbDir, cleanup)
    return { server, a, b, desk: new EmergencyDesk({ db, sender: server, source: server }), dbDir }
  }
  const acked = (server: TestServer, kind: string, deviceId: string, id: string) => () =>
    server.acks.some((r) => r.deviceId === deviceId && (r.ack as SentAck).kind === kind && (r.ack as SentAck).id === id)

  it('send → both boards show it → the delivery list shows both, with the time each took', async () => {
    const { server, a, b, desk } = await setup()
    const sent = await desk.send({ ...flood, unitIds: ['xa-phu-an', 'xa-phu-lam'], deviceIds: [a.deviceId, b.deviceId], ttlSec: 3600 }, officer)
    expect(sent.title).toBe('CẢNH BÁO LŨ, NGẬP LỤT TẠI xã Phú An')
    expect(sent.body).toContain('Mực nước sông Ba đang lên nhanh')
    expect(sent).toMatchObject({ templateId: 'lu', sentBy: 'duyet-huyen', unitIds: ['xa-phu-an', 'xa-phu-lam'], ttlSec: 3600 })
    for (const board of [a, b]) {
      await expect.poll(board.emergencyOnScreen, { timeout: 20_000 }).toBe(sent.id)
      board.showEmergency(sent.id)
      await expect.poll(acked(server, 'emergency-start', board.deviceId, sent.id), { timeout: 20_000 }).toBe(true)
    }
    const { boards } = await desk.delivery(sent.id)
    expect(boards.map((row) => [row.deviceId, row.state, row.sends])).toEqual([
      [a.deviceId, 'shown', 1],
      [b.deviceId, 'shown', 1]
    ])
    for (const row of boards) expect(row.shownAfterSec).toBeGreaterThanOrEqual(0)
    expect(await desk.history(sent.id)).toEqual([expect.objectContaining({ action: 'send', actor: 'duyet-huyen', deviceIds: [a.deviceId, b.deviceId] })])

    // The yearly report: per board, sent → shown in seconds, in Hà Nội time; a unit's report holds its board only.
    // A range of three days around now, so a run across midnight in Hà Nội still covers the send.
    const hanoi = (ms: number) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date(ms))
    const [from, to] = [hanoi(Date.now() - 86_400_000), hanoi(Date.now() + 86_400_000)]
    const placement = new Map([
      [a.deviceId, { unitId: 'xa-phu-an', unitName: 'UBND xã Phú An' }],
      [b.deviceId, { unitId: 'xa-phu-lam', unitName: 'UBND xã Phú Lâm' }]
    ])
    const report = await deliveryReport({ from, to, desk, boards: placement })
    expect(report.rows.map((row) => [row.board, row.unitName, row.state, row.sends])).toEqual([
      [a.deviceId, 'UBND xã Phú An', 'Đã hiển thị', 1],
      [b.deviceId, 'UBND xã Phú Lâm', 'Đã hiển thị', 1]
    ])
    for (const row of report.rows) {
      expect(row.shownAfterSec).toBe(Math.round(boards.find((x) => x.deviceId === row.board)!.shownAfterSec!))
      expect(row.sentAt).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/)
    }
    const oneUnit = await deliveryReport({ from, to, desk, boards: new Map([[b.deviceId, placement.get(b.deviceId)!]]) })
    expect(oneUnit.rows.map((row) => row.board)).toEqual([b.deviceId])
    expect(reportCsv(report).toString('utf8')).toContain('CẢNH BÁO LŨ, NGẬP LỤT TẠI xã Phú An')
  }, 60_000)

  it('re-send reaches only the board that has not shown it; clear one, then all; the record outlives the desk', async () => {
    const { server, a, b, desk, dbDir } = await setup()
    const sent = await desk.send({ ...flood, unitIds: ['huyen-phu-thien'], deviceIds: [a.deviceId, b.deviceId], ttlSec: 3600 }, officer)
    await expect.poll(a.emergencyOnScreen, { timeout: 20_000 }).toBe(sent.id)
    await expect.poll(b.emergencyOnScreen, { timeout: 20_000 }).toBe(sent.id)
    // Board A's screen shows it; board B's screen does not (its renderer is stuck).
    a.showEmergency(sent.id)
    await expect.poll(acked(server, 'emergency-start', a.deviceId, sent.id), { timeout: 20_000 }).toBe(true)
    // B's heartbeat names it (the core holds it), but no screen has said it showed it: received, not shown.
    await expect.poll(() => server.latestHeartbeat(b.deviceId)?.emergency?.id, { timeout: 20_000 }).toBe(sent.id)
    const before = await desk.delivery(sent.id)
    expect(before.boards.map((row) => [row.deviceId, row.state, row.shownAt !== null, row.receivedAt !== null])).toEqual([
      [a.deviceId, 'shown', true, true],
      [b.deviceId, 'received', false, true]
    ])

    expect(await desk.resend(sent.id, officer)).toEqual({ pushedTo: [b.deviceId] })
    const pushes = server.recentLog().filter((entry) => entry.event === 'emergency' && entry.id === sent.id)
    expect(pushes.map((entry) => entry.pushedTo)).toEqual([[a.deviceId, b.deviceId], [b.deviceId]])
    // Still listed for A (its manifest must not end it), and A keeps showing it.
    expect(pushes[1]?.deviceIds).toEqual([a.deviceId, b.deviceId])
    b.showEmergency(sent.id)
    await expect.poll(acked(server, 'emergency-start', b.deviceId, sent.id), { timeout: 20_000 }).toBe(true)
    const after = await desk.delivery(sent.id)
    expect(after.boards.map((row) => [row.deviceId, row.state, row.sends])).toEqual([
      [a.deviceId, 'shown', 1],
      [b.deviceId, 'shown', 2]
    ])
    expect(await desk.resend(sent.id, officer)).toEqual({ pushedTo: [] })

    expect(await desk.clear(sent.id, officer, { deviceIds: [b.deviceId] })).toEqual({ clearedFor: [b.deviceId] })
    await expect.poll(b.emergencyOnScreen, { timeout: 20_000 }).toBeNull()
    await expect.poll(acked(server, 'emergency-clear', b.deviceId, sent.id), { timeout: 20_000 }).toBe(true)
    expect(a.emergencyOnScreen()).toBe(sent.id)
    expect((await desk.summary(sent.id)).clearedAt).toBeNull()

    expect(await desk.clear(sent.id, officer)).toEqual({ clearedFor: [a.deviceId] })
    await expect.poll(a.emergencyOnScreen, { timeout: 20_000 }).toBeNull()
    await expect.poll(acked(server, 'emergency-clear', a.deviceId, sent.id), { timeout: 20_000 }).toBe(true)
    const cleared = await desk.delivery(sent.id)
    expect(cleared.boards.map((row) => row.state)).toEqual(['cleared', 'cleared'])
    expect(cleared.emergency.clearedBy).toBe('duyet-huyen')
    await expect(desk.resend(sent.id, officer)).rejects.toMatchObject({ status: 409, code: 'emergency-ended' })

    // Another server process: the reference server's memory is gone (no acks), the tables are not.
    const { db } = await openEditorialDb(dbDir, cleanup)
    const reopened = new EmergencyDesk({ db, sender: server, source: { acks: [], latestHeartbeat: () => null } })
    const kept = await reopened.delivery(sent.id)
    expect(kept.boards.map((row) => [row.deviceId, row.state, row.sends, row.shownAt !== null])).toEqual([
      [a.deviceId, 'cleared', 1, true],
      [b.deviceId, 'cleared', 2, true]
    ])
    expect((await reopened.history(sent.id)).map((event) => [event.action, event.deviceIds])).toEqual([
      ['send', [a.deviceId, b.deviceId]],
      ['resend', [b.deviceId]],
      ['clear', [b.deviceId]],
      ['clear', [a.deviceId]]
    ])
  }, 90_000)

  it('refuses, naming the field in both languages, and records nothing: blank place, bad TTL, no boards, wrong role, another unit', async () => {
    const server = await startTestServer({ port: 0 })
    cleanup.push(() => server.close())
    const { db } = await openEditorialDb(await tempDir(), cleanup)
    const desk = new EmergencyDesk({ db, sender: server, source: server })
    const base = { ...flood, unitIds: ['xa'], deviceIds: ['bang-1'] }
    const refusal = (promise: Promise<unknown>) => promise.then(() => null, (error: unknown) => (error instanceof EditorialError ? error.toJSON().error : error))
    expect(await refusal(desk.send({ ...base, fields: { ...flood.fields, dia_ban: '  ' } }, officer))).toMatchObject({ code: 'invalid', field: 'fields.dia_ban', vi: 'Chưa nhập "Địa bàn".', en: '"Area" is required.' })
    expect(await refusal(desk.send({ ...base, ttlSec: 10 }, officer))).toMatchObject({ field: 'ttlSec' })
    expect(await refusal(desk.send({ ...base, deviceIds: [] }, officer))).toMatchObject({ field: 'unitIds' })
    expect(await refusal(desk.send({ ...base, templateId: 'dong-dat' }, officer))).toMatchObject({ code: 'template-unknown', field: 'templateId' })
    expect(await refusal(desk.send(base, { userId: 'bt', roles: ['bien-tap', 'xem'] }))).toMatchObject({ code: 'forbidden' })
    expect(await desk.list()).toEqual([])
    expect(server.recentLog().filter((entry) => entry.event === 'emergency')).toEqual([])

    const sent = await desk.send(base, { userId: 'qt', roles: ['quan-tri'] })
    const otherDistrict = (deviceId: string) => deviceId.startsWith('huyen-khac-')
    expect(await refusal(desk.delivery(sent.id, otherDistrict))).toMatchObject({ code: 'emergency-unknown' })
    expect(await refusal(desk.clear(sent.id, officer, { scope: otherDistrict }))).toMatchObject({ code: 'emergency-unknown' })
    expect(await desk.list({ scope: otherDistrict })).toEqual([])
    expect((await desk.list()).map((e) => e.id)).toEqual([sent.id])

    // Two days on (the desk's clock), the board never showed it: expired, and it can no longer be re-sent.
    const later = new EmergencyDesk({ db, sender: server, source: server, now: () => Date.now() + 2 * 86_400_000 })
    expect((await later.delivery(sent.id)).boards.map((row) => [row.deviceId, row.state, row.shownAfterSec])).toEqual([['bang-1', 'expired', null]])
    expect(await refusal(later.resend(sent.id, officer))).toMatchObject({ code: 'emergency-ended' })
  }, 30_000)
})
