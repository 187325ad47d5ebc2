// Playlists and schedule entries in the database: create, read, update, delete, submit, and the status
// column the approval room drives. Every write is one transaction; bad input stores nothing.
import { randomBytes } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Database } from '../db/schema'
import type { EntryStatus } from '../db/tables/programme'
import type { EntrySpec, PlaylistSpec } from './compile'
import { invalid, notFound, ProgrammeError } from './errors'
import { checkEntry, checkSubmittable, EntryInput, parseInput, PlaylistInput, PlaylistRename, type Targets } from './input'

type Db = Kysely<Database>

export interface PlaylistRecord extends PlaylistSpec {
  items: { contentId: string; durationSec: number | null }[]
  createdBy: string | null
  createdAt: string
  updatedAt: string
}

export interface EntryRecord extends EntrySpec {
  status: EntryStatus
  createdBy: string | null
  createdAt: string
  updatedAt: string
}

export interface WriteOptions {
  /** Who is writing (a user id), for the record. */
  actor?: string | null
  now?: Date
}

/** One transaction: the caller's when it is in one (a console API route), else a new one. */
function inTransaction<T>(db: Db, run: (trx: Db) => Promise<T>): Promise<T> {
  return db.isTransaction ? run(db) : db.transaction().execute(run)
}

function newId(prefix: string): string {
  return `${prefix}-${randomBytes(6).toString('hex')}`
}

function stamp(options: WriteOptions): string {
  return (options.now ?? new Date()).toISOString()
}

async function playlistItems(db: Db, ids: readonly string[]): Promise<Map<string, PlaylistSpec['items'][number][]>> {
  const items = new Map<string, { contentId: string; durationSec: number | null }[]>(ids.map((id) => [id, []]))
  if (ids.length === 0) return items
  const rows = await db.selectFrom('programme_playlist_item').selectAll().where('playlist_id', 'in', ids).orderBy('playlist_id').orderBy('position').execute()
  for (const row of rows) items.get(row.playlist_id)?.push({ contentId: row.content_id, durationSec: row.duration_sec })
  return items
}

export async function listPlaylists(db: Db, filter: { unitIds?: readonly string[]; ids?: readonly string[] } = {}): Promise<PlaylistRecord[]> {
  if (filter.unitIds?.length === 0 || filter.ids?.length === 0) return []
  let query = db.selectFrom('programme_playlist').selectAll()
  if (filter.unitIds) query = query.where('unit_id', 'in', filter.unitIds)
  if (filter.ids) query = query.where('id', 'in', filter.ids)
  const rows = await query.orderBy('created_at').orderBy('id').execute()
  const items = await playlistItems(
    db,
    rows.map((row) => row.id)
  )
  return rows.map((row) => ({
    id: row.id,
    unitId: row.unit_id,
    name: row.name,
    items: items.get(row.id) ?? [],
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at
  }))
}

export async function getPlaylist(db: Db, id: string): Promise<PlaylistRecord | null> {
  return (await listPlaylists(db, { ids: [id] }))[0] ?? null
}

async function writeItems(db: Db, playlistId: string, items: PlaylistInput['items']): Promise<void> {
  await db.deleteFrom('programme_playlist_item').where('playlist_id', '=', playlistId).execute()
  // Chunks: SQLite caps bound parameters per statement.
  for (let start = 0; start < items.length; start += 200) {
    const chunk = items.slice(start, start + 200).map((item, i) => ({ playlist_id: playlistId, position: start + i, content_id: item.contentId, duration_sec: item.durationSec }))
    await db.insertInto('programme_playlist_item').values(chunk).execute()
  }
}

/** How two playlist names are compared: NFC, spaces trimmed and collapsed; case and diacritics count. */
function playlistNameKey(name: string): string {
  return name.normalize('NFC').replace(/\s+/gu, ' ').trim()
}

/** Refuses a name another playlist of the same unit has: two "Khác" in the entry form's picker. */
async function requireFreeName(db: Db, unitId: string, name: string, exceptId: string | null): Promise<void> {
  const key = playlistNameKey(name)
  const others = await db.selectFrom('programme_playlist').select(['id', 'name']).where('unit_id', '=', unitId).execute()
  if (others.some((other) => other.id !== exceptId && playlistNameKey(other.name) === key)) {
    throw new ProgrammeError('conflict', 'name', `Đơn vị này đã có danh sách phát tên “${key}”: hãy đặt tên khác.`, `This unit already has a playlist named “${key}”: choose another name.`)
  }
}

