// The programme's console API: playlists and schedule entries (read by every role, written by bien-tap,
// duyet and quan-tri), submitting for approval, and what a board plays when. Scoped to the actor's units.
import { randomBytes } from 'node:crypto'
import { z } from 'zod'
import { ANY_ROLE, type Actor, type Role } from '../api/actor'
import { ApiFailure } from '../api/errors'
import { defineRoute, type AnyRoute, type ScopeKind } from '../api/route'
import { Id } from '../../main/core/protocol/manifest'
import { BoardProgrammeOut, EntryOut, EntryStatus, PlaylistOut } from './api-schemas'
import { ProgrammeError } from './errors'
import { CalendarDate, EntryInput, PlaylistInput, PlaylistRename } from './input'
import { publishedManifestFor } from './publish'
import {
  createEntry,
  createPlaylist,
  deleteEntry,
  deletePlaylist,
  getEntry,
  getPlaylist,
  listEntries,
  listPlaylists,
  renamePlaylist,
  submitEntry,
  updateEntry,
  updatePlaylist
} from './store'
import { whatPlaysWhen } from './when'

const WRITERS: readonly Role[] = ['bien-tap', 'duyet', 'quan-tri']
const TAG = 'programme'
const IdParams = z.object({ id: Id })
/** A playlist's unit and every item's content: only content the actor may read in the library (its unit in
 *  the actor's subtree, the library's own rule) may be played, or one unit could broadcast another's drafts. */
const PLAYLIST_BODY_SCOPE = { 'body.unitId': 'unit', 'body.items.*.contentId': 'content' } as const
/** Every unit-scoped id an entry's body names: its unit, its playlist, the units and boards it targets. */
const ENTRY_BODY_SCOPE = { 'body.unitId': 'unit', 'body.playlistId': 'playlist', 'body.targetUnitIds': 'unit', 'body.targetBoardIds': 'board' } as const

/** The programme's errors as the API's, the field placed where the request carried it. */
async function answering<T>(where: 'body' | 'params' | null, run: () => Promise<T>): Promise<T> {
  try {
    return await run()
  } catch (error) {
    if (!(error instanceof ProgrammeError)) throw error
    const field = error.field === 'id' ? 'params.id' : where === 'body' ? `body.${error.field}` : error.field
    const code = error.code === 'invalid' ? 'bad-input' : error.code
    throw new ApiFailure(error.status, code, error.vi, error.en, field)
  }
}

function unitsOf(actor: Actor): string[] {
  return [...actor.subtree]
}

export const playlistKind: ScopeKind = {
  async unitOf(db, id) {
    return (await db.selectFrom('programme_playlist').select('unit_id').where('id', '=', id).executeTakeFirst())?.unit_id ?? null
  },
  async sample(db, unitId) {
    // Names are unique within a unit: each sample gets its own.
    return (await createPlaylist(db, { unitId, name: `Danh sách mẫu ${randomBytes(4).toString('hex')}`, items: [] })).id
  }
}

export const entryKind: ScopeKind = {
  async unitOf(db, id) {
    return (await db.selectFrom('programme_entry').select('unit_id').where('id', '=', id).executeTakeFirst())?.unit_id ?? null
  },
  async sample(db, unitId) {
    const playlistId = await playlistKind.sample?.(db, unitId)
    return (await createEntry(db, { unitId, playlistId, name: 'Lịch mẫu' })).id
  }
}

export const PROGRAMME_KINDS: Record<string, ScopeKind> = { playlist: playlistKind, 'schedule-entry': entryKind }

