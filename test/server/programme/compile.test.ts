// The compiler's refusals (each naming its field, in vi and en, and compiling nothing) and its promises:
// identical programmes share one document, versions follow content, ended entries are left out.
import { describe, expect, it } from 'vitest'
import { compileProgramme, type BoardPlacement, type CompileInput } from '../../../server/programme/compile'
import { ProgrammeError } from '../../../server/programme/errors'
import { BOARDS, entry, playlist, textContent, textLibrary } from './fixtures'

const NOW = new Date('2026-12-01T00:00:00+07:00')

function compile(overrides: Partial<CompileInput>) {
  return compileProgramme({ entries: [], playlists: [], boards: BOARDS, content: textLibrary, now: NOW, ...overrides })
}

function refusal(run: () => unknown): ProgrammeError {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(ProgrammeError)
    const refused = error as ProgrammeError
    expect(refused.vi.length).toBeGreaterThan(10)
    expect(refused.en.length).toBeGreaterThan(10)
    expect(refused.toBody().error.field).toBe(refused.field)
    return refused
  }
  throw new Error('expected a ProgrammeError, nothing was thrown')
}

describe('compile refusals', () => {
  const good = entry('lich-ok', 'ds-ok')
  const lists = [playlist('ds-ok', ['tin-1']), playlist('ds-empty', []), playlist('ds-gone', ['tin-2', 'da-xoa'])]

  it('a daily window that ends before it starts names the window', () => {
    const bad = entry('lich-x', 'ds-ok', { windows: [{ from: '08:00', to: '09:00' }, { from: '18:00', to: '07:00' }] })
    const error = refusal(() => compile({ entries: [good, bad], playlists: lists }))
    expect(error.field).toBe('entries.lich-x.windows.1.to')
    expect(error.code).toBe('invalid')
  })

  it('a last day before the first day names validTo', () => {
    const bad = entry('lich-x', 'ds-ok', { validFrom: '2026-12-10', validTo: '2026-12-09' })
    expect(refusal(() => compile({ entries: [bad, good], playlists: lists })).field).toBe('entries.lich-x.validTo')
  })

  it('display hours that end before they start name displayHours.off', () => {
    const bad = entry('lich-x', 'ds-ok', { displayHours: { on: '22:00', off: '05:00' } })
    expect(refusal(() => compile({ entries: [bad], playlists: lists })).field).toBe('entries.lich-x.displayHours.off')
  })

  it('a playlist with no items names the entry’s playlist', () => {
    const bad = entry('lich-x', 'ds-empty')
    expect(refusal(() => compile({ entries: [good, bad], playlists: lists })).field).toBe('entries.lich-x.playlistId')
  })

  it('a playlist that no longer exists is not found', () => {
    const error = refusal(() => compile({ entries: [entry('lich-x', 'ds-khong-co')], playlists: lists }))
    expect(error.field).toBe('entries.lich-x.playlistId')
    expect(error.status).toBe(404)
  })

  it('content gone from the library names the playlist item', () => {
    const error = refusal(() => compile({ entries: [good, entry('lich-x', 'ds-gone')], playlists: lists }))
    expect(error.field).toBe('entries.lich-x.playlist.items.1.contentId')
    expect(error.en).toContain('da-xoa')
  })

  it('an entry that reaches no target names targets', () => {
    const bad = entry('lich-x', 'ds-ok', { targetUnitIds: [], targetTags: [], targetBoardIds: [] })
    expect(refusal(() => compile({ entries: [bad], playlists: lists })).field).toBe('entries.lich-x.targetUnitIds')
  })

  it('content the manifest schema refuses names the item field', () => {
    const content = (id: string) => (id === 'tin-1' ? { ...textContent(id), item: { kind: 'text' as const, title: 'x'.repeat(501), body: 'b' } } : null)
    const error = refusal(() => compile({ entries: [good], playlists: lists, content }))
    expect(error.field).toBe('entries.lich-ok.playlist.items.0.title')
    // Words an officer can act on, naming the item and its playlist; not the schema's message.
    expect(error.vi).toMatch(/^Mục 1 của danh sách phát “Danh sách ds-ok” \(lịch “Lịch lich-ok”\)/)
    expect(error.en).toMatch(/^Item 1 of playlist “Danh sách ds-ok” \(entry “Lịch lich-ok”\)/)
    expect(`${error.vi} ${error.en}`).not.toMatch(/Too big|expected|Invalid input/i)
  })

  it('an item without a duration, whose content has none of its own, names the item’s durationSec', () => {
    const list = { ...playlist('ds-null', ['tin-1']), items: [{ contentId: 'tin-1', durationSec: null }] }
    const error = refusal(() => compile({ entries: [entry('lich-x', 'ds-null')], playlists: [list] }))
    expect(error.field).toBe('entries.lich-x.playlist.items.0.durationSec')
    expect(error.vi).toContain('Mục 1 của danh sách phát “Danh sách ds-null” (lịch “Lịch lich-x”) chưa có số giây hiển thị')
    expect(error.en).toContain('Item 1 of playlist “Danh sách ds-null” (entry “Lịch lich-x”) has no seconds on screen')
    expect(`${error.vi} ${error.en}`).not.toMatch(/expected number|Invalid input/)
  })

  it('a board listed twice is refused', () => {
    const boards = [BOARDS[0] as BoardPlacement, BOARDS[0] as BoardPlacement]
    expect(refusal(() => compile({ entries: [good], playlists: lists, boards })).field).toBe('boards.1.deviceId')
  })
})

