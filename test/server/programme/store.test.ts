// Playlists and schedule entries in a real SQLite file: what is stored comes back, bad input stores
// nothing, edits send approved entries back to draft, and the status moves only from where it is.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openSqlite, type OpenedDatabase } from '../../../server/db/database'
import { ProgrammeError } from '../../../server/programme/errors'
import { previewBoard } from '../../../server/programme/preview'
import {
  approvedProgramme,
  createEntry,
  createPlaylist,
  deleteEntry,
  deletePlaylist,
  getEntry,
  listEntries,
  listPlaylists,
  setEntryStatus,
  submitEntry,
  updateEntry,
  updatePlaylist
} from '../../../server/programme/store'
import { textContent } from './fixtures'

let dir = ''
let opened: OpenedDatabase
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bangtin-programme-'))
  opened = await openSqlite(join(dir, 'source.sqlite'))
})
afterEach(async () => {
  await opened.close()
  rmSync(dir, { recursive: true, force: true })
})

async function refused(promise: Promise<unknown>): Promise<ProgrammeError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e
  )
  expect(error).toBeInstanceOf(ProgrammeError)
  return error as ProgrammeError
}

const items = [
  { contentId: 'tin-1', durationSec: 10 },
  { contentId: 'tin-2', durationSec: 15 }
]
const entryInput = (playlistId: string, extra: Record<string, unknown> = {}) => ({
  unitId: 'h1',
  playlistId,
  name: 'Tuyên truyền tiêm chủng',
  validFrom: '2026-12-01',
  validTo: '2026-12-31',
  weekdays: [5, 1, 1],
  windows: [{ from: '06:00', to: '08:00' }, { from: '17:00', to: '24:00' }],
  priority: 'uu-tien',
  displayHours: { on: '05:00', off: '22:00' },
  targetUnitIds: ['x1'], targetTags: ['cho'], targetBoardIds: ['bang-9'],
  ...extra
})

describe('playlists', () => {
  it('stores a playlist with its items in order and lists it by unit', async () => {
    const created = await createPlaylist(opened.db, { unitId: 'h1', name: 'Bản tin sáng', items }, { actor: 'u-1' })
    expect(created).toMatchObject({ unitId: 'h1', name: 'Bản tin sáng', items, createdBy: 'u-1' })
    expect(await listPlaylists(opened.db, { unitIds: ['h1', 'x1'] })).toHaveLength(1)
    expect(await listPlaylists(opened.db, { unitIds: ['h2'] })).toEqual([])
    expect(await listPlaylists(opened.db, { unitIds: [] })).toEqual([])
  })

  it('refuses bad input naming the field, storing nothing', async () => {
    const error = await refused(createPlaylist(opened.db, { unitId: 'h1', name: 'x', items: [{ contentId: 'tin-1', durationSec: 0 }] }))
    expect(error.field).toBe('items.0.durationSec')
    expect(error.vi).toContain('items.0.durationSec')
    expect((await refused(createPlaylist(opened.db, { unitId: 'h1', name: '  ', items }))).field).toBe('name')
    expect(await listPlaylists(opened.db)).toEqual([])
  })

  it('a playlist an entry plays cannot be deleted; editing it sends approved entries back to draft', async () => {
    const list = await createPlaylist(opened.db, { unitId: 'h1', name: 'Bản tin', items })
    const entry = await createEntry(opened.db, entryInput(list.id))
    expect(await setEntryStatus(opened.db, entry.id, ['draft'], 'approved')).toBe(true)
    expect((await refused(deletePlaylist(opened.db, list.id))).code).toBe('conflict')
    const { playlist, entriesBackToDraft } = await updatePlaylist(opened.db, list.id, { unitId: 'h1', name: 'Bản tin mới', items: items.slice(1) })
    expect(playlist.items).toEqual(items.slice(1))
    expect(entriesBackToDraft).toEqual([entry.id])
    expect((await getEntry(opened.db, entry.id))?.status).toBe('draft')
    await deleteEntry(opened.db, entry.id)
    await deletePlaylist(opened.db, list.id)
    expect(await listPlaylists(opened.db)).toEqual([])
    expect((await refused(deletePlaylist(opened.db, list.id))).status).toBe(404)
  })
})

