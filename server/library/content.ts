// Content items an operator authors or manages: text notices, tickers and live streams made here;
// listing, reading, changing and deleting any item, always within the actor's units.
import { randomUUID } from 'node:crypto'
import type { Insertable, Updateable } from 'kysely'
import type { ContentKind, LibraryTables } from '../db/tables/library'
import { LibraryError, notFound } from './errors'
import { BODY, checkBoolean, checkFit, checkSpeed, checkStreamUrl, checkText, checkTextScheme, checkTextSize, checkVolume, NAME, TICKER_TEXT, TITLE } from './fields'
import { requireUnit, type Library, type LibraryActor } from './library'
import { mediaPath } from './media-files'
import { contentView, type ContentRow, type ContentView } from './view'

export interface TextNoticeInput {
  unitId: string
  name?: string
  title?: string
  body: string
  /** Preset look (protocol TextItem.style); omitted: the default. */
  scheme?: string
  size?: string
}
export interface TickerInput {
  unitId: string
  name?: string
  text: string
  /** "cham" | "vua" | "nhanh" or a number (fields.ts TICKER_SPEEDS); default "vua". */
  speed?: string | number
}
export interface StreamInput {
  unitId: string
  name: string
  url: string
}

/** Fields an update may change; which apply depends on the item's kind (others are refused, by name). */
export interface ContentPatch {
  name?: string
  title?: string
  body?: string
  text?: string
  speed?: string | number
  scheme?: string
  size?: string
  url?: string
  fit?: 'contain' | 'cover'
  muted?: boolean
  volume?: number
}

type NewRow = Insertable<LibraryTables['library_content']>

function blankRow(library: Library, actor: LibraryActor, unitId: string, kind: ContentKind, name: string): NewRow {
  const now = library.now().toISOString()
  const row: NewRow = { id: randomUUID(), unit_id: unitId, kind, name, media_sha256: null, title: null, body: null, url: null, fit: null, speed: null, muted: null, volume: null, created_by: actor.id, created_at: now, updated_at: now }
  return row
}

/** A name from the first words of a text, when the operator gave none. */
function nameFrom(text: string): string {
  const line = text.split('\n')[0] ?? ''
  return line.length > 80 ? `${line.slice(0, 79)}…` : line
}

export async function createTextNotice(library: Library, actor: LibraryActor, input: TextNoticeInput): Promise<ContentView> {
  requireUnit(actor, input.unitId)
  const title = checkText(input.title ?? '', TITLE)
  const body = checkText(input.body, BODY)
  const name = checkText(input.name ?? nameFrom(title || body), NAME)
  const text_scheme = input.scheme === undefined ? null : checkTextScheme(input.scheme)
  const text_size = input.size === undefined ? null : checkTextSize(input.size)
  return insert(library, { ...blankRow(library, actor, input.unitId, 'text', name), title, body, text_scheme, text_size })
}

export async function createTicker(library: Library, actor: LibraryActor, input: TickerInput): Promise<ContentView> {
  requireUnit(actor, input.unitId)
  const text = checkText(input.text, TICKER_TEXT)
  const speed = checkSpeed(input.speed ?? 'vua')
  const name = checkText(input.name ?? nameFrom(text), NAME)
  return insert(library, { ...blankRow(library, actor, input.unitId, 'ticker', name), body: text, speed })
}

export async function createStream(library: Library, actor: LibraryActor, input: StreamInput): Promise<ContentView> {
  requireUnit(actor, input.unitId)
  const url = checkStreamUrl(input.url)
  const name = checkText(input.name, NAME)
  return insert(library, { ...blankRow(library, actor, input.unitId, 'stream', name), url })
}

async function insert(library: Library, row: NewRow): Promise<ContentView> {
  await library.db.insertInto('library_content').values(row).execute()
  return getContent(library, { id: 'system', scope: new Set([row.unit_id]) }, row.id)
}

export interface ListOptions {
  kind?: ContentKind
  /** Only these units (each must be in the actor's scope); default: the whole scope. */
  unitIds?: string[]
}

/** The items of the actor's units, newest change first. */
export async function listContent(library: Library, actor: LibraryActor, options: ListOptions = {}): Promise<ContentView[]> {
  const units = (options.unitIds ?? [...actor.scope]).filter((unit) => actor.scope.has(unit))
  if (units.length === 0) return []
  let query = library.db
    .selectFrom('library_content')
    .leftJoin('library_media', 'library_media.sha256', 'library_content.media_sha256')
    .selectAll('library_content')
    .select(['library_media.size', 'library_media.mime', 'library_media.width', 'library_media.height', 'library_media.duration_ms', 'library_media.video_codec', 'library_media.probed', 'library_media.sha256'])
    .where('library_content.unit_id', 'in', units)
  if (options.kind) query = query.where('library_content.kind', '=', options.kind)
  const rows = await query.orderBy('library_content.updated_at', 'desc').orderBy('library_content.id').execute()
  return rows.map((row) => {
    const media =
      row.sha256 === null
        ? undefined
        : { sha256: row.sha256, size: row.size as number, mime: row.mime as string, width: row.width, height: row.height, duration_ms: row.duration_ms, video_codec: row.video_codec, probed: row.probed as number, created_at: '' }
    return contentView(row, media)
  })
}

/** The row itself, or 404 when it does not exist or lies outside the actor's units (the same answer: no probing). */
export async function contentRow(library: Library, actor: LibraryActor, id: string): Promise<ContentRow> {
  const row = typeof id === 'string' ? await library.db.selectFrom('library_content').selectAll().where('id', '=', id).executeTakeFirst() : undefined
  if (!row || !actor.scope.has(row.unit_id)) throw notFound('id')
  return row
}

