// Issue 13 end to end at the API: the product started as `product.js --data-dir DIR` (a real child, a real
// SQLite file), an administrator building units and people, boards paired on their codes into communes, an
// editor's image and Vietnamese notice scheduled, approved and published, fetched only by the board it
// targets, an emergency from a template with its delivery, and "what plays when" as the board will play it.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { join } from 'node:path'
import { craftPng } from '../library/fixtures/media'
import { useTempDirs } from '../../helpers/temp-dir'
import { rawRequest, sha256 } from '../helpers'
import { boardManifest, collectToken, ConsoleSession, startPairing, startProductLines, type StartedProduct } from './console-client'
import { buildProduct, kill9, removeBuild } from './product-process'

type Unit = { id: string }
type Item = { id: string; kind: string; assetId?: string }
type Manifest = { playlists: { id: string; priority: string; items: { id: string; type?: string; kind?: string; asset?: string; title?: string; body?: string }[] }[]; assets: { sha256: string; url: string; size: number }[]; emergencies: { id: string; title: string }[] }

const NOTICE_TITLE = 'Thông báo lịch tiêm chủng mở rộng'
const NOTICE_BODY = 'Trạm y tế xã tổ chức tiêm vắc-xin phòng bệnh sởi cho trẻ từ 9 tháng đến 5 tuổi vào sáng thứ Bảy. Đề nghị phụ huynh đưa trẻ đến đúng giờ, mang theo sổ tiêm chủng.'

/** The next date (Asia/Ho_Chi_Minh) that is this ISO weekday, as YYYY-MM-DD. */
function nextLocalWeekday(iso: number): string {
  const local = new Date(Date.now() + 7 * 3_600_000)
  for (let add = 1; add <= 7; add++) {
    const day = new Date(local.getTime() + add * 86_400_000)
    if ((day.getUTCDay() || 7) === iso) return day.toISOString().slice(0, 10)
  }
  throw new Error('unreachable')
}

