// The library: media files by sha256 and content items by unit (server/db/tables/library.ts).
import type { Kysely } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('library_media')
    .addColumn('sha256', 'text', (c) => c.primaryKey())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('mime', 'text', (c) => c.notNull())
    .addColumn('width', 'integer')
    .addColumn('height', 'integer')
    .addColumn('duration_ms', 'integer')
    .addColumn('video_codec', 'text')
    .addColumn('probed', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema
    .createTable('library_content')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('unit_id', 'text', (c) => c.notNull().references('units.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('media_sha256', 'text', (c) => c.references('library_media.sha256'))
    .addColumn('title', 'text')
    .addColumn('body', 'text')
    .addColumn('url', 'text')
    .addColumn('fit', 'text')
    .addColumn('speed', 'real')
    .addColumn('muted', 'integer')
    .addColumn('volume', 'real')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('library_content_unit').on('library_content').columns(['unit_id', 'kind']).execute()
  // One item per file per unit: the same bytes uploaded twice in a unit are the item already there.
  await db.schema.createIndex('library_content_unit_media').on('library_content').columns(['unit_id', 'media_sha256']).unique().execute()
}