export async function getContent(library: Library, actor: LibraryActor, id: string): Promise<ContentView> {
  const row = await contentRow(library, actor, id)
  const media = row.media_sha256 ? await library.db.selectFrom('library_media').selectAll().where('sha256', '=', row.media_sha256).executeTakeFirst() : undefined
  return contentView(row, media)
}

/** An image's or video's file, to preview it in the console (by content id: the operator never sees the hash). */
export async function contentFile(library: Library, actor: LibraryActor, id: string): Promise<{ path: string; mime: string; size: number }> {
  const row = await contentRow(library, actor, id)
  if (!row.media_sha256) throw new LibraryError(404, 'no-file', 'id', 'Nội dung này không có tệp.', 'This item has no file.')
  const media = await library.db.selectFrom('library_media').selectAll().where('sha256', '=', row.media_sha256).executeTakeFirstOrThrow()
  return { path: mediaPath(library.mediaRoot, media.sha256), mime: media.mime, size: Number(media.size) }
}

const APPLIES: Record<keyof ContentPatch, readonly ContentKind[]> = {
  name: ['image', 'video', 'text', 'ticker', 'stream'],
  title: ['text'],
  body: ['text'],
  text: ['ticker'],
  speed: ['ticker'],
  scheme: ['text'],
  size: ['text'],
  url: ['stream'],
  fit: ['image'],
  muted: ['video'],
  volume: ['video']
}

/**
 * Changes an item. Only fields whose value really changes are written (an unchanged save changes nothing).
 * A change boards show (anything but the name) sends the submitted or approved entries playing it back to
 * draft through the programme's hook, in the same transaction; their ids are answered.
 */
export async function updateContent(library: Library, actor: LibraryActor, id: string, patch: ContentPatch): Promise<ContentView & { entriesBackToDraft: string[] }> {
  const row = await contentRow(library, actor, id)
  const changes: Updateable<LibraryTables['library_content']> = {}
  for (const key of Object.keys(patch) as Array<keyof ContentPatch>) {
    if (patch[key] === undefined) continue
    if (!APPLIES[key]?.includes(row.kind)) {
      throw new LibraryError(400, 'not-applicable', key, `Trường "${key}" không áp dụng cho loại nội dung này.`, `The field "${key}" does not apply to this kind of content.`)
    }
  }
  if (patch.name !== undefined) changes.name = checkText(patch.name, NAME)
  if (patch.title !== undefined) changes.title = checkText(patch.title, TITLE)
  if (patch.body !== undefined) changes.body = checkText(patch.body, BODY)
  if (patch.text !== undefined) changes.body = checkText(patch.text, TICKER_TEXT)
  if (patch.speed !== undefined) changes.speed = checkSpeed(patch.speed)
  if (patch.scheme !== undefined) changes.text_scheme = checkTextScheme(patch.scheme)
  if (patch.size !== undefined) changes.text_size = checkTextSize(patch.size)
  if (patch.url !== undefined) changes.url = checkStreamUrl(patch.url)
  if (patch.fit !== undefined) changes.fit = checkFit(patch.fit)
  if (patch.muted !== undefined) changes.muted = checkBoolean(patch.muted, 'muted', 'Tắt tiếng', 'Muted') ? 1 : 0
  if (patch.volume !== undefined) changes.volume = checkVolume(patch.volume)
  // Only what differs from the stored row (a title "" and a stored null both mean no title).
  const stored = row as unknown as Record<string, unknown>
  for (const key of Object.keys(changes) as Array<keyof typeof changes>) {
    if ((changes[key] ?? null) === (stored[key] ?? null) || (key === 'title' && (changes[key] ?? '') === (stored[key] ?? ''))) delete changes[key]
  }
  let entriesBackToDraft: string[] = []
  if (Object.keys(changes).length > 0) {
    changes.updated_at = library.now().toISOString()
    await library.db.updateTable('library_content').set(changes).where('id', '=', row.id).execute()
    // The name is the console's only: no board shows it, so no approval covers it.
    const shown = Object.keys(changes).some((key) => key !== 'name' && key !== 'updated_at')
    if (shown && library.contentChanged) entriesBackToDraft = await library.contentChanged(row.id, library.db)
  }
  return { ...(await getContent(library, actor, id)), entriesBackToDraft }
}

/**
 * Deletes an item, refused (409) while a playlist uses it. The file stays: publications already sent
 * may still name it (a sweep that knows publications may remove unreferenced files later).
 */
export async function deleteContent(library: Library, actor: LibraryActor, id: string): Promise<void> {
  const row = await contentRow(library, actor, id)
  const users = library.contentInUse ? await library.contentInUse(row.id, library.db) : []
  if (users.length > 0) throw inUse(users)
  try {
    await library.db.deleteFrom('library_content').where('id', '=', row.id).execute()
  } catch (error) {
    // A foreign key from a playlist's item (SQLite's message; PostgreSQL's code 23503).
    const text = `${(error as Error).message} ${(error as { code?: unknown }).code ?? ''}`
    if (/FOREIGN KEY|23503/i.test(text)) throw inUse([])
    throw error
  }
}

function inUse(playlists: string[]): LibraryError {
  const names = playlists.slice(0, 5).map((name) => `“${name}”`).join(', ')
  return new LibraryError(
    409,
    'in-use',
    'id',
    `Nội dung đang được dùng trong danh sách phát${names ? ` ${names}` : ''}: hãy bỏ nó khỏi danh sách phát trước khi xoá.`,
    `The item is used by the playlist${playlists.length > 1 ? 's' : ''}${names ? ` ${names}` : ''}: remove it from them before deleting it.`
  )
}
