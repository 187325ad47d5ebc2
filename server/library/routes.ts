// The library's console API: upload (the file as the request body, streamed: a client shows progress from
// the bytes it has sent), text notices, tickers, streams, list, get, update, delete. Authors (bien-tap),
// approvers (duyet) and administrators (quan-tri) write; everyone signed in reads; always within the
// actor's unit subtree (the framework checks each unit and item id named; the library checks again).
import { randomUUID } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { z } from 'zod'
import { ANY_ROLE, type Actor, type Role } from '../api/actor'
import { ApiFailure } from '../api/errors'
import { defineRoute, RawReply, type AnyRoute, type RouteContext, type ScopeKind } from '../api/route'
import { contentFile, createStream, createTextNotice, createTicker, deleteContent, getContent, listContent, updateContent } from './content'
import { LibraryError } from './errors'
import { uploadMedia } from './intake'
import type { Library, LibraryActor } from './library'
import { ContentViewSchema, IdParams, ListQuery, ListReply, PatchBody, StreamBody, TextNoticeBody, TickerBody, UploadQuery, UploadReply } from './schemas'

declare module '../api/route' {
  interface ApiServices {
    /** The library (its db is replaced by the request's transaction in each handler). */
    library: Library
  }
}

const WRITE: readonly Role[] = ['bien-tap', 'duyet', 'quan-tri']
const TAG = 'library'

/** Items belong to their unit: the framework resolves `{ 'params.id': 'content' }` with this. */
export const contentKind: ScopeKind = {
  async unitOf(db, id) {
    const row = await db.selectFrom('library_content').select('unit_id').where('id', '=', id).executeTakeFirst()
    return row?.unit_id ?? null
  },
  // For the access matrix (test/server/access/matrix.test.ts): a text notice in that unit.
  async sample(db, unitId) {
    const id = randomUUID()
    const now = new Date().toISOString()
    await db
      .insertInto('library_content')
      .values({ id, unit_id: unitId, kind: 'text', name: 'Mẫu', media_sha256: null, title: null, body: 'Mẫu', url: null, fit: null, speed: null, muted: null, volume: null, created_by: 'sample', created_at: now, updated_at: now })
      .execute()
    return id
  }
}
export const LIBRARY_KINDS: Record<string, ScopeKind> = { content: contentKind }

function libraryOf(ctx: RouteContext<Actor>): Library {
  const library = ctx.services.library
  // A server without a data dir (the in-memory reference server) has no media folder: no library.
  if (!library) throw new ApiFailure(503, 'library-unavailable', 'Máy chủ này chưa có thư viện nội dung (chạy không có thư mục dữ liệu).', 'This server has no content library (it runs without a data dir).')
  return { ...library, db: ctx.db }
}

function actorOf(ctx: RouteContext<Actor>): LibraryActor {
  return { id: ctx.actor.userId, scope: ctx.actor.subtree }
}

/** Runs a library call, answering its refusals as the API's errors with the field where the API sees it. */
async function answering<T>(fields: Record<string, string>, run: () => Promise<T>, headers: Record<string, string> = {}): Promise<T> {
  try {
    return await run()
  } catch (error) {
    if (!(error instanceof LibraryError)) throw error
    const field = fields[error.field] ?? `body.${error.field}`
    throw new ApiFailure(error.status, error.code, error.vi, error.en, field, headers)
  }
}

const JSON_FIELDS = { id: 'params.id', unitId: 'body.unitId' }