describe('schedule entries', () => {
  it('stores an entry as a draft and reads it back whole (weekdays deduplicated and sorted)', async () => {
    const list = await createPlaylist(opened.db, { unitId: 'h1', name: 'Bản tin', items })
    const created = await createEntry(opened.db, entryInput(list.id), { actor: 'u-2' })
    expect(created).toMatchObject({
      ...entryInput(list.id),
      weekdays: [1, 5],
      status: 'draft',
      createdBy: 'u-2'
    })
    expect(created.id).toMatch(/^lich-[0-9a-f]{12}$/)
  })

  it('refuses a window that ends before it starts, and a playlist that does not exist, storing nothing', async () => {
    const list = await createPlaylist(opened.db, { unitId: 'h1', name: 'Bản tin', items })
    const window = await refused(createEntry(opened.db, entryInput(list.id, { windows: [{ from: '09:00', to: '08:00' }] })))
    expect(window.field).toBe('windows.0.to')
    expect(window.vi).toContain('09:00–08:00')
    expect((await refused(createEntry(opened.db, entryInput(list.id, { validTo: '2026-11-01' })))).field).toBe('validTo')
    expect((await refused(createEntry(opened.db, entryInput('ds-khong-co')))).field).toBe('playlistId')
    expect((await refused(createEntry(opened.db, entryInput(list.id, { validFrom: '2026-02-30' })))).field).toBe('validFrom')
    expect((await refused(createEntry(opened.db, entryInput(list.id, { priority: 'khan-cap' })))).field).toBe('priority')
    expect(await listEntries(opened.db)).toEqual([])
  })

  it('submits only with targets and items, only from draft or returned; an edit is a draft again', async () => {
    const empty = await createPlaylist(opened.db, { unitId: 'h1', name: 'Trống', items: [] })
    const full = await createPlaylist(opened.db, { unitId: 'h1', name: 'Bản tin', items })
    const noTargets = await createEntry(opened.db, entryInput(full.id, { targetUnitIds: [], targetTags: [], targetBoardIds: [] }))
    expect((await refused(submitEntry(opened.db, noTargets.id))).field).toBe('targetUnitIds')
    const noItems = await createEntry(opened.db, entryInput(empty.id))
    expect((await refused(submitEntry(opened.db, noItems.id))).field).toBe('playlistId')
    const entry = await createEntry(opened.db, entryInput(full.id))
    expect((await submitEntry(opened.db, entry.id)).status).toBe('submitted')
    expect((await refused(submitEntry(opened.db, entry.id))).code).toBe('conflict')
    expect((await listEntries(opened.db, { status: ['submitted'], unitIds: ['h1'] })).map((e) => e.id)).toEqual([entry.id])
    // The approval room's move: only from where it is.
    expect(await setEntryStatus(opened.db, entry.id, ['draft'], 'approved')).toBe(false)
    expect(await setEntryStatus(opened.db, entry.id, ['submitted'], 'approved')).toBe(true)
    expect((await approvedProgramme(opened.db)).entries.map((e) => e.id)).toEqual([entry.id])
    expect((await approvedProgramme(opened.db)).playlists.map((p) => p.id)).toEqual([full.id])
    const edited = await updateEntry(opened.db, entry.id, entryInput(full.id, { name: 'Đã sửa' }))
    expect(edited).toMatchObject({ name: 'Đã sửa', status: 'draft' })
    expect((await approvedProgramme(opened.db)).entries).toEqual([])
    expect((await refused(updateEntry(opened.db, 'lich-khong-co', entryInput(full.id)))).status).toBe(404)
  })
})

describe('preview', () => {
  it('shows what a board would play with a submitted entry approved, storing and publishing nothing', async () => {
    const list = await createPlaylist(opened.db, { unitId: 'h1', name: 'Bản tin', items })
    const live = await createEntry(opened.db, entryInput(list.id, { windows: [{ from: '06:00', to: '08:00' }], weekdays: null, displayHours: null }))
    await setEntryStatus(opened.db, live.id, ['draft'], 'approved')
    const pending = await createEntry(opened.db, entryInput(list.id, { windows: [{ from: '07:00', to: '09:00' }], weekdays: null, displayHours: null, priority: 'thuong' }))
    await submitEntry(opened.db, pending.id)
    const board = { deviceId: 'bang-9', unitPath: ['x1', 'h1', 'tinh'], tags: [] }
    const input = { board, content: (id: string) => textContent(id), date: '2026-12-07', now: new Date('2026-12-01T00:00:00+07:00') }
    const before = await previewBoard(opened.db, { ...input, withEntryIds: [] })
    const after = await previewBoard(opened.db, { ...input, withEntryIds: [pending.id] })
    const at = (day: typeof before, iso: string) => day.slots.filter((s) => s.start <= iso && iso < s.end).map((s) => s.entryId)
    expect(at(before, '2026-12-07T00:30:00.000Z')).toEqual([live.id, live.id])
    // 07:30 Vietnam time: both, the approved one first (priority uu-tien), then the pending one.
    expect(at(after, '2026-12-07T00:30:00.000Z')).toEqual([live.id, live.id, pending.id, pending.id])
    expect(at(after, '2026-12-07T01:30:00.000Z')).toEqual([pending.id, pending.id])
    expect(after.version).not.toBe(before.version)
    expect((await getEntry(opened.db, pending.id))?.status).toBe('submitted')
    expect(await opened.db.selectFrom('programme_publication').selectAll().execute()).toEqual([])
  })
})
