// A schedule entry sent back by the approver (product wiring of the approval and programme rooms): the
// entry becomes "returned" (not left "submitted"), so the editor can submit it again as it is, and the
// history keeps both rounds with the reason.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { join } from 'node:path'
import { useTempDirs } from '../../helpers/temp-dir'
import { districtWithOfficers, type StartedProduct, startProductLines } from './console-client'
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
    const { district, commune, editor, approver } = await districtWithOfficers(product)

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
