// The programme room's tables (server/programme/): playlists and their items, schedule entries and their
// targets, and publications (which entries went out, which board got which document version).
import type { Generated } from 'kysely'

/** Who a schedule entry reaches besides its unit scope: a unit's subtree, boards with a tag, or one board. */
export type TargetKind = 'unit' | 'tag' | 'board'
/** Priority levels as people say them: `thuong` (normal), `uu-tien` (priority). Emergencies are another room's. */
export type EntryPriority = 'thuong' | 'uu-tien'
/** The approval room drives it: draft → submitted → approved or returned (→ edited back to draft). */
export type EntryStatus = 'draft' | 'submitted' | 'approved' | 'returned'

export interface ProgrammeTables {
  programme_playlist: {
    id: string
    unit_id: string
    name: string
    created_by: string | null
    created_at: string
    updated_at: string
  }
  programme_playlist_item: {
    playlist_id: string
    /** 0-based play order. */
    position: number
    content_id: string
    /** Seconds it shows; null: the content's own length (a video to its end, the library's default otherwise). */
    duration_sec: number | null
  }
  programme_entry: {
    id: string
    unit_id: string
    playlist_id: string
    name: string
    /** Calendar dates in Asia/Ho_Chi_Minh, YYYY-MM-DD, both days included; null: open. */
    valid_from: string | null
    valid_to: string | null
    /** JSON array of ISO weekdays (1 = Monday … 7 = Sunday), or null for every day. */
    weekdays: string | null
    /** JSON array of { from, to } "HH:MM" windows (to may be "24:00"), or null for all day. */
    windows: string | null
    priority: EntryPriority
    display_on: string | null
    display_off: string | null
    status: EntryStatus
    created_by: string | null
    created_at: string
    updated_at: string
  }
  programme_entry_target: {
    entry_id: string
    kind: TargetKind
    value: string
  }
  programme_publication: {
    id: Generated<number>
    published_at: string
    published_by: string | null
    /** How many distinct documents and boards it made (also derivable; kept for listing cheaply). */
    documents: number
    boards: number
  }
  programme_publication_entry: {
    publication_id: number
    entry_id: string
  }
  programme_publication_document: {
    publication_id: number
    version: string
    /** The manifest as compiled (JSON), before the reference server stamps and signs it. */
    manifest: string
  }
  programme_publication_board: {
    publication_id: number
    device_id: string
    version: string
  }
}
