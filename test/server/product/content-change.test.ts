// Changing approved content (product wiring of the library and programme rooms, real server and SQLite): a
// change boards show sends the entries playing it back to draft in the same request, the boards keep the
// approved text, and a later unrelated approval does not publish the unapproved text; renaming changes nothing.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { join } from 'node:path'
import { useTempDirs } from '../../helpers/temp-dir'
import { boardManifest, collectToken, districtWithOfficers, type StartedProduct, startPairing, startProductLines } from './console-client'
import { buildProduct, kill9, removeBuild } from './product-process'

describe('product: editing approved content', () => {
  const tempDir = useTempDirs()
  beforeAll(buildProduct)
  afterAll(removeBuild)
  const running: StartedProduct[] = []
  afterEach(async () => {
    await Promise.all(running.splice(0).map(kill9))
  })

  it('a changed notice or stream sends its entries back to draft; the boards keep the approved text until re-approval', async () => {
    const product = await startProductLines(join(await tempDir(), 'data'))
    running.push(product)
    const url = product.url
    const { district, commune, editor, approver } = await districtWithOfficers(product)
    const pairing = await startPairing(url)
    await approver.ok('POST', '/console/api/pairings/approve', { code: pairing.code, unitId: commune.id, displayName: 'Bảng UBND xã' })
    const board = await collectToken(url, pairing.pairingId)

    const notice = await editor.ok<{ id: string }>('POST', '/console/api/library/text-notices', { unitId: district.id, title: 'Tiêm chủng', body: 'Tiêm chủng tháng 12 tại trạm y tế.' })
    const stream = await editor.ok<{ id: string }>('POST', '/console/api/library/streams', { unitId: district.id, name: 'Truyền hình tỉnh', url: 'https://tv.example.vn/live/tinh.m3u8' })
    const other = await editor.ok<{ id: string }>('POST', '/console/api/library/text-notices', { unitId: district.id, body: 'Lịch khác.' })
    const playlist = await editor.ok<{ id: string }>('POST', '/console/api/playlists', { unitId: district.id, name: 'Y tế', items: [{ contentId: notice.id, durationSec: 20 }, { contentId: stream.id, durationSec: 60 }] })
    const otherPlaylist = await editor.ok<{ id: string }>('POST', '/console/api/playlists', { unitId: district.id, name: 'Khác', items: [{ contentId: other.id, durationSec: 20 }] })
    const approve = async (playlistId: string, name: string) => {
      const entry = await editor.ok<{ id: string }>('POST', '/console/api/schedule-entries', { unitId: district.id, playlistId, name, targetUnitIds: [commune.id] })
      await editor.ok('POST', `/console/api/schedule-entries/${entry.id}/submit`)
      const filed = await editor.ok<{ id: number }>('POST', '/console/api/approvals', { kind: 'schedule-entry', subjectId: entry.id })
      expect((await approver.ok<{ state: string }>('POST', `/console/api/approvals/${filed.id}/approve`)).state).toBe('approved')
      return entry.id
    }
    const status = async (id: string) => (await editor.ok<{ status: string }>('GET', `/console/api/schedule-entries/${id}`)).status
    const shown = async () => JSON.stringify((await boardManifest(product, board)).document)

    const entry = await approve(playlist.id, 'Tiêm chủng tháng 12')
    expect(await shown()).toContain('Tiêm chủng tháng 12 tại trạm y tế.')

    // A rename and an unchanged save touch no approval.
    const renamed = await editor.ok<{ entriesBackToDraft: string[] }>('PATCH', `/console/api/library/items/${notice.id}`, { name: 'Tiêm chủng (bản chính)' })
    expect(renamed.entriesBackToDraft).toEqual([])
    const same = await editor.ok<{ entriesBackToDraft: string[] }>('PATCH', `/console/api/library/items/${notice.id}`, { title: 'Tiêm chủng', body: 'Tiêm chủng tháng 12 tại trạm y tế.' })
    expect(same.entriesBackToDraft).toEqual([])
    expect(await status(entry)).toBe('approved')

    // The body changed: the entry needs approving again; the boards still show the approved text.
    const edited = await editor.ok<{ body: string; entriesBackToDraft: string[] }>('PATCH', `/console/api/library/items/${notice.id}`, { body: 'SỬA SAU KHI DUYỆT — chưa ai duyệt' })
    expect([edited.body, edited.entriesBackToDraft]).toEqual(['SỬA SAU KHI DUYỆT — chưa ai duyệt', [entry]])
    expect(await status(entry)).toBe('draft')
    expect(await shown()).toContain('Tiêm chủng tháng 12 tại trạm y tế.')

    // An unrelated approval republishes: the entry in draft is not compiled, so the unapproved text reaches no board.
    await approve(otherPlaylist.id, 'Khác')
    const after = await shown()
    expect(after).toContain('Lịch khác.')
    expect(after).not.toContain('SỬA SAU KHI DUYỆT')

    // Approved again as it now is, it plays; then a stream's address changed sends it back again.
    await editor.ok('POST', `/console/api/schedule-entries/${entry}/submit`)
    const again = await editor.ok<{ id: number }>('POST', '/console/api/approvals', { kind: 'schedule-entry', subjectId: entry })
    await approver.ok('POST', `/console/api/approvals/${again.id}/approve`)
    expect(await shown()).toContain('SỬA SAU KHI DUYỆT — chưa ai duyệt')
    const moved = await editor.ok<{ entriesBackToDraft: string[] }>('PATCH', `/console/api/library/items/${stream.id}`, { url: 'https://evil.example/unapproved/live.m3u8' })
    expect(moved.entriesBackToDraft).toEqual([entry])
    await approve(otherPlaylist.id, 'Khác 2')
    expect(await shown()).not.toContain('evil.example')
  }, 180_000)
})