export const programmeRoutes: AnyRoute[] = [
  defineRoute({
    method: 'GET',
    path: '/console/api/playlists',
    roles: ANY_ROLE,
    summary: 'Danh sách phát của các đơn vị mình quản lý / playlists of the units one manages',
    tag: TAG,
    output: z.object({ playlists: z.array(PlaylistOut) }),
    async handler(ctx) {
      return { playlists: await listPlaylists(ctx.db, { unitIds: unitsOf(ctx.actor) }) }
    }
  }),
  defineRoute({
    method: 'POST',
    path: '/console/api/playlists',
    roles: WRITERS,
    summary: 'Tạo danh sách phát / create a playlist',
    tag: TAG,
    body: PlaylistInput,
    scope: PLAYLIST_BODY_SCOPE,
    output: PlaylistOut,
    status: 201,
    async handler(ctx, input) {
      const playlist = await answering('body', () => createPlaylist(ctx.db, input.body, { actor: ctx.actor.userId, now: new Date(ctx.now()) }))
      await ctx.audit('programme.playlist.create', playlist.id, { name: playlist.name, items: playlist.items.length }, { targetUnitId: playlist.unitId })
      return playlist
    }
  }),
  defineRoute({
    method: 'GET',
    path: '/console/api/playlists/:id',
    roles: ANY_ROLE,
    summary: 'Một danh sách phát / one playlist',
    tag: TAG,
    params: IdParams,
    scope: { 'params.id': 'playlist' },
    output: PlaylistOut,
    async handler(ctx, input) {
      const playlist = await getPlaylist(ctx.db, input.params.id)
      if (!playlist) throw new ApiFailure(404, 'not-found', 'Không có danh sách phát này.', 'No such playlist.', 'params.id')
      return playlist
    }
  }),
  defineRoute({
    method: 'PUT',
    path: '/console/api/playlists/:id',
    roles: WRITERS,
    summary: 'Sửa danh sách phát (mục thay đổi: lịch đang dùng nó trở về bản nháp; không đổi: giữ nguyên) / replace a playlist (items changed: entries playing it go back to draft; unchanged: they keep their status)',
    tag: TAG,
    params: IdParams,
    body: PlaylistInput,
    scope: { 'params.id': 'playlist', ...PLAYLIST_BODY_SCOPE },
    output: z.object({ playlist: PlaylistOut, entriesBackToDraft: z.array(z.string()) }),
    async handler(ctx, input) {
      const reply = await answering('body', () => updatePlaylist(ctx.db, input.params.id, input.body, { actor: ctx.actor.userId, now: new Date(ctx.now()) }))
      await ctx.audit('programme.playlist.update', reply.playlist.id, { name: reply.playlist.name, items: reply.playlist.items.length, entriesBackToDraft: reply.entriesBackToDraft.length }, { targetUnitId: reply.playlist.unitId })
      return reply
    }
  }),
  defineRoute({
    method: 'PATCH',
    path: '/console/api/playlists/:id',
    roles: WRITERS,
    summary: 'Đổi tên danh sách phát (lịch dùng nó giữ nguyên trạng thái) / rename a playlist (entries playing it keep their status)',
    tag: TAG,
    params: IdParams,
    body: PlaylistRename,
    scope: { 'params.id': 'playlist' },
    output: PlaylistOut,
    async handler(ctx, input) {
      const playlist = await answering('body', () => renamePlaylist(ctx.db, input.params.id, input.body, { now: new Date(ctx.now()) }))
      await ctx.audit('programme.playlist.rename', playlist.id, { name: playlist.name }, { targetUnitId: playlist.unitId })
      return playlist
    }
  }),
  defineRoute({
    method: 'DELETE',
    path: '/console/api/playlists/:id',
    roles: WRITERS,
    summary: 'Xoá danh sách phát không lịch nào dùng / delete a playlist no entry plays',
    tag: TAG,
    params: IdParams,
    scope: { 'params.id': 'playlist' },
    output: z.object({ deleted: z.string() }),
    async handler(ctx, input) {
      const name = (await getPlaylist(ctx.db, input.params.id))?.name ?? null
      await answering('params', () => deletePlaylist(ctx.db, input.params.id))
      await ctx.audit('programme.playlist.delete', input.params.id, { name })
      return { deleted: input.params.id }
    }
  }),
  defineRoute({
    method: 'GET',
    path: '/console/api/schedule-entries',
    roles: ANY_ROLE,
    summary: 'Lịch phát của các đơn vị mình quản lý, lọc theo trạng thái / schedule entries of the units one manages, by status',
    tag: TAG,
    query: z.object({ status: EntryStatus.optional() }),
    output: z.object({ entries: z.array(EntryOut) }),
    async handler(ctx, input) {
      const status = input.query.status
      return { entries: await listEntries(ctx.db, { unitIds: unitsOf(ctx.actor), ...(status ? { status: [status] } : {}) }) }
    }
  }),
  defineRoute({
    method: 'POST',
    path: '/console/api/schedule-entries',
    roles: WRITERS,
    summary: 'Tạo lịch phát (bản nháp) / create a schedule entry (a draft)',
    tag: TAG,
    body: EntryInput,
    scope: ENTRY_BODY_SCOPE,
    output: EntryOut,
    status: 201,
    async handler(ctx, input) {
      const entry = await answering('body', () => createEntry(ctx.db, input.body, { actor: ctx.actor.userId, now: new Date(ctx.now()) }))
      await ctx.audit('programme.entry.create', entry.id, { name: entry.name, playlistId: entry.playlistId }, { targetUnitId: entry.unitId })
      return entry
    }
  }),
  defineRoute({
    method: 'GET',
    path: '/console/api/schedule-entries/:id',
    roles: ANY_ROLE,
    summary: 'Một lịch phát / one schedule entry',
    tag: TAG,
    params: IdParams,
    scope: { 'params.id': 'schedule-entry' },
    output: EntryOut,
    async handler(ctx, input) {
      const entry = await getEntry(ctx.db, input.params.id)
      if (!entry) throw new ApiFailure(404, 'not-found', 'Không có lịch phát này.', 'No such schedule entry.', 'params.id')
      return entry
    }
  }),
  defineRoute({
    method: 'PUT',
    path: '/console/api/schedule-entries/:id',
    roles: WRITERS,
    summary: 'Sửa lịch phát (có thay đổi: trở về bản nháp; không đổi gì: giữ nguyên trạng thái) / replace a schedule entry (changed: back to draft; unchanged: it keeps its status)',
    tag: TAG,
    params: IdParams,
    body: EntryInput,
    scope: { 'params.id': 'schedule-entry', ...ENTRY_BODY_SCOPE },
    output: EntryOut,
    async handler(ctx, input) {
      const before = (await getEntry(ctx.db, input.params.id))?.status ?? null
      const entry = await answering('body', () => updateEntry(ctx.db, input.params.id, input.body, { actor: ctx.actor.userId, now: new Date(ctx.now()) }))
      await ctx.audit('programme.entry.update', entry.id, { name: entry.name, from: before, status: entry.status }, { targetUnitId: entry.unitId })
      return entry
    }
  }),
  defineRoute({
    method: 'DELETE',
    path: '/console/api/schedule-entries/:id',
    roles: WRITERS,
    summary: 'Xoá lịch phát (bảng tin thôi phát từ lần xuất bản sau) / delete a schedule entry (boards drop it at the next publication)',
    tag: TAG,
    params: IdParams,
    scope: { 'params.id': 'schedule-entry' },
    output: z.object({ deleted: z.string() }),
    async handler(ctx, input) {
      const name = (await getEntry(ctx.db, input.params.id))?.name ?? null
      await answering('params', () => deleteEntry(ctx.db, input.params.id))
      await ctx.audit('programme.entry.delete', input.params.id, { name })
      return { deleted: input.params.id }
    }
  }),
  defineRoute({
    method: 'POST',
    path: '/console/api/schedule-entries/:id/submit',
    roles: WRITERS,
    summary: 'Gửi lịch phát đi duyệt / submit a schedule entry for approval',
    tag: TAG,
    params: IdParams,
    scope: { 'params.id': 'schedule-entry' },
    output: EntryOut,
    async handler(ctx, input) {
      const entry = await answering(null, () => submitEntry(ctx.db, input.params.id, { actor: ctx.actor.userId, now: new Date(ctx.now()) }))
      await ctx.audit('programme.entry.submit', entry.id, { name: entry.name }, { targetUnitId: entry.unitId })
      return entry
    }
  }),
  defineRoute({
    method: 'GET',
    path: '/console/api/boards/:deviceId/programme',
    roles: ANY_ROLE,
    summary: 'Bảng tin phát gì, lúc nào (một ngày hoặc một tuần, giờ Việt Nam) / what a board plays when (a day or a week, Vietnam time)',
    tag: TAG,
    params: z.object({ deviceId: Id }),
    query: z.object({ date: CalendarDate, days: z.coerce.number().int().min(1).max(7).default(1) }),
    scope: { 'params.deviceId': 'board' },
    output: BoardProgrammeOut,
    async handler(ctx, input) {
      const published = await publishedManifestFor(ctx.db, input.params.deviceId)
      const day = whatPlaysWhen(published?.manifest ?? null, input.query.date, input.query.days)
      return { deviceId: input.params.deviceId, publicationId: published?.publicationId ?? null, version: published?.version ?? null, ...day }
    }
  })
]
