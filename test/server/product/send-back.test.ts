// A schedule entry sent back by the approver (product wiring of the approval and programme rooms): the
// entry becomes "returned" (not left "submitted"), so the editor can submit it again as it is, and the
// history keeps both rounds with the reason.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { join } from 'node:path'
import { useTempDirs } from '../../helpers/temp-dir'
import { ConsoleSession, startProductLines, type StartedProduct } from './console-client'
import { buildProduct, kill9, removeBuild } from './product-process'

describe('product: sending a schedule entry back', () => {
  const tempDir = useTempDirs()
  beforeAll(buildProduct)
  afterAll(removeBuild)
  const running: StartedProduct[] = []
  afterEach(async () => {
    await Promise.all(running.splice(0).map(kill9))
  })

  it('needs a reason; returns the entry to its editor, who submits it again; history has both rounds, naming people', async () => {
    const product = await startProductLines(join(await tempDir(), 'data'))
    running.push(product)
    const url = product.url
    const admin = await ConsoleSession.firstSignIn(url, product.firstAdmin!.username, product.firstAdmin!.password, 'mật-khẩu-quản-trị-mới')
    const province = (await admin.ok<{ unit: { id: string } }>('GET', '/console/api/me')).unit.id
    const district = await admin.ok<{ id: string }>('POST', '/console/api/units', { parentId: province, name: 'Huyện Ninh Phước' })
    const commune = await admin.ok<{ id: string }>('POST', '/console/api/units', { parentId: district.id, name: 'Xã Phước Hậu' })
    const editorMade = await admin.ok<{ password: string }>('POST', '/console/api/users', { unitId: district.id, username: 'bientap', displayName: 'Nguyễn Thị Biên', role: 'bien-tap' })
    const approverMade = await admin.ok<{ password: string }>('POST', '/console/api/users', { unitId: district.id, username: 'duyet', displayName: 'Trần Văn Duyệt', role: 'duyet' })
    const editor = await ConsoleSession.firstSignIn(url, 'bientap', editorMade.password, 'biên-tập-viên-2026')
    const approver = await ConsoleSession.firstSignIn(url, 'duyet', approverMade.password, 'người-duyệt-2026')

    const notice = await editor.ok<{ id: string }>('POST', '/console/api/library/text-notices', { unitId: district.id, title: 'Lễ hội cầu ngư', body: 'Khai mạc ngày 16/01.' })
    const playlist = await editor.ok<{ id: string }>('POST', '/console/api/playlists', { unitId: district.id, name: 'Lễ hội', items: [{ contentId: notice.id, durationSec: 20 }] })
    const entry = await editor.ok<{ id: string }>('POST', '/console/api/schedule-entries', { unitId: district.id, playlistId: playlist.id, name: 'Lễ hội 2027', targetUnitIds: [commune.id] })
    const submitAgain = async () => {
      await editor.ok('POST', `/console/api/schedule-entries/${entry.id}/submit`)
      return editor.ok<{ id: number }>('POST', '/console/api/approvals', { kind: 'schedule-entry', subjectId: entry.id })
    }
    const first = await submitAgain()

    const blank = await approver.call<{ error: { field: string; vi: string; en: string } }>('POST', `/console/api/approvals/${first.id}/send-back`, { reason: '  ' })
    expect([blank.status, blank.body.error.field, blank.body.error.vi]).toEqual([400, 'reason', 'Phải nêu lý do trả lại.'])
    expect((await editor.ok<{ status: string }>('GET', `/console/api/schedule-entries/${entry.id}`)).status).toBe('submitted')

    const back = await approver.ok<{ state: string }>('POST', `/console/api/approvals/${first.id}/send-back`, { reason: 'Sai ngày khai mạc: 15/01.' })
    expect(back.state).toBe('sent-back')
    expect((await editor.ok<{ status: string }>('GET', `/console/api/schedule-entries/${entry.id}`)).status).toBe('returned')
    expect((await approver.ok<{ submissions: unknown[] }>('GET', '/console/api/approvals')).submissions).toEqual([])

    const second = await submitAgain()
    expect((await editor.ok<{ status: string }>('GET', `/console/api/schedule-entries/${entry.id}`)).status).toBe('submitted')
    expect((await approver.ok<{ state: string }>('POST', `/console/api/approvals/${second.id}/approve`)).state).toBe('approved')
    const history = await editor.ok<{ events: { action: string; reason: string | null; actorName: string | null }[] }>('GET', `/console/api/approvals/history?kind=schedule-entry&subjectId=${entry.id}`)
    // The history names people as they know each other, not by id.
    expect(history.events.map((e) => [e.action, e.reason, e.actorName])).toEqual([
      ['submit', null, 'Nguyễn Thị Biên'],
      ['send-back', 'Sai ngày khai mạc: 15/01.', 'Trần Văn Duyệt'],
      ['submit', null, 'Nguyễn Thị Biên'],
      ['approve', null, 'Trần Văn Duyệt']
    ])
  }, 120_000)
})
