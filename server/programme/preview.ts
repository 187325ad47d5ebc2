// What a board would play if some entries were approved too: the approval room shows it before an
// approver decides. The same compiler and the same scheduler as a publication, nothing stored or sent.
import type { Kysely } from 'kysely'
import type { Database } from '../db/schema'
import { compileProgramme, type BoardPlacement, type ContentItem } from './compile'
import type { ContentResolver } from './publish'
import { approvedProgramme, listEntries, listPlaylists } from './store'
import { whatPlaysWhen, type BoardDay } from './when'

type Db = Kysely<Database>

export interface PreviewInput {
  board: BoardPlacement
  /** Entries to count as approved besides those that are (e.g. the one being decided on). */
  withEntryIds: readonly string[]
  content: ContentResolver
  /** First day (YYYY-MM-DD, Vietnam time) and how many (1–7). */
  date: string
  days?: number
  now?: Date
}

/** The board's programme as it would be; throws the same ProgrammeError a publication would. */
export async function previewBoard(db: Db, input: PreviewInput): Promise<BoardDay & { version: string }> {
  const approved = await approvedProgramme(db)
  const known = new Set(approved.entries.map((entry) => entry.id))
  const extra = (await listEntries(db, { ids: input.withEntryIds })).filter((entry) => !known.has(entry.id))
  const missing = extra.map((entry) => entry.playlistId).filter((id) => !approved.playlists.some((playlist) => playlist.id === id))
  const playlists = [...approved.playlists, ...(await listPlaylists(db, { ids: [...new Set(missing)] }))]
  const resolved = new Map<string, ContentItem | null>()
  for (const playlist of playlists) {
    for (const item of playlist.items) if (!resolved.has(item.contentId)) resolved.set(item.contentId, await input.content(item.contentId, db))
  }
  // Creation order, as a publication would have it.
  const entries = [...approved.entries, ...extra].sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : 1))
  const compiled = compileProgramme({ entries, playlists, boards: [input.board], content: (id) => resolved.get(id) ?? null, now: input.now ?? new Date() })
  const document = compiled.documents[0]
  return { version: document?.version ?? '', ...whatPlaysWhen(document?.manifest ?? null, input.date, input.days ?? 1) }
}