export async function createPlaylist(db: Db, input: unknown, options: WriteOptions = {}): Promise<PlaylistRecord> {
  const playlist = parseInput(PlaylistInput, input)
  const id = newId('ds')
  const at = stamp(options)
  await inTransaction(db, async (trx) => {
    await requireFreeName(trx, playlist.unitId, playlist.name, null)
    await trx
      .insertInto('programme_playlist')
      .values({ id, unit_id: playlist.unitId, name: playlist.name, created_by: options.actor ?? null, created_at: at, updated_at: at })
      .execute()
    await writeItems(trx, id, playlist.items)
  })
  return (await getPlaylist(db, id)) as PlaylistRecord
}

/** Whether two item lists play the same: same content, same order, same seconds (what boards are given). */
function sameItems(a: readonly { contentId: string; durationSec: number | null }[], b: readonly { contentId: string; durationSec: number | null }[]): boolean {
  return a.length === b.length && a.every((item, i) => item.contentId === b[i]?.contentId && item.durationSec === b[i]?.durationSec)
}

/**
 * Replaces a playlist. When its items change, entries that play it and were submitted or approved go back
 * to draft: what boards show must have been approved as it is, not as it was. When they do not (a save
 * with nothing changed, a new name or unit), no entry changes: nothing a board plays did.
 */
export async function updatePlaylist(db: Db, id: string, input: unknown, options: WriteOptions = {}): Promise<{ playlist: PlaylistRecord; entriesBackToDraft: string[] }> {
  const playlist = parseInput(PlaylistInput, input)
  const at = stamp(options)
  const reset = await inTransaction(db, async (trx) => {
    const before = (await playlistItems(trx, [id])).get(id) ?? []
    await requireFreeName(trx, playlist.unitId, playlist.name, id)
    const updated = await trx.updateTable('programme_playlist').set({ unit_id: playlist.unitId, name: playlist.name, updated_at: at }).where('id', '=', id).executeTakeFirst()
    if (updated.numUpdatedRows === 0n) throw notFound('id', `Không có danh sách phát ${id}.`, `No playlist ${id}.`)
    if (sameItems(before, playlist.items)) return []
    await writeItems(trx, id, playlist.items)
    return backToDraft(trx, [id], at)
  })
  return { playlist: (await getPlaylist(db, id)) as PlaylistRecord, entriesBackToDraft: reset }
}

/** Renames a playlist. Its entries keep their status: the name is not shown on any board. */
export async function renamePlaylist(db: Db, id: string, input: unknown, options: WriteOptions = {}): Promise<PlaylistRecord> {
  const { name } = parseInput(PlaylistRename, input)
  await inTransaction(db, async (trx) => {
    const row = await trx.selectFrom('programme_playlist').select('unit_id').where('id', '=', id).executeTakeFirst()
    if (!row) throw notFound('id', `Không có danh sách phát ${id}.`, `No playlist ${id}.`)
    await requireFreeName(trx, row.unit_id, name, id)
    await trx.updateTable('programme_playlist').set({ name, updated_at: stamp(options) }).where('id', '=', id).execute()
  })
  return (await getPlaylist(db, id)) as PlaylistRecord
}

export async function deletePlaylist(db: Db, id: string): Promise<void> {
  await inTransaction(db, async (trx) => {
    // Named by the entry's name (what the officer sees on Lịch phát), not its id.
    const used = await trx.selectFrom('programme_entry').select(['id', 'name']).where('playlist_id', '=', id).orderBy('created_at').orderBy('id').execute()
    if (used.length > 0) {
      const name = used[0]!.name
      const more = used.length - 1
      throw new ProgrammeError(
        'conflict',
        'id',
        `Không xoá được: lịch phát “${name}”${more > 0 ? ` và ${more} lịch khác` : ''} đang dùng danh sách này. Hãy xoá lịch đó hoặc chọn danh sách khác cho nó trước.`,
        `Cannot delete: schedule entry “${name}”${more > 0 ? ` and ${more} other${more > 1 ? 's' : ''}` : ''} play${more > 0 ? '' : 's'} this playlist. Delete the entry or give it another playlist first.`
      )
    }
    const deleted = await trx.deleteFrom('programme_playlist').where('id', '=', id).executeTakeFirst()
    if (deleted.numDeletedRows === 0n) throw notFound('id', `Không có danh sách phát ${id}.`, `No playlist ${id}.`)
  })
}

