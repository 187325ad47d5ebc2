// The library's tables (server/library/): media files known by their sha256, and the content items an
// operator sees (images, videos, text notices, tickers, live streams), each in a unit.
import type { ColumnType } from 'kysely'

export type ContentKind = 'image' | 'video' | 'text' | 'ticker' | 'stream'

export interface LibraryTables {
  /** One row per stored file (DATA/media/ab/abcdef…), whatever number of items use it. */
  library_media: {
    sha256: string
    size: number
    mime: string
    /** Decoded picture size, from the image header or ffprobe; null when ffprobe was absent. */
    width: number | null
    height: number | null
    /** Videos: from ffprobe; null for images or when it was absent or could not tell. */
    duration_ms: number | null
    video_codec: string | null
    /** 1 when ffprobe examined the video (0: stored without it, say so to the operator). */
    probed: number
    created_at: string
  }
  library_content: {
    /** Random (uuid): ids are never guessable across units. */
    id: string
    /** The owning unit (server/access's units); a user sees only items of their unit's subtree. */
    unit_id: string
    kind: ContentKind
    /** What the operator calls it (file name by default), shown in lists instead of any hash. */
    name: string
    /** image/video: the file. */
    media_sha256: string | null
    /** text: the notice's title. */
    title: string | null
    /** text: the notice's body; ticker: its line. */
    body: string | null
    /** stream: the HLS url. */
    url: string | null
    /** image: contain | cover. */
    fit: string | null
    /** ticker: crawl speed (protocol units: ticker heights per second). */
    speed: number | null
    /** video: 1/0, and its volume 0..1. */
    muted: number | null
    volume: number | null
    /** text: the preset look (protocol TextItem.style): scheme thuong | canh-bao | trang-trong, size lon | vua; null: default. */
    text_scheme: string | null
    text_size: string | null
    created_by: string
    created_at: ColumnType<string, string, never>
    updated_at: string
  }
}