export const libraryRoutes: AnyRoute[] = [
  defineRoute({
    method: 'POST',
    path: '/console/api/library/uploads',
    roles: WRITE,
    summary: 'Upload an image (JPEG, PNG, WebP) or video (MP4, MOV, WebM): the file is the request body',
    tag: TAG,
    query: UploadQuery,
    output: UploadReply,
    status: 201,
    scope: { 'query.unitId': 'unit' },
    rawBody: true,
    // An upload can take minutes: it must not hold the database's write transaction meanwhile. The
    // library commits the file's row in its own short transaction, after the bytes are safe.
    transaction: false,
    async handler(ctx, { query }) {
      const library = libraryOf(ctx)
      const fields = { file: 'body', name: 'query.name', unitId: 'query.unitId' }
      // A refused upload's unread body is not drained (it may be gigabytes): the connection closes instead.
      const close = { Connection: 'close' }
      const declared = Number(ctx.req.headers['content-length'])
      const cap = Math.max(library.limits.maxImageBytes, library.limits.maxVideoBytes)
      if (declared > cap) {
        throw new ApiFailure(413, 'too-large', 'Tệp quá lớn để tải lên.', 'The file is too large to upload.', 'body', close)
      }
      const result = await answering(
        fields,
        () => uploadMedia(library, actorOf(ctx), { unitId: query.unitId, ...(Number.isFinite(declared) ? { expectedBytes: declared } : {}), ...(query.name !== undefined ? { name: query.name } : {}), ...(query.fileName !== undefined ? { fileName: query.fileName } : {}), body: ctx.req }),
        close
      )
      await ctx.audit('library.upload', result.item.id, { name: result.item.name, kind: result.item.kind, unitId: query.unitId, alreadyInLibrary: result.alreadyInLibrary })
      return result
    }
  }),
  defineRoute({
    method: 'POST',
    path: '/console/api/library/text-notices',
    roles: WRITE,
    summary: 'Write a text notice (title and body; the board sizes it to fit)',
    tag: TAG,
    body: TextNoticeBody,
    output: ContentViewSchema,
    status: 201,
    scope: { 'body.unitId': 'unit' },
    async handler(ctx, { body }) {
      const item = await answering(JSON_FIELDS, () => createTextNotice(libraryOf(ctx), actorOf(ctx), body))
      await ctx.audit('library.create', item.id, { kind: item.kind, name: item.name, unitId: item.unitId })
      return item
    }
  }),
  defineRoute({
    method: 'POST',
    path: '/console/api/library/tickers',
    roles: WRITE,
    summary: 'Write a ticker (a crawling line of text)',
    tag: TAG,
    body: TickerBody,
    output: ContentViewSchema,
    status: 201,
    scope: { 'body.unitId': 'unit' },
    async handler(ctx, { body }) {
      const item = await answering(JSON_FIELDS, () => createTicker(libraryOf(ctx), actorOf(ctx), body))
      await ctx.audit('library.create', item.id, { kind: item.kind, name: item.name, unitId: item.unitId })
      return item
    }
  }),
  defineRoute({
    method: 'POST',
    path: '/console/api/library/streams',
    roles: WRITE,
    summary: 'Add a live stream (an HLS .m3u8 address)',
    tag: TAG,
    body: StreamBody,
    output: ContentViewSchema,
    status: 201,
    scope: { 'body.unitId': 'unit' },
    async handler(ctx, { body }) {
      const item = await answering(JSON_FIELDS, () => createStream(libraryOf(ctx), actorOf(ctx), body))
      await ctx.audit('library.create', item.id, { kind: item.kind, name: item.name, unitId: item.unitId })
      return item
    }
  }),
  defineRoute({
    method: 'GET',
    path: '/console/api/library/items',
    roles: ANY_ROLE,
    summary: 'List the content of your units (or one unit), newest change first',
    tag: TAG,
    query: ListQuery,
    output: ListReply,
    scope: { 'query.unitId': 'unit' },
    async handler(ctx, { query }) {
      const items = await listContent(libraryOf(ctx), actorOf(ctx), { ...(query.kind ? { kind: query.kind } : {}), ...(query.unitId ? { unitIds: [query.unitId] } : {}) })
      return { items }
    }
  }),
  defineRoute({
    method: 'GET',
    path: '/console/api/library/items/:id',
    roles: ANY_ROLE,
    summary: 'One content item',
    tag: TAG,
    params: IdParams,
    output: ContentViewSchema,
    scope: { 'params.id': 'content' },
    async handler(ctx, { params }) {
      return answering(JSON_FIELDS, () => getContent(libraryOf(ctx), actorOf(ctx), params.id))
    }
  }),
  defineRoute({
    method: 'GET',
    path: '/console/api/library/items/:id/image',
    roles: ANY_ROLE,
    summary: 'An image item’s picture (the console’s thumbnails and preview); 404 for other kinds',
    tag: TAG,
    params: IdParams,
    // Answered as the image's own bytes (RawReply); this schema only documents that it is not JSON.
    output: z.unknown(),
    scope: { 'params.id': 'content' },
    async handler(ctx, { params }) {
      const library = libraryOf(ctx)
      const item = await answering(JSON_FIELDS, () => getContent(library, actorOf(ctx), params.id))
      if (item.kind !== 'image') throw new ApiFailure(404, 'not-an-image', 'Nội dung này không phải ảnh.', 'This item is not an image.', 'params.id')
      const file = await answering(JSON_FIELDS, () => contentFile(library, actorOf(ctx), params.id))
      // Images are at most maxImageBytes (50 MB); the bytes were checked at upload (sniffed type, pixels).
      // A file is never rewritten under its name (content-addressed): the browser may keep it a day.
      return new RawReply(file.mime, await readFile(file.path), { 'Cache-Control': 'private, max-age=86400', 'X-Content-Type-Options': 'nosniff' })
    }
  }),
  defineRoute({
    method: 'PATCH',
    path: '/console/api/library/items/:id',
    roles: WRITE,
    summary: 'Change an item: its name, and the fields of its kind (a change boards show sends the submitted or approved schedule entries playing it back to draft, listed in entriesBackToDraft; an unchanged save changes nothing)',
    tag: TAG,
    params: IdParams,
    body: PatchBody,
    output: ContentViewSchema.and(z.object({ entriesBackToDraft: z.array(z.string()) })),
    scope: { 'params.id': 'content' },
    async handler(ctx, { params, body }) {
      const item = await answering(JSON_FIELDS, () => updateContent(libraryOf(ctx), actorOf(ctx), params.id, body))
      await ctx.audit('library.update', item.id, { fields: Object.keys(body), unitId: item.unitId, entriesBackToDraft: item.entriesBackToDraft.length })
      return item
    }
  }),
  defineRoute({
    method: 'DELETE',
    path: '/console/api/library/items/:id',
    roles: WRITE,
    summary: 'Delete an item (refused, 409, while a playlist uses it)',
    tag: TAG,
    params: IdParams,
    output: z.object({ deleted: z.literal(true) }),
    scope: { 'params.id': 'content' },
    async handler(ctx, { params }) {
      await answering(JSON_FIELDS, () => deleteContent(libraryOf(ctx), actorOf(ctx), params.id))
      await ctx.audit('library.delete', params.id)
      return { deleted: true as const }
    }
  })
]