export async function listEntries(db: Db, filter: { unitIds?: readonly string[]; status?: readonly EntryStatus[]; ids?: readonly string[] } = {}): Promise<EntryRecord[]> {
  if (filter.unitIds?.length === 0 || filter.status?.length === 0 || filter.ids?.length === 0) return []
  let query = db.selectFrom('programme_entry').selectAll()
  if (filter.unitIds) query = query.where('unit_id', 'in', filter.unitIds)
  if (filter.status) query = query.where('status', 'in', filter.status)
  if (filter.ids) query = query.where('id', 'in', filter.ids)
  const rows = await query.orderBy('created_at').orderBy('id').execute()
  const targets = new Map<string, Targets>(rows.map((row) => [row.id, { targetUnitIds: [], targetTags: [], targetBoardIds: [] }]))
  const field = { unit: 'targetUnitIds', tag: 'targetTags', board: 'targetBoardIds' } as const
  if (rows.length > 0) {
    const ids = rows.map((row) => row.id)
    for (let start = 0; start < ids.length; start += 500) {
      const found = await db.selectFrom('programme_entry_target').selectAll().where('entry_id', 'in', ids.slice(start, start + 500)).orderBy('value').execute()
      for (const target of found) targets.get(target.entry_id)?.[field[target.kind]].push(target.value)
    }
  }
  return rows.map((row) => ({
    id: row.id,
    unitId: row.unit_id,
    playlistId: row.playlist_id,
    name: row.name,
    validFrom: row.valid_from,
    validTo: row.valid_to,
    weekdays: row.weekdays === null ? null : (JSON.parse(row.weekdays) as EntrySpec['weekdays']),
    windows: row.windows === null ? null : (JSON.parse(row.windows) as EntrySpec['windows']),
    priority: row.priority,
    displayHours: row.display_on !== null && row.display_off !== null ? { on: row.display_on, off: row.display_off } : null,
    ...(targets.get(row.id) ?? { targetUnitIds: [], targetTags: [], targetBoardIds: [] }),
    status: row.status,
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at
  }))
}

export async function getEntry(db: Db, id: string): Promise<EntryRecord | null> {
  return (await listEntries(db, { ids: [id] }))[0] ?? null
}

function entryColumns(entry: EntryInput) {
  return {
    unit_id: entry.unitId,
    playlist_id: entry.playlistId,
    name: entry.name,
    valid_from: entry.validFrom,
    valid_to: entry.validTo,
    weekdays: entry.weekdays === null ? null : JSON.stringify([...new Set(entry.weekdays)].sort((a, b) => a - b)),
    windows: entry.windows === null ? null : JSON.stringify(entry.windows),
    priority: entry.priority,
    display_on: entry.displayHours?.on ?? null,
    display_off: entry.displayHours?.off ?? null
  }
}

async function writeTargets(db: Db, entryId: string, targets: Targets): Promise<void> {
  await db.deleteFrom('programme_entry_target').where('entry_id', '=', entryId).execute()
  const rows = [
    ...[...new Set(targets.targetUnitIds)].map((value) => ({ entry_id: entryId, kind: 'unit' as const, value })),
    ...[...new Set(targets.targetTags)].map((value) => ({ entry_id: entryId, kind: 'tag' as const, value })),
    ...[...new Set(targets.targetBoardIds)].map((value) => ({ entry_id: entryId, kind: 'board' as const, value }))
  ]
  for (let start = 0; start < rows.length; start += 200) await db.insertInto('programme_entry_target').values(rows.slice(start, start + 200)).execute()
}

async function parseEntry(db: Db, input: unknown): Promise<EntryInput> {
  const entry = parseInput(EntryInput, input)
  checkEntry(entry)
  const playlist = await db.selectFrom('programme_playlist').select('id').where('id', '=', entry.playlistId).executeTakeFirst()
  if (!playlist) throw invalid('playlistId', `Không có danh sách phát ${entry.playlistId}.`, `No playlist ${entry.playlistId}.`)
  return entry
}

/** A new entry, as a draft. */
export async function createEntry(db: Db, input: unknown, options: WriteOptions = {}): Promise<EntryRecord> {
  const entry = await parseEntry(db, input)
  const id = newId('lich')
  const at = stamp(options)
  await inTransaction(db, async (trx) => {
    await trx
      .insertInto('programme_entry')
      .values({ id, ...entryColumns(entry), status: 'draft', created_by: options.actor ?? null, created_at: at, updated_at: at })
      .execute()
    await writeTargets(trx, id, entry)
  })
  return (await getEntry(db, id)) as EntryRecord
}

function sortedTargets(targets: Targets): string {
  const sorted = (values: readonly string[]) => [...new Set(values)].sort()
  return JSON.stringify([sorted(targets.targetUnitIds), sorted(targets.targetTags), sorted(targets.targetBoardIds)])
}

/**
 * Replaces an entry. A real change makes it a draft again, whatever its status was (an approval covers what
 * was approved); a save with nothing changed changes nothing (an approved entry stays on the boards).
 */
