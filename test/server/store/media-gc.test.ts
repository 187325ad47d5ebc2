// Media garbage collection on a real data dir: real SQLite file, real media files, a durable reference server
// publishing and a library taking an upload. Only what nothing names is deleted, and a restarted server
// still serves every file its manifest lists.
import { mkdir, readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { paths } from '../../../main/core/protocol/api'
import { openSqlite } from '../../../server/db/database'
import { uploadMedia } from '../../../server/library/intake'
import { libraryForDataDir } from '../../../server/library/commands'
import { startReferenceServer } from '../../../server/reference-server'
import { sweepMedia } from '../../../server/store/media-gc'
import { useTempDirs } from '../../helpers/temp-dir'
import { addUnits, chunked, EDITOR, makePicture } from '../library/fixtures/media'
import { bearer, manifestFor, patternBytes, rawRequest, sha256 } from '../helpers'

const tempDir = useTempDirs()

async function mediaNames(dir: string): Promise<string[]> {
  const entries = await readdir(join(dir, 'media'), { withFileTypes: true, recursive: true })
  return entries.filter((e) => e.isFile()).map((e) => e.name).sort()
}

it('deletes media no library item, stored publication or sealed manifest names, and nothing else; a restarted server still serves its manifest', async () => {
  const dir = await tempDir()
  const kept = patternBytes(20_000, 1)
  const replaced = patternBytes(20_000, 2)
  const database = await openSqlite(join(dir, 'source.sqlite'))
  await addUnits(database)
  let server = await startReferenceServer({ database: { db: database.db, dataDir: dir } })
  server.addDevice('board-1', 'token-board-1-secret')
  // v1 lists `replaced`; v2 (the fleet's publication now) lists only `kept`.
  server.publish(manifestFor('v1', [{ sha: sha256(replaced), size: replaced.length }]), new Map([[sha256(replaced), replaced]]))
  await server.durable()
  const fetchManifest = async () => {
    const res = await rawRequest(`${server.url}${paths.manifest('board-1')}`, { headers: bearer('token-board-1-secret') })
    expect(res.status).toBe(200)
    return res.body.toString()
  }
  // The board took v1: while its sealed copy is what it holds, v1's file may still be fetched.
  expect(await fetchManifest()).toContain(sha256(replaced))
  server.publish(manifestFor('v2', [{ sha: sha256(kept), size: kept.length }]), new Map([[sha256(kept), kept]]))
  await server.durable()
  // A library item's picture (not published anywhere).
  const library = libraryForDataDir(database.db, dir)
  const picture = makePicture(dir, 'p.jpg')
  const uploaded = await uploadMedia(library, EDITOR, { unitId: 'xa-a1', fileName: 'p.jpg', body: chunked(picture) })
  expect(uploaded.item.kind).toBe('image')
  // What a killed upload leaves: bytes under their final name, never recorded.
  const orphan = patternBytes(10_000, 3)
  await mkdir(join(dir, 'media', sha256(orphan).slice(0, 2)), { recursive: true })
  await writeFile(join(dir, 'media', sha256(orphan).slice(0, 2), sha256(orphan)), orphan)
  await server.close()

  expect(await mediaNames(dir)).toEqual([sha256(kept), sha256(replaced), sha256(picture), sha256(orphan)].sort())
  expect(await sweepMedia(database.db, dir, Date.now())).toEqual({ deletedFiles: 1, deletedBytes: orphan.length, keptFiles: 3 })
  // Once the board took v2, v1's file is garbage.
  server = await startReferenceServer({ database: { db: database.db, dataDir: dir } })
  expect(await fetchManifest()).not.toContain(sha256(replaced))
  await server.close()
  const swept = await sweepMedia(database.db, dir, Date.now())
  expect(swept).toEqual({ deletedFiles: 1, deletedBytes: replaced.length, keptFiles: 2 })
  expect(await mediaNames(dir)).toEqual([sha256(kept), sha256(picture)].sort())
  expect((await database.db.selectFrom('device_assets').select('sha256').execute()).map((r) => r.sha256)).toEqual([sha256(kept)])
  // Swept again: nothing more to delete.
  expect((await sweepMedia(database.db, dir, Date.now())).deletedFiles).toBe(0)

  server = await startReferenceServer({ database: { db: database.db, dataDir: dir } })
  const asset = await rawRequest(`${server.url}${paths.asset(sha256(kept))}`, { headers: bearer('token-board-1-secret') })
  expect(asset.status).toBe(200)
  expect(asset.body.equals(kept)).toBe(true)
  // The swept bytes published again are stored again (no row left claiming them).
  server.publish(manifestFor('v3', [{ sha: sha256(replaced), size: replaced.length }]), new Map([[sha256(replaced), replaced]]))
  await server.durable()
  const again = await rawRequest(`${server.url}${paths.asset(sha256(replaced))}`, { headers: bearer('token-board-1-secret') })
  expect([again.status, again.body.equals(replaced)]).toEqual([200, true])
  await server.close()
  await database.close()
})
