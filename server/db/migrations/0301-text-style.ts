// Text notices' preset look (protocol TextItem.style): colour scheme and size, null for the default.
import type { Kysely } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  // One column per statement: SQLite's ALTER TABLE adds one at a time.
  await db.schema.alterTable('library_content').addColumn('text_scheme', 'text').execute()
  await db.schema.alterTable('library_content').addColumn('text_size', 'text').execute()
}