describe('one product: console API to board, over real HTTP and a real SQLite file', () => {
  const tempDir = useTempDirs()
  beforeAll(buildProduct)
  afterAll(removeBuild)
  const running: StartedProduct[] = []
  afterEach(async () => {
    await Promise.all(running.splice(0).map(kill9))
  })

  it('administrator, editor, approver and two boards: content reaches only the targeted commune; an emergency shows its delivery', async () => {
    const product = await startProductLines(join(await tempDir(), 'data'))
    running.push(product)
    const url = product.url
    expect(product.firstAdmin?.username).toBe('quantri')
    // The console's pages come from the same server (its build, or 503 naming the command when there is none).
    const page = await fetch(`${url}/console/sign-in`)
    expect([200, 503]).toContain(page.status)
    if (page.status === 200) expect(await page.text()).toContain('<div id="root"')

    // The administrator signs in with the one-time password and must change it first.
    const first = await ConsoleSession.signIn(url, product.firstAdmin!.username, product.firstAdmin!.password)
    expect((await first.call('GET', '/console/api/units')).status).toBe(403)
    await first.ok('POST', '/console/api/me/password', { currentPassword: product.firstAdmin!.password, newPassword: 'mật-khẩu-quản-trị-mới' })
    const admin = first
    const province = (await admin.ok<{ unit: { id: string } }>('GET', '/console/api/me')).unit.id

    const district = await admin.ok<Unit>('POST', '/console/api/units', { parentId: province, name: 'Huyện Ninh Phước' })
    const otherDistrict = await admin.ok<Unit>('POST', '/console/api/units', { parentId: province, name: 'Huyện Thuận Bắc' })
    const commune = await admin.ok<Unit>('POST', '/console/api/units', { parentId: district.id, name: 'Xã Phước Hậu' })
    const otherCommune = await admin.ok<Unit>('POST', '/console/api/units', { parentId: otherDistrict.id, name: 'Xã Lợi Hải' })
    const editorMade = await admin.ok<{ password: string }>('POST', '/console/api/users', { unitId: district.id, username: 'bientap', displayName: 'Nguyễn Thị Biên', role: 'bien-tap' })
    const approverMade = await admin.ok<{ password: string }>('POST', '/console/api/users', { unitId: district.id, username: 'duyet', displayName: 'Trần Văn Duyệt', role: 'duyet' })
    const editor = await ConsoleSession.firstSignIn(url, 'bientap', editorMade.password, 'biên-tập-viên-2026')
    const approver = await ConsoleSession.firstSignIn(url, 'duyet', approverMade.password, 'người-duyệt-2026')

    // Two boards show codes. The district's approver approves the first into its commune; the province's
    // administrator sees the second waiting and places it in the other district.
    const boardA = await startPairing(url)
    const boardB = await startPairing(url)
    // The QR code a board shows leads a person to the console's boards page with the code filled in (not an admin route).
    expect(new URL(boardA.approveUrl).pathname + new URL(boardA.approveUrl).search).toBe(`/console/boards?pair=${boardA.code}`)
    expect((await approver.ok<{ pairings: unknown[] }>('GET', '/console/api/pairings')).pairings).toEqual([])
    const waiting = await admin.ok<{ pairings: { code: string }[] }>('GET', '/console/api/pairings')
    expect(waiting.pairings.map((p) => p.code).sort()).toEqual([boardA.code, boardB.code].sort())
    const wrong = await approver.call<{ error: { field: string } }>('POST', '/console/api/pairings/approve', { code: 'ZZZZZZ', unitId: commune.id, displayName: 'Bảng UBND xã' })
    expect([wrong.status, wrong.body.error.field]).toEqual([404, 'body.code'])
    const outside = await approver.call<{ error: { field: string } }>('POST', '/console/api/pairings/approve', { code: boardA.code, unitId: otherCommune.id, displayName: 'Không phải của tôi' })
    expect([outside.status, outside.body.error.field]).toEqual([403, 'body.unitId'])
    const placedA = await approver.ok<{ deviceId: string; unitId: string }>('POST', '/console/api/pairings/approve', { code: boardA.code.toLowerCase(), unitId: commune.id, displayName: 'Bảng UBND xã Phước Hậu', tags: ['LED ngoài trời'] })
    expect(placedA.unitId).toBe(commune.id)
    const placedB = await admin.ok<{ deviceId: string }>('POST', '/console/api/pairings/approve', { code: boardB.code, unitId: otherCommune.id, displayName: 'Bảng chợ Lợi Hải' })
    const a = await collectToken(url, boardA.pairingId)
    const b = await collectToken(url, boardB.pairingId)
    expect([a.deviceId, b.deviceId]).toEqual([placedA.deviceId, placedB.deviceId])
    // A code is used once: approving it again finds nothing.
    expect((await admin.call('POST', '/console/api/pairings/approve', { code: boardB.code, unitId: otherCommune.id, displayName: 'lần hai' })).status).toBe(404)
    expect((await admin.ok<{ boards: unknown[] }>('GET', '/console/api/unplaced-boards')).boards).toEqual([])

    // The editor uploads a real PNG and writes a notice with full diacritics, makes a playlist, schedules it.
    const png = craftPng(64, 48)
    const upload = await editor.ok<{ item: Item }>('POST', `/console/api/library/uploads?unitId=${district.id}&fileName=anh.png&name=${encodeURIComponent('Ảnh tiêm chủng')}`, undefined, { bytes: png, contentType: 'application/octet-stream' })
    expect(upload.item.kind).toBe('image')
    const notice = await editor.ok<Item>('POST', '/console/api/library/text-notices', { unitId: district.id, name: 'Tiêm chủng', title: NOTICE_TITLE, body: NOTICE_BODY })
    const playlist = await editor.ok<{ id: string }>('POST', '/console/api/playlists', { unitId: district.id, name: 'Tin y tế', items: [{ contentId: upload.item.id, durationSec: 10 }, { contentId: notice.id, durationSec: 20 }] })
    const entry = await editor.ok<{ id: string }>('POST', '/console/api/schedule-entries', {
      unitId: district.id,
      playlistId: playlist.id,
      name: 'Tiêm chủng tuần này',
      weekdays: [1, 2, 3, 4, 5],
      windows: [{ from: '07:00', to: '17:00' }],
      priority: 'uu-tien',
      targetUnitIds: [commune.id]
    })
    await editor.ok('POST', `/console/api/schedule-entries/${entry.id}/submit`)
    // Sent back once: the entry is the editor's again, and is submitted anew.
    const sentBack = await editor.ok<{ id: number }>('POST', '/console/api/approvals', { kind: 'schedule-entry', subjectId: entry.id })
    await approver.ok('POST', `/console/api/approvals/${sentBack.id}/send-back`, { reason: 'Ghi rõ địa điểm tiêm.' })
    expect((await editor.ok<{ status: string }>('GET', `/console/api/schedule-entries/${entry.id}`)).status).toBe('returned')
    await editor.ok('POST', `/console/api/schedule-entries/${entry.id}/submit`)
    const submission = await editor.ok<{ id: number; state: string }>('POST', '/console/api/approvals', { kind: 'schedule-entry', subjectId: entry.id })
    expect(submission.state).toBe('submitted')
    // Nothing reaches a board before approval.
    expect(JSON.stringify((await boardManifest(product, a)).document ?? {})).not.toContain(NOTICE_TITLE)
    const approved = await approver.ok<{ state: string }>('POST', `/console/api/approvals/${submission.id}/approve`)
    expect(approved.state).toBe('approved')
    expect((await approver.ok<{ status: string }>('GET', `/console/api/schedule-entries/${entry.id}`)).status).toBe('approved')

    // The commune's board finds both items, in a priority playlist, and the image's bytes verify.
    const got = await boardManifest(product, a)
    expect(got.status).toBe(200)
    const manifest = got.document as unknown as Manifest
    const played = manifest.playlists.find((p) => p.id === entry.id)
    expect(played?.priority).toBe('priority')
    expect(played?.items).toHaveLength(2)
    expect(JSON.stringify(played)).toContain(NOTICE_TITLE)
    expect(JSON.stringify(played)).toContain(NOTICE_BODY)
    const asset = manifest.assets.find((x) => x.sha256 === sha256(png))
    expect(asset?.size).toBe(png.length)
    const bytes = await rawRequest(new URL(asset!.url, `${url}/api/v1/devices/${a.deviceId}/manifest`).toString(), { headers: { authorization: `Bearer ${a.token}` } })
    expect(bytes.status).toBe(200)
    expect(sha256(bytes.body)).toBe(sha256(png))
    // The other district's board gets none of it.
    const other = await boardManifest(product, b)
    expect(JSON.stringify(other.document ?? {})).not.toContain(NOTICE_TITLE)
    expect(JSON.stringify(other.document ?? {})).not.toContain(entry.id)

    // A board placed in the commune after the approval gets its programme at once, not at the next approval.
    const late = await startPairing(url)
    await approver.ok('POST', '/console/api/pairings/approve', { code: late.code, unitId: commune.id, displayName: 'Bảng nhà văn hoá thôn' })
    const c = await collectToken(url, late.pairingId)
    expect(JSON.stringify((await boardManifest(product, c)).document)).toContain(NOTICE_TITLE)

    // Moving a board to another unit (PUT /console/api/boards/:id) republishes: it plays its new unit's
    // programme at once, with nobody approving anything again; and stops when moved back.
    await admin.ok('PUT', `/console/api/boards/${b.deviceId}`, { unitId: commune.id, displayName: 'Bảng chợ Lợi Hải' })
    expect(JSON.stringify((await boardManifest(product, b)).document)).toContain(NOTICE_TITLE)
    await admin.ok('PUT', `/console/api/boards/${b.deviceId}`, { unitId: otherCommune.id, displayName: 'Bảng chợ Lợi Hải' })
    expect(JSON.stringify((await boardManifest(product, b)).document)).not.toContain(NOTICE_TITLE)

    // What plays when: on a weekday, only between 07:00 and 17:00 local time; on a Sunday, nothing of it.
    const monday = nextLocalWeekday(1)
    const week = await approver.ok<{ version: string | null; slots: { start: string; end: string; entryId: string | null; contentId: string | null; priority: string }[] }>('GET', `/console/api/boards/${a.deviceId}/programme?date=${monday}&days=1`)
    const ours = week.slots.filter((s) => s.entryId === entry.id)
    expect(ours.length).toBeGreaterThan(0)
    // The same document the board fetched, and both of its items take turns.
    expect(week.version).toBe((manifest as unknown as { version: string }).version)
    expect(new Set(ours.map((s) => s.contentId))).toEqual(new Set([upload.item.id, notice.id]))
    for (const slot of ours) {
      expect(Date.parse(slot.start)).toBeGreaterThanOrEqual(Date.parse(`${monday}T07:00:00+07:00`))
      expect(Date.parse(slot.end)).toBeLessThanOrEqual(Date.parse(`${monday}T17:00:00+07:00`))
      expect(slot.priority).toBe('uu-tien')
    }
    const sunday = nextLocalWeekday(7)
    const rest = await approver.ok<{ slots: { entryId: string | null }[] }>('GET', `/console/api/boards/${a.deviceId}/programme?date=${sunday}&days=1`)
    expect(rest.slots.filter((s) => s.entryId === entry.id)).toEqual([])
    // The other district's board is not the approver's to look at.
    expect((await approver.call('GET', `/console/api/boards/${b.deviceId}/programme?date=${monday}&days=1`)).status).toBe(403)

    // An emergency from the storm template to the first commune: its board lists it, the other does not.
    const emergency = await approver.ok<{ id: string; title: string }>('POST', '/console/api/emergencies', {
      templateId: 'bao',
      fields: { ten_bao: 'số 3 (YAGI)', dia_ban: 'xã Phước Hậu', thoi_gian: '14 giờ ngày 6/9', dien_thoai: '0259 3822 113' },
      unitIds: [commune.id],
      ttlSec: 3600
    })
    expect(emergency.title).toBe('CẢNH BÁO BÃO số 3 (YAGI)')
    const delivery = await approver.ok<{ boards: { deviceId: string; state: string }[] }>('GET', `/console/api/emergencies/${emergency.id}/delivery`)
    // The commune's two boards (A and the one placed late), not the other district's.
    expect(delivery.boards.map((x) => [x.deviceId, x.state]).sort()).toEqual([[a.deviceId, 'pending'], [c.deviceId, 'pending']].sort())
    expect(((await boardManifest(product, a)).document as unknown as Manifest).emergencies.map((e) => e.id)).toEqual([emergency.id])
    expect(JSON.stringify((await boardManifest(product, b)).document ?? {})).not.toContain(emergency.id)

    // A replacement board takes over board A only by an explicit re-key, by someone whose unit holds A.
    const replacement = await startPairing(url)
    const notMine = await approver.call<{ error: { field: string } }>('POST', '/console/api/pairings/approve', { code: replacement.code, unitId: commune.id, displayName: 'Thay bảng', rekeyDeviceId: b.deviceId })
    expect([notMine.status, notMine.body.error.field]).toEqual([403, 'body.rekeyDeviceId'])
    const rekeyed = await approver.ok<{ deviceId: string; unitId: string }>('POST', '/console/api/pairings/approve', { code: replacement.code, unitId: commune.id, displayName: 'Bảng UBND xã (thay mới)', rekeyDeviceId: a.deviceId })
    expect(rekeyed).toMatchObject({ deviceId: a.deviceId, unitId: commune.id })
    const successor = await collectToken(url, replacement.pairingId)
    expect(successor.deviceId).toBe(a.deviceId)
    expect((await boardManifest(product, a)).status).toBe(401)
    expect(JSON.stringify((await boardManifest(product, successor)).document)).toContain(NOTICE_TITLE)
  }, 120_000)
})
