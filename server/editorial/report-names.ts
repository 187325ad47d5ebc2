// Names for the reports' item ids: a manifest item id is `<entry>.<position>.<content id>`
// (server/programme/compile.ts itemIdFor), so the content id leads back to the library's item, whose
// notice title (or, without one, its name: the file name by default) is what officers know it by.
import type { Db } from '../db/database'
import { sourceOfItem } from '../programme/compile'
import type { ItemNames } from './reports'

export function libraryItemNames(db: Db): ItemNames {
  return async (itemIds) => {
    const contentOf = new Map<string, string>()
    for (const itemId of itemIds) {
      const source = sourceOfItem(itemId)
      if (source) contentOf.set(itemId, source.contentId)
    }
    const contentIds = [...new Set(contentOf.values())]
    const names = new Map<string, string>()
    // SQLite's bound-parameter limit: a year of plays can name thousands of items.
    for (let i = 0; i < contentIds.length; i += 500) {
      const rows = await db
        .selectFrom('library_content')
        .select(['id', 'name', 'title'])
        .where('id', 'in', contentIds.slice(i, i + 500))
        .execute()
      for (const row of rows) names.set(row.id, row.title?.trim() ? row.title : row.name)
    }
    const out = new Map<string, string>()
    for (const [itemId, contentId] of contentOf) {
      const name = names.get(contentId)
      if (name !== undefined) out.set(itemId, name)
    }
    return out
  }
}
