// Imports an existing content folder (manifest.json + files, like assets/demo) into the library of one
// unit: each file through the same intake as an upload (magic bytes, sizes, ffprobe), each text, ticker
// and stream as an item. Safe to run again: the same file or the same text in the unit is the item already there.
import { createReadStream } from 'node:fs'
import { describeIssues, Manifest, type ManifestItem } from '../../main/core/protocol/manifest'
import { readContentFolder } from '../content'
import { createStream, createTextNotice, createTicker } from './content'
import { LibraryError } from './errors'
import { BODY, checkSpeed, checkStreamUrl, checkText, TICKER_TEXT, TITLE } from './fields'
import { uploadMedia } from './intake'
import { requireUnit, type Library, type LibraryActor } from './library'
import { contentView, type ContentView } from './view'

export interface ImportedItem {
  /** The item's id in the folder's manifest. */
  sourceId: string
  contentId: string
  kind: ContentView['kind']
  name: string
  /** 'already': the unit had it (same bytes or same text), nothing new was made. */
  status: 'imported' | 'already'
}

export interface ImportedPlaylist {
  id: string
  name: string
  /** In order, with the durations the folder gave: what a playlist made from the import would hold. */
  items: Array<{ contentId: string; durationSec?: number }>
}

export interface FolderImport {
  items: ImportedItem[]
  playlists: ImportedPlaylist[]
}

/** Imports `folder` into `unitId`. Throws a LibraryError naming the item or file at fault. */
export async function importContentFolder(library: Library, actor: LibraryActor, folder: string, unitId: string): Promise<FolderImport> {
  requireUnit(actor, unitId)
  const { manifest: raw, files } = await readContentFolder(folder).catch((error: unknown) => {
    const message = (error as Error).message
    throw new LibraryError(400, 'bad-folder', 'folder', `Thư mục nội dung không đọc được: ${message}`, `The content folder cannot be read: ${message}`)
  })
  const parsed = Manifest.safeParse(raw)
  if (!parsed.success) {
    const detail = describeIssues(parsed.error)
    throw new LibraryError(400, 'bad-manifest', 'manifest.json', `manifest.json không hợp lệ: ${detail}`, `manifest.json is not valid: ${detail}`)
  }
  const manifest = parsed.data
  // Every authored field first: a folder with a bad notice stores nothing of its texts.
  manifest.playlists.forEach((playlist, p) => playlist.items.forEach((item, i) => precheck(item, `playlists.${p}.items.${i}`)))

  const byAsset = new Map<string, ImportedItem>()
  const bySource = new Map<string, ImportedItem>()
  const items: ImportedItem[] = []
  const playlists: ImportedPlaylist[] = []
  for (const playlist of manifest.playlists) {
    const entries: ImportedPlaylist['items'] = []
    for (const item of playlist.items) {
      let imported = bySource.get(item.id) ?? (item.kind === 'image' || item.kind === 'video' ? byAsset.get(item.asset) : undefined)
      if (!imported) {
        imported = await importItem(library, actor, unitId, item, files)
        items.push(imported)
        bySource.set(item.id, imported)
        if (item.kind === 'image' || item.kind === 'video') byAsset.set(item.asset, imported)
      }
      entries.push({ contentId: imported.contentId, ...(item.durationSec !== undefined ? { durationSec: item.durationSec } : {}) })
    }
    playlists.push({ id: playlist.id, name: playlist.name, items: entries })
  }
  return { items, playlists }
}

function precheck(item: ManifestItem, where: string): void {
  try {
    if (item.kind === 'text') {
      checkText(item.title ?? '', TITLE)
      checkText(item.body, BODY)
    } else if (item.kind === 'ticker') {
      checkText(item.text, TICKER_TEXT)
      checkSpeed(item.speed)
    } else if (item.kind === 'stream') {
      checkStreamUrl(item.url)
    }
  } catch (error) {
    if (error instanceof LibraryError) throw new LibraryError(error.status, error.code, `${where}.${error.field}`, `Mục ${item.id}: ${error.vi}`, `Item ${item.id}: ${error.en}`)
    throw error
  }
}

async function importItem(library: Library, actor: LibraryActor, unitId: string, item: ManifestItem, files: Map<string, string>): Promise<ImportedItem> {
  const done = (view: ContentView, status: ImportedItem['status']): ImportedItem => ({ sourceId: item.id, contentId: view.id, kind: view.kind, name: view.name, status })
  if (item.kind === 'image' || item.kind === 'video') {
    const path = files.get(item.asset)
    if (!path) {
      throw new LibraryError(400, 'missing-file', `items.${item.id}`, `Mục ${item.id}: không có tệp của nó trong thư mục (tệp ở xa không được nhập).`, `Item ${item.id}: its file is not in the folder (remote files are not imported).`)
    }
    const result = await uploadMedia(library, actor, { unitId, fileName: path, body: createReadStream(path) }).catch((error: unknown) => {
      if (error instanceof LibraryError) throw new LibraryError(error.status, error.code, `items.${item.id}`, `Mục ${item.id} (${path}): ${error.vi}`, `Item ${item.id} (${path}): ${error.en}`)
      throw error
    })
    return done(result.item, result.alreadyInLibrary ? 'already' : 'imported')
  }
  const same = await sameAuthored(library, unitId, item)
  if (same) return done(same, 'already')
  if (item.kind === 'text') return done(await createTextNotice(library, actor, { unitId, ...(item.title ? { title: item.title } : {}), body: item.body }), 'imported')
  if (item.kind === 'ticker') return done(await createTicker(library, actor, { unitId, text: item.text, speed: item.speed }), 'imported')
  return done(await createStream(library, actor, { unitId, name: item.id, url: item.url }), 'imported')
}

/** The unit's item with the same kind and text (or address), if it has one. */
async function sameAuthored(library: Library, unitId: string, item: Extract<ManifestItem, { kind: 'text' | 'ticker' | 'stream' }>): Promise<ContentView | null> {
  let query = library.db.selectFrom('library_content').selectAll().where('unit_id', '=', unitId).where('kind', '=', item.kind)
  if (item.kind === 'text') query = query.where('body', '=', checkText(item.body, BODY)).where('title', '=', checkText(item.title ?? '', TITLE))
  else if (item.kind === 'ticker') query = query.where('body', '=', checkText(item.text, TICKER_TEXT))
  else query = query.where('url', '=', checkStreamUrl(item.url))
  const row = await query.executeTakeFirst()
  return row ? contentView(row, undefined) : null
}
