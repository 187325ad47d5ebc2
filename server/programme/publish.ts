// Publishing the programme: compile every approved entry for every board, record the publication (which
// entries, which board got which document) in one transaction, then hand each distinct document to the server.
import type { Kysely } from 'kysely'
import { preparePublication } from '../content'
import type { Database } from '../db/schema'
import type { Manifest } from '../../main/core/protocol/manifest'
import { compileProgramme, type BoardPlacement, type ContentItem } from './compile'
import { invalid } from './errors'
import { approvedProgramme } from './store'

type Db = Kysely<Database>

/** What the reference server's publish() is (server/reference-server.ts): the protocol side's working set. */
export interface PublishTarget {
  publish(manifest: object, files: Map<string, Buffer | string>, opts: { deviceIds?: string[] }): string
}

/**
 * The library (server/library): a content id as a manifest item plus files, or null when it is gone. It is
 * called inside the publication's transaction and must read through `db` (SQLite has one connection).
 */
export type ContentResolver = (contentId: string, db: Db) => ContentItem | null | Promise<ContentItem | null>

export interface PublishInput {
  target: PublishTarget
  /** Every board the programme covers, as placed (unit with ancestors, tags); each gets its whole programme. */
  boards: readonly BoardPlacement[]
  content: ContentResolver
  publishedBy?: string | null
  now?: Date
  /**
   * Runs first, inside the publication's transaction: the approval room approves here, so an approval
   * whose programme does not compile is undone with it.
   */
  beforeCompile?: (db: Db) => Promise<void>
}

export interface PublicationSummary {
  publicationId: number
  publishedAt: string
  entryIds: string[]
  documents: { version: string; deviceIds: string[]; entryIds: string[] }[]
}

/**
 * Compiles and publishes. Any fault (bad entry, gone content, a file the server would refuse, the
 * database) throws before anything reaches a board: the previous publication stays in force.
 */
export function publishProgramme(db: Db, input: PublishInput): Promise<PublicationSummary> {
  // One at a time per database: two approvals at once must not push an older compile over a newer one.
  const previous = inFlight.get(db) ?? Promise.resolve()
  const run = previous.catch(() => undefined).then(() => publishNow(db, input))
  inFlight.set(
    db,
    run.catch(() => undefined)
  )
  return run
}

const inFlight = new WeakMap<Db, Promise<unknown>>()

/** One transaction: the caller's when it is in one, else a new one. */
function inTransaction<T>(db: Db, run: (trx: Db) => Promise<T>): Promise<T> {
  return db.isTransaction ? run(db) : db.transaction().execute(run)
}

/**
 * Everything up to the pushes happens in one transaction, so it commits before any board hears of it;
 * called with a transaction (a console API route's), the pushes come before the caller commits.
 */
async function publishNow(db: Db, input: PublishInput): Promise<PublicationSummary> {
  const now = input.now ?? new Date()
  const publishedAt = now.toISOString()
  const { compiled, publicationId } = await inTransaction(db, async (trx) => {
    await input.beforeCompile?.(trx)
    const { entries, playlists } = await approvedProgramme(trx)
    const resolved = new Map<string, ContentItem | null>()
    for (const playlist of playlists) {
      for (const item of playlist.items) if (!resolved.has(item.contentId)) resolved.set(item.contentId, await input.content(item.contentId, trx))
    }
    const compiled = compileProgramme({ entries, playlists, boards: input.boards, content: (id) => resolved.get(id) ?? null, now })
    // The server's own checks, run first on every document: its publish() cannot then refuse one half-way.
    for (const document of compiled.documents) {
      try {
        preparePublication(document.manifest, document.files, () => undefined, { version: document.version }, now.getTime())
      } catch (error) {
        throw invalid(
          `documents.${document.version}`,
          `Máy chủ không nhận bản kê ${document.version}: ${(error as Error).message}`,
          `The server refuses document ${document.version}: ${(error as Error).message}`
        )
      }
    }
    const row = await trx
      .insertInto('programme_publication')
      .values({ published_at: publishedAt, published_by: input.publishedBy ?? null, documents: compiled.documents.length, boards: input.boards.length })
      .returning('id')
      .executeTakeFirstOrThrow()
    const id = row.id
    const entryRows = compiled.entryIds.map((entryId) => ({ publication_id: id, entry_id: entryId }))
    const documentRows = compiled.documents.map((document) => ({ publication_id: id, version: document.version, manifest: JSON.stringify(document.manifest) }))
    const boardRows = compiled.documents.flatMap((document) => document.deviceIds.map((deviceId) => ({ publication_id: id, device_id: deviceId, version: document.version })))
    // Chunks: SQLite caps bound parameters per statement.
    for (let i = 0; i < entryRows.length; i += 200) await trx.insertInto('programme_publication_entry').values(entryRows.slice(i, i + 200)).execute()
    for (let i = 0; i < documentRows.length; i += 200) await trx.insertInto('programme_publication_document').values(documentRows.slice(i, i + 200)).execute()
    for (let i = 0; i < boardRows.length; i += 200) await trx.insertInto('programme_publication_board').values(boardRows.slice(i, i + 200)).execute()
    return { compiled, publicationId: id }
  })
  for (const document of compiled.documents) input.target.publish(document.manifest, document.files, { deviceIds: document.deviceIds })
  return {
    publicationId,
    publishedAt,
    entryIds: compiled.entryIds,
    documents: compiled.documents.map(({ version, deviceIds, entryIds }) => ({ version, deviceIds, entryIds }))
  }
}

/** The manifest a board was last given by a publication (what it plays), or null before any. */
export async function publishedManifestFor(db: Db, deviceId: string): Promise<{ publicationId: number; version: string; manifest: Manifest } | null> {
  const row = await db
    .selectFrom('programme_publication_board as b')
    .innerJoin('programme_publication_document as d', (join) => join.onRef('d.publication_id', '=', 'b.publication_id').onRef('d.version', '=', 'b.version'))
    .select(['b.publication_id', 'b.version', 'd.manifest'])
    .where('b.device_id', '=', deviceId)
    .orderBy('b.publication_id', 'desc')
    .limit(1)
    .executeTakeFirst()
  return row ? { publicationId: row.publication_id, version: row.version, manifest: JSON.parse(row.manifest) as Manifest } : null
}
