// The database opens, migrates once, and keeps what was committed across a reopen.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, expect, test } from 'vitest'
import { openSqlite, migrate } from '../../../server/db/database'

const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

test('a database file is created, migrated, and keeps its rows across a reopen', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bangtin-db-'))
  dirs.push(dir)
  const file = join(dir, 'source.sqlite')
  const first = await openSqlite(file)
  await first.db.insertInto('meta').values({ key: 'createdAt', value: '2026-11-30' }).execute()
  await first.close()
  const second = await openSqlite(file)
  expect(await migrate(second.db)).toEqual([])
  expect(await second.db.selectFrom('meta').selectAll().execute()).toEqual([{ key: 'createdAt', value: '2026-11-30' }])
  await second.close()
})
