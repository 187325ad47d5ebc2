// A content item as the protocol's manifest item, for the schedule compiler (server/programme): the item
// (checked with the core's own schema), the asset entries it needs, and where their bytes are, so the
// compiler handles content ids and durations, never a hash.
import { paths } from '../../main/core/protocol/api'
import { Asset, describeIssues, ManifestItem, type Schedule } from '../../main/core/protocol/manifest'
import { LibraryError, notFound } from './errors'
import type { Library } from './library'
import { mediaPath } from './media-files'

export interface ManifestItemOptions {
  /** How long it shows. Omitted: a video plays to its end (`loops` times); other kinds take KIND_DEFAULT_SEC. */
  durationSec?: number
  /** The item's id in the manifest (unique in it); default `content-<contentId>`. A playlist that holds one
   * item twice must give each entry its own. */
  itemId?: string
  schedule?: Schedule
  /** Videos: plays when durationSec is omitted. */
  loops?: number
}

export interface CompiledItem {
  item: ManifestItem
  /** The manifest's `assets` entries this item needs (url: the server's content path). */
  assets: Asset[]
  /** sha256 → absolute path of the bytes (what preparePublication in server/content.ts takes). */
  files: Map<string, string>
  /** How long it will show, in seconds: its duration, or a video's probed length × loops; null when unknown
   * (a video stored without ffprobe, or one that states no duration). */
  expectedSec: number | null
}

/** How long each kind shows when the schedule gives no duration. */
export const KIND_DEFAULT_SEC = { image: 10, text: 20, ticker: 60, stream: 300 } as const

/** The notice's preset look as the item's `style`; none when both are the default (null), as before presets. */
function textStyle(row: { text_scheme: string | null; text_size: string | null }): { style?: Record<string, string> } {
  const style = { ...(row.text_scheme ? { scheme: row.text_scheme } : {}), ...(row.text_size ? { size: row.text_size } : {}) }
  return Object.keys(style).length > 0 ? { style } : {}
}

/**
 * The manifest item for a content item (no unit check: the compiler has already chosen what a board
 * may show). Throws 404 for an unknown id, and says so if the result fails the protocol's schema.
 */
export async function manifestItemForContent(library: Library, contentId: string, options: ManifestItemOptions = {}): Promise<CompiledItem> {
  const row = await library.db.selectFrom('library_content').selectAll().where('id', '=', contentId).executeTakeFirst()
  if (!row) throw notFound('contentId')
  const id = options.itemId ?? `content-${row.id}`
  const common = { id, ...(options.schedule ? { schedule: options.schedule } : {}) }
  const assets: Asset[] = []
  const files = new Map<string, string>()
  let draft: unknown
  let expectedSec: number | null = null
  switch (row.kind) {
    case 'text':
      draft = { ...common, kind: 'text', ...(row.title ? { title: row.title } : {}), body: row.body, ...textStyle(row), durationSec: options.durationSec ?? KIND_DEFAULT_SEC.text }
      break
    case 'ticker':
      draft = { ...common, kind: 'ticker', text: row.body, speed: row.speed ?? 2, durationSec: options.durationSec ?? KIND_DEFAULT_SEC.ticker }
      break
    case 'stream':
      draft = { ...common, kind: 'stream', url: row.url, durationSec: options.durationSec ?? KIND_DEFAULT_SEC.stream }
      break
    case 'image':
    case 'video': {
      const media = row.media_sha256 ? await library.db.selectFrom('library_media').selectAll().where('sha256', '=', row.media_sha256).executeTakeFirst() : undefined
      if (!media) throw new Error(`content ${row.id}: its file's record is missing`)
      assets.push(Asset.parse({ sha256: media.sha256, size: Number(media.size), mime: media.mime, url: paths.asset(media.sha256) }))
      files.set(media.sha256, mediaPath(library.mediaRoot, media.sha256))
      if (row.kind === 'video' && options.durationSec === undefined && media.duration_ms !== null) expectedSec = (media.duration_ms / 1000) * (options.loops ?? 1)
      draft =
        row.kind === 'image'
          ? { ...common, kind: 'image', asset: media.sha256, fit: row.fit ?? 'contain', durationSec: options.durationSec ?? KIND_DEFAULT_SEC.image }
          : {
              ...common,
              kind: 'video',
              asset: media.sha256,
              ...(options.durationSec !== undefined ? { durationSec: options.durationSec } : {}),
              loops: options.loops ?? 1,
              muted: row.muted !== 0,
              volume: row.volume ?? 1
            }
      break
    }
  }
  const parsed = ManifestItem.safeParse(draft)
  if (!parsed.success) {
    const field = String(parsed.error.issues[0]?.path[0] ?? 'contentId')
    const detail = describeIssues(parsed.error)
    throw new LibraryError(400, 'not-a-manifest-item', field === 'id' ? 'itemId' : field, `Không tạo được mục phát từ nội dung này: ${detail}`, `This content cannot become a manifest item: ${detail}`)
  }
  return { item: parsed.data, assets, files, expectedSec: parsed.data.durationSec ?? expectedSec }
}

type WithoutPlaylistFields<T> = T extends unknown ? Omit<T, 'id' | 'schedule' | 'durationSec'> & { durationSec?: number } : never

/** What a content id plays as, without what the playlist decides (id, schedule): server/programme's `ContentItem`.
 *  `durationSec`: how long it shows when the playlist gives no seconds (KIND_DEFAULT_SEC; none for a video,
 *  which then plays to its end). */
export interface ResolvedContent {
  item: WithoutPlaylistFields<ManifestItem>
  assets: Asset[]
  files: Map<string, string>
}

/**
 * server/programme's `ContentResolver`: `(contentId, db) => ResolvedContent | null` (null: the content is
 * gone). It reads through the `db` it is given (the publication's transaction: SQLite has one connection).
 */
export function contentResolverFor(library: Library): (contentId: string, db: Library['db']) => Promise<ResolvedContent | null> {
  return async (contentId, db) => {
    try {
      // No seconds given: the item carries its kind's default (a video none: it plays to its end).
      const { item, assets, files } = await manifestItemForContent({ ...library, db }, contentId, { itemId: 'resolved' })
      const { id: _id, schedule: _schedule, ...body } = item as ManifestItem & { schedule?: unknown }
      return { item: body as ResolvedContent['item'], assets, files }
    } catch (error) {
      if (error instanceof LibraryError && error.status === 404) return null
      throw error
    }
  }
}