describe('compiled documents', () => {
  it('5,000 boards with three placements share three documents, each board in exactly one', () => {
    const boards: BoardPlacement[] = Array.from({ length: 5000 }, (_, i) => ({
      deviceId: `bang-${i}`,
      unitPath: i % 2 === 0 ? ['x1', 'h1', 'tinh'] : ['x3', 'h2', 'tinh'],
      tags: i % 5 === 0 ? ['cho'] : []
    }))
    const entries = [entry('lich-tinh', 'ds-a'), entry('lich-h1', 'ds-b', { unitId: 'h1', targetUnitIds: ['h1'], targetTags: [], targetBoardIds: [] }), entry('lich-cho', 'ds-c', { targetUnitIds: [], targetTags: ['cho'], targetBoardIds: [] })]
    const compiled = compile({ entries, playlists: [playlist('ds-a', ['tin-a']), playlist('ds-b', ['tin-b']), playlist('ds-c', ['tin-c'])], boards })
    // x1 with and without the tag, x3 with and without it.
    expect(compiled.documents).toHaveLength(4)
    expect(compiled.documents.flatMap((doc) => doc.deviceIds).sort()).toEqual(boards.map((b) => b.deviceId).sort())
    const ofBoard = (id: string) => compiled.documents.find((doc) => doc.deviceIds.includes(id))!
    expect(ofBoard('bang-0').entryIds).toEqual(['lich-tinh', 'lich-h1', 'lich-cho'])
    expect(ofBoard('bang-1').entryIds).toEqual(['lich-tinh'])
    expect(ofBoard('bang-5').entryIds).toEqual(['lich-tinh', 'lich-cho'])
  })

  it('a version follows the content: the same programme twice is the same version, a change is a new one', () => {
    const input = { entries: [entry('lich-1', 'ds-1', { priority: 'uu-tien' })], playlists: [playlist('ds-1', ['tin-1'])] }
    const first = compile(input).documents.map((doc) => doc.version)
    expect(compile(input).documents.map((doc) => doc.version)).toEqual(first)
    const changed = compile({ ...input, playlists: [playlist('ds-1', ['tin-1', 'tin-2'])] }).documents.map((doc) => doc.version)
    expect(changed).not.toEqual(first)
    expect(compile(input).documents[0]?.manifest.playlists[0]?.priority).toBe('priority')
  })

  it('an item without a duration takes the content’s own: a video plays to its end, a notice its default', () => {
    const sha = 'a'.repeat(64)
    const content = (id: string) =>
      id === 'video-1'
        ? { item: { kind: 'video' as const, asset: sha }, assets: [{ sha256: sha, size: 1000, mime: 'video/mp4' as const, url: `media/${sha}` }], files: new Map([[sha, '/nonexistent/never-read']]) }
        : { ...textContent(id), item: { ...textContent(id).item, durationSec: 20 } }
    const list = { ...playlist('ds-1', []), items: [{ contentId: 'video-1', durationSec: null }, { contentId: 'tin-1', durationSec: null }, { contentId: 'tin-2', durationSec: 7 }] }
    const items = compile({ entries: [entry('lich-1', 'ds-1')], playlists: [list], content }).documents[0]?.manifest.playlists[0]?.items
    expect(items?.map((item) => item.durationSec)).toEqual([undefined, 20, 7])
  })

  it('leaves out an entry whose last day is over, and keeps one that ends today', () => {
    const entries = [entry('lich-cu', 'ds-1', { validTo: '2026-11-30' }), entry('lich-nay', 'ds-1', { validTo: '2026-12-01' })]
    const compiled = compile({ entries, playlists: [playlist('ds-1', ['tin-1'])] })
    expect(compiled.entryIds).toEqual(['lich-nay'])
    expect(compiled.documents[0]?.manifest.playlists[0]?.schedule).toEqual({ validTo: '2026-12-02T00:00:00+07:00' })
  })

  it('gives boards with no entry an empty programme, and display hours the span of all entries asking', () => {
    const entries = [
      entry('lich-1', 'ds-1', { displayHours: { on: '06:00', off: '21:00' } }),
      entry('lich-2', 'ds-1', { unitId: 'h1', targetUnitIds: ['x1'], targetTags: [], targetBoardIds: [], displayHours: { on: '05:30', off: '24:00' } })
    ]
    const compiled = compile({ entries, playlists: [playlist('ds-1', ['tin-1'])], boards: [...BOARDS, { deviceId: 'bang-ngoai', unitPath: ['tinh-khac'], tags: ['cho'] }] })
    const ofBoard = (id: string) => compiled.documents.find((doc) => doc.deviceIds.includes(id))!.manifest
    expect(ofBoard('bang-1').displayHours).toEqual({ on: '05:30', off: '00:00' })
    expect(ofBoard('bang-3').displayHours).toEqual({ on: '06:00', off: '21:00' })
    expect(ofBoard('bang-ngoai').playlists).toEqual([])
    expect(ofBoard('bang-ngoai').displayHours).toBeUndefined()
  })
})