export async function updateEntry(db: Db, id: string, input: unknown, options: WriteOptions = {}): Promise<EntryRecord> {
  const entry = await parseEntry(db, input)
  const at = stamp(options)
  await inTransaction(db, async (trx) => {
    const before = await trx.selectFrom('programme_entry').selectAll().where('id', '=', id).executeTakeFirst()
    if (!before) throw notFound('id', `Không có lịch phát ${id}.`, `No schedule entry ${id}.`)
    const columns = entryColumns(entry)
    const stored = before as unknown as Record<string, unknown>
    const sameColumns = (Object.keys(columns) as Array<keyof typeof columns>).every((key) => columns[key] === stored[key])
    if (sameColumns && sortedTargets(entry) === sortedTargets((await getEntry(trx, id)) as EntryRecord)) return
    await trx
      .updateTable('programme_entry')
      .set({ ...columns, status: 'draft', updated_at: at })
      .where('id', '=', id)
      .execute()
    await writeTargets(trx, id, entry)
  })
  return (await getEntry(db, id)) as EntryRecord
}

export async function deleteEntry(db: Db, id: string): Promise<void> {
  const deleted = await db.deleteFrom('programme_entry').where('id', '=', id).executeTakeFirst()
  if (deleted.numDeletedRows === 0n) throw notFound('id', `Không có lịch phát ${id}.`, `No schedule entry ${id}.`)
}

/**
 * Moves an entry from one of `from` to `to`, only if it is in one of them now (compare-and-set, so two
 * approvers cannot both act on it). For the approval room, inside its own transaction. False: not moved.
 */
export async function setEntryStatus(db: Db, id: string, from: readonly EntryStatus[], to: EntryStatus, now = new Date()): Promise<boolean> {
  if (from.length === 0) return false
  const updated = await db.updateTable('programme_entry').set({ status: to, updated_at: now.toISOString() }).where('id', '=', id).where('status', 'in', from).executeTakeFirst()
  return updated.numUpdatedRows === 1n
}

/** Draft or returned → submitted, once it has something to play and somewhere to play it. */
export async function submitEntry(db: Db, id: string, options: WriteOptions = {}): Promise<EntryRecord> {
  return inTransaction(db, async (trx) => {
    const entry = await getEntry(trx, id)
    if (!entry) throw notFound('id', `Không có lịch phát ${id}.`, `No schedule entry ${id}.`)
    if (entry.status !== 'draft' && entry.status !== 'returned') {
      throw new ProgrammeError('conflict', 'status', `Lịch phát đang ở trạng thái ${entry.status}, không gửi duyệt được.`, `The entry is ${entry.status}; only a draft or a returned entry can be submitted.`)
    }
    const playlist = await getPlaylist(trx, entry.playlistId)
    checkEntry(entry)
    checkSubmittable(entry, playlist?.items.length ?? 0)
    await setEntryStatus(trx, id, ['draft', 'returned'], 'submitted', options.now)
    return { ...entry, status: 'submitted' as const, updatedAt: (options.now ?? new Date()).toISOString() }
  })
}

/** What a publication compiles: every approved entry (in creation order) and the playlists they play. */
export async function approvedProgramme(db: Db): Promise<{ entries: EntryRecord[]; playlists: PlaylistRecord[] }> {
  const entries = await listEntries(db, { status: ['approved'] })
  const playlists = await listPlaylists(db, { ids: [...new Set(entries.map((entry) => entry.playlistId))] })
  return { entries, playlists }
}

/** Submitted or approved entries playing `playlistIds` → draft (in the caller's transaction); their ids. */
async function backToDraft(trx: Db, playlistIds: readonly string[], at: string): Promise<string[]> {
  if (playlistIds.length === 0) return []
  const affected = await trx.selectFrom('programme_entry').select('id').where('playlist_id', 'in', playlistIds).where('status', 'in', ['submitted', 'approved']).orderBy('created_at').orderBy('id').execute()
  const ids = affected.map((row) => row.id)
  if (ids.length > 0) await trx.updateTable('programme_entry').set({ status: 'draft', updated_at: at }).where('id', 'in', ids).execute()
  return ids
}

/**
 * The library's `contentChanged`: a content item changed in a way boards show, so every submitted or approved
 * entry whose playlist plays it goes back to draft (its approval covered the item as it was). Through `db`,
 * the caller's transaction. Boards keep the last publication until an approval republishes, and a draft
 * entry is not compiled then: the unapproved change reaches no board before someone approves it.
 */
export async function contentChanged(contentId: string, db: Db, now = new Date()): Promise<string[]> {
  const playlists = await db.selectFrom('programme_playlist_item').select('playlist_id').distinct().where('content_id', '=', contentId).execute()
  return backToDraft(
    db,
    playlists.map((row) => row.playlist_id),
    now.toISOString()
  )
}

/** The library's `contentInUse`: the names of the playlists that play a content item (read through `db`, the caller's transaction). */
export async function contentInUse(contentId: string, db: Db): Promise<string[]> {
  const rows = await db
    .selectFrom('programme_playlist_item as i')
    .innerJoin('programme_playlist as p', 'p.id', 'i.playlist_id')
    .select('p.name')
    .distinct()
    .where('i.content_id', '=', contentId)
    .orderBy('p.name')
    .execute()
  return rows.map((row) => row.name)
}
