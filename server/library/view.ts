// What an operator (and the API) sees of a content item: names, sizes, durations, never a hash.
import type { Selectable } from 'kysely'
import type { TextScheme, TextSize } from '../../main/core/protocol/manifest'
import type { LibraryTables } from '../db/tables/library'

export type ContentRow = Selectable<LibraryTables['library_content']>
export type MediaRow = Selectable<LibraryTables['library_media']>

interface Common {
  id: string
  unitId: string
  name: string
  createdBy: string
  createdAt: string
  updatedAt: string
}

export interface FileFacts {
  /** "JPEG", "PNG", "WebP", "MP4", "WebM" (the type the bytes are, whatever the file was called). */
  format: string
  bytes: number
  width: number | null
  height: number | null
}

export type ContentView =
  | (Common & { kind: 'image'; fit: 'contain' | 'cover'; file: FileFacts })
  | (Common & { kind: 'video'; muted: boolean; volume: number; file: FileFacts & { durationSec: number | null; codec: string | null; probed: boolean } })
  | (Common & { kind: 'text'; title: string; body: string; scheme: TextScheme; size: TextSize })
  | (Common & { kind: 'ticker'; text: string; speed: number })
  | (Common & { kind: 'stream'; url: string })

const FORMATS: Record<string, string> = { 'image/jpeg': 'JPEG', 'image/png': 'PNG', 'image/webp': 'WebP', 'video/mp4': 'MP4', 'video/webm': 'WebM' }

export function contentView(row: ContentRow, media: MediaRow | undefined): ContentView {
  const common: Common = { id: row.id, unitId: row.unit_id, name: row.name, createdBy: row.created_by, createdAt: row.created_at, updatedAt: row.updated_at }
  switch (row.kind) {
    case 'image':
    case 'video': {
      if (!media) throw new Error(`content ${row.id}: its file's record is missing`)
      const file: FileFacts = { format: FORMATS[media.mime] ?? media.mime, bytes: Number(media.size), width: media.width, height: media.height }
      if (row.kind === 'image') return { ...common, kind: 'image', fit: row.fit === 'cover' ? 'cover' : 'contain', file }
      return {
        ...common,
        kind: 'video',
        muted: row.muted !== 0,
        volume: row.volume ?? 1,
        file: { ...file, durationSec: media.duration_ms === null ? null : media.duration_ms / 1000, codec: media.video_codec, probed: media.probed === 1 }
      }
    }
    case 'text':
      return { ...common, kind: 'text', title: row.title ?? '', body: row.body ?? '', scheme: (row.text_scheme as TextScheme | null) ?? 'thuong', size: (row.text_size as TextSize | null) ?? 'lon' }
    case 'ticker':
      return { ...common, kind: 'ticker', text: row.body ?? '', speed: row.speed ?? 2 }
    case 'stream':
      return { ...common, kind: 'stream', url: row.url ?? '' }
  }
}
