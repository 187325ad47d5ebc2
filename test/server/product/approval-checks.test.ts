// Approving a schedule entry through the product (real server, real SQLite): items saved without seconds
// publish with their kind's documented default (no raw schema message), and an entry never submitted
// cannot be filed for approval (409 naming the field, in Vietnamese and English), so submit's checks hold.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { join } from 'node:path'
import { useTempDirs } from '../../helpers/temp-dir'
import { districtWithOfficers, type StartedProduct, startProductLines } from './console-client'
import { buildProduct, kill9, removeBuild } from './product-process'

type ApiError = { error: { code: string; field: string | null; vi: string; en: string } }

describe('product: what approval accepts', () => {
  const tempDir = useTempDirs()
  beforeAll(buildProduct)
  afterAll(removeBuild)
  const running: StartedProduct[] = []
  afterEach(async () => {
    await Promise.all(running.splice(0).map(kill9))
  })

  it('approves items without seconds (the kind’s default) and refuses filing a draft that was never submitted', async () => {
    const product = await startProductLines(join(await tempDir(), 'data'))
    running.push(product)
    const { district, editor, approver } = await districtWithOfficers(product)

    const notice = await editor.ok<{ id: string }>('POST', '/console/api/library/text-notices', { unitId: district.id, title: 'Lễ hội cầu ngư', body: 'Khai mạc ngày 16/01.' })
    // No durationSec: the API stores null ("Số giây" left empty in the console does the same).
    const playlist = await editor.ok<{ id: string; items: unknown[] }>('POST', '/console/api/playlists', { unitId: district.id, name: 'Lễ hội', items: [{ contentId: notice.id }] })
    expect(playlist.items).toEqual([{ contentId: notice.id, durationSec: null }])
    const entryBody = { unitId: district.id, playlistId: playlist.id, targetUnitIds: [district.id] }

    // A draft never submitted (and one without targets, which submit would refuse) cannot be filed.
    const draft = await editor.ok<{ id: string }>('POST', '/console/api/schedule-entries', { ...entryBody, name: 'Bản nháp', targetUnitIds: [] })
    const filed = await editor.call<ApiError>('POST', '/console/api/approvals', { kind: 'schedule-entry', subjectId: draft.id })
    expect([filed.status, filed.body.error?.code, filed.body.error?.field]).toEqual([409, 'not-submitted', 'body.subjectId'])
    expect(filed.body.error.vi).toContain('chưa được gửi duyệt')
    expect(filed.body.error.en).toContain('has not been submitted')
    expect((await approver.ok<{ submissions: unknown[] }>('GET', '/console/api/approvals')).submissions).toEqual([])

    // Submitted and filed, it is approved: the text item plays its documented default.
    const entry = await editor.ok<{ id: string }>('POST', '/console/api/schedule-entries', { ...entryBody, name: 'Lễ hội 2027' })
    await editor.ok('POST', `/console/api/schedule-entries/${entry.id}/submit`)
    const submission = await editor.ok<{ id: number }>('POST', '/console/api/approvals', { kind: 'schedule-entry', subjectId: entry.id })
    const approved = await approver.call<{ state: string } & Partial<ApiError>>('POST', `/console/api/approvals/${submission.id}/approve`)
    expect([approved.status, approved.body.state, approved.body.error]).toEqual([200, 'approved', undefined])
    expect((await editor.ok<{ status: string }>('GET', `/console/api/schedule-entries/${entry.id}`)).status).toBe('approved')
    const again = await editor.call<ApiError>('POST', '/console/api/approvals', { kind: 'schedule-entry', subjectId: entry.id })
    expect([again.status, again.body.error.code, again.body.error.vi]).toEqual([409, 'not-submitted', 'Lịch phát “Lễ hội 2027” đã được duyệt; không cần trình duyệt lại.'])

    // Filed, then edited back to draft before the approver acts: approving fails in each language's own words.
    const later = await editor.ok<{ id: string }>('POST', '/console/api/schedule-entries', { ...entryBody, name: 'Lễ hội 2028' })
    await editor.ok('POST', `/console/api/schedule-entries/${later.id}/submit`)
    const waiting = await editor.ok<{ id: number }>('POST', '/console/api/approvals', { kind: 'schedule-entry', subjectId: later.id })
    await editor.ok('PUT', `/console/api/schedule-entries/${later.id}`, { ...entryBody, name: 'Lễ hội 2028 (sửa)' })
    const stale = await approver.call<ApiError>('POST', `/console/api/approvals/${waiting.id}/approve`)
    expect([stale.status, stale.body.error.code, stale.body.error.field]).toEqual([409, 'publish-failed', 'subjectId'])
    expect(stale.body.error.vi).toBe('Xuất bản không thành công, nội dung vẫn chờ duyệt: Lịch phát “Lễ hội 2028 (sửa)” chưa được gửi duyệt (đang là bản nháp): hãy bấm “Gửi duyệt” ở trang Lịch phát trước.')
    expect(stale.body.error.en).toContain('has not been submitted (it is draft)')
  }, 120_000)
})
